package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.descent.curvature.HessianVectorProduct.Method;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HessianVectorProductTest {

    /** float64 double backward against closed forms: rounding only. */
    private static final double EXACT_TOL = 1e-10;

    /** Central differences in float64 with h ≈ 6e-6: truncation error O(h²) plus rounding. */
    private static final double FD_TOL = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static SimpleMatrix randomSymmetric(int n, long seed) {
        Random r = new Random(seed);
        SimpleMatrix b = new SimpleMatrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b.set(i, j, r.nextGaussian());
            }
        }
        return b.plus(b.transpose()).scale(0.5);
    }

    static double[] randomVector(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static double[] times(SimpleMatrix a, double[] v) {
        SimpleMatrix x = new SimpleMatrix(v.length, 1, true, v);
        return a.mult(x).getDDRM().getData();
    }

    private NDArray quadraticForm(NDArray x, SimpleMatrix a, double[] b) {
        NDArray am =
                manager.create(a.getDDRM().getData(), new Shape(a.getNumRows(), a.getNumCols()));
        return x.matMul(am).mul(x).sum().mul(0.5).add(x.mul(manager.create(b)).sum());
    }

    @Test
    void quadraticHessianIsTheMatrixForBothMethods() {
        int n = 7;
        SimpleMatrix a = randomSymmetric(n, 1);
        double[] b = randomVector(n, 2);
        double[] v = randomVector(n, 3);
        for (Method method : Method.values()) {
            try (HessianVectorProduct h =
                    HessianVectorProduct.ofFunction(
                            new NDList(manager.create(randomVector(n, 4))),
                            args -> quadraticForm(args.head(), a, b),
                            method)) {
                double[] hv = h.apply(manager.create(v)).toDoubleArray();
                assertThat(hv)
                        .as(method.name())
                        .containsExactly(
                                times(a, v), within(method == Method.EXACT ? EXACT_TOL : FD_TOL));
            }
        }
    }

    @Test
    void logisticRegressionMatchesClosedForm() {
        int n = 40;
        int d = 5;
        Random r = new Random(5);
        double[] xs = new double[n * d];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xs[i * d + j] = r.nextGaussian();
            }
            ys[i] = r.nextBoolean() ? 1 : 0;
        }
        double[] w = randomVector(d, 6);
        NDArray x = manager.create(xs, new Shape(n, d));
        NDArray y = manager.create(ys);
        // f(w) = mean(softplus(z) − y·z), z = Xw; H = Xᵀ diag(σ(z)(1 − σ(z))) X / n
        try (HessianVectorProduct h =
                HessianVectorProduct.ofFunction(
                        new NDList(manager.create(w)),
                        args -> {
                            NDArray z = x.matMul(args.head());
                            return z.exp().add(1).log().sub(y.mul(z)).mean();
                        },
                        Method.EXACT)) {
            SimpleMatrix xm = new SimpleMatrix(n, d, true, xs);
            SimpleMatrix weights = new SimpleMatrix(n, n);
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += xs[i * d + j] * w[j];
                }
                double s = 1 / (1 + Math.exp(-z));
                weights.set(i, i, s * (1 - s) / n);
            }
            SimpleMatrix hessian = xm.transpose().mult(weights).mult(xm);
            double[] v = randomVector(d, 7);
            assertThat(h.apply(manager.create(v)).toDoubleArray())
                    .containsExactly(times(hessian, v), within(EXACT_TOL));
        }
    }

    static Block tinyMlp(NDManager manager, int in) {
        Block block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(5).build())
                        .add(Activation::tanh)
                        .add(Linear.builder().setUnits(2).build());
        ai.djl.engine.Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, DataType.FLOAT64, new Shape(4, in));
        return block;
    }

    @Test
    void mlpHessianMatchesFiniteDifferencesOfGradientsAndIsSymmetric() {
        int in = 3;
        Block block = tinyMlp(manager, in);
        NDArray inputs = manager.randomNormal(0, 1, new Shape(4, in), DataType.FLOAT64);
        NDArray target = manager.randomNormal(0, 1, new Shape(4, 2), DataType.FLOAT64);
        java.util.function.Function<NDList, NDArray> mse =
                out -> out.head().sub(target).square().mean();
        try (HessianVectorProduct exact =
                        HessianVectorProduct.ofParameters(
                                block, new NDList(inputs), mse, Method.EXACT);
                HessianVectorProduct fd =
                        HessianVectorProduct.ofParameters(
                                block, new NDList(inputs), mse, Method.FINITE_DIFFERENCE)) {
            int d = (int) exact.dimension();
            assertThat(d).isEqualTo(3 * 5 + 5 + 5 * 2 + 2);
            double[] u = randomVector(d, 8);
            double[] v = randomVector(d, 9);
            double[] hv = exact.apply(manager.create(v)).toDoubleArray();
            double[] hu = exact.apply(manager.create(u)).toDoubleArray();
            assertThat(hv)
                    .containsExactly(fd.apply(manager.create(v)).toDoubleArray(), within(FD_TOL));
            double uHv = 0;
            double huV = 0;
            for (int i = 0; i < d; i++) {
                uHv += u[i] * hv[i];
                huV += hu[i] * v[i];
            }
            assertThat(uHv).isCloseTo(huV, within(EXACT_TOL * (1 + Math.abs(uHv))));
        }
    }

    @Test
    void parameterHessianOfTheMeanOutputHasZeroRowsForTheOutputBias() {
        // d(mean output)/d(output bias) is constant: its part of the gradient has no graph
        Block block = tinyMlp(manager, 3);
        NDArray x = manager.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
        java.util.function.Function<NDList, NDArray> f = out -> out.head().mean();
        try (HessianVectorProduct exact =
                        HessianVectorProduct.ofParameters(block, new NDList(x), f, Method.EXACT);
                HessianVectorProduct fd =
                        HessianVectorProduct.ofParameters(
                                block, new NDList(x), f, Method.FINITE_DIFFERENCE)) {
            double[] v = randomVector(32, 11);
            double[] hv = exact.apply(manager.create(v)).toDoubleArray();
            assertThat(hv)
                    .containsExactly(fd.apply(manager.create(v)).toDoubleArray(), within(FD_TOL));
            assertThat(java.util.Arrays.copyOfRange(hv, 30, 32)).containsOnly(0.0);
        }
    }

    @Test
    void inputHessianMatchesFiniteDifferences() {
        Block block = tinyMlp(manager, 3);
        NDArray x = manager.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
        java.util.function.Function<NDList, NDArray> f = out -> out.head().square().sum();
        try (HessianVectorProduct exact = HessianVectorProduct.ofInputs(block, x, f, Method.EXACT);
                HessianVectorProduct fd =
                        HessianVectorProduct.ofInputs(block, x, f, Method.FINITE_DIFFERENCE)) {
            double[] v = randomVector(12, 10);
            assertThat(exact.apply(manager.create(v)).toDoubleArray())
                    .containsExactly(fd.apply(manager.create(v)).toDoubleArray(), within(FD_TOL));
            assertThat(exact.names()).containsExactly("input");
        }
    }

    @Test
    void badInputIsRefusedWithWhatWasWrong() {
        Block block = tinyMlp(manager, 3);
        NDArray x = manager.randomNormal(0, 1, new Shape(4, 3), DataType.FLOAT64);
        try (HessianVectorProduct h =
                HessianVectorProduct.ofParameters(
                        block, new NDList(x), out -> out.head().sum(), Method.EXACT)) {
            assertThatThrownBy(() -> h.apply(manager.zeros(new Shape(5), DataType.FLOAT64)))
                    .hasMessage("vector must be a 1-D vector of length 32, got shape (5)");
            assertThatThrownBy(() -> h.apply(manager.zeros(new Shape(32), DataType.FLOAT32)))
                    .hasMessage("vector has data type float32, expected float64");
        }
        assertThatThrownBy(
                        () ->
                                HessianVectorProduct.ofParameters(
                                        block, new NDList(x), out -> out.head(), Method.EXACT))
                .hasMessage("objective must return a scalar, got shape (4, 2)");
        block.freezeParameters(true);
        assertThatThrownBy(
                        () ->
                                HessianVectorProduct.ofParameters(
                                        block,
                                        new NDList(x),
                                        out -> out.head().sum(),
                                        Method.EXACT))
                .hasMessage("the block has no parameters that require gradients");
        assertThatThrownBy(
                        () ->
                                HessianVectorProduct.ofFunction(
                                        new NDList(manager.create(new double[] {-1})),
                                        args -> args.head().log().sum(),
                                        Method.EXACT))
                .hasMessage("objective is not finite at the point: NaN");
    }
}
