package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.descent.curvature.HessianVectorProduct.Method;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GaussNewtonAndFisherTest {

    /** float64 reverse-mode products against other reverse-mode products: rounding only. */
    private static final double EXACT_TOL = 1e-10;

    /** Central differences of the forward pass in float64 (h = 1e-5): O(h²) truncation. */
    private static final double FD_TOL = 1e-6;

    private NDManager manager;
    private NDArray x;
    private NDArray y;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        x = manager.randomNormal(0, 1, new Shape(6, 3), DataType.FLOAT64);
        y = manager.randomNormal(0, 1, new Shape(6, 2), DataType.FLOAT64);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Function<NDList, NDArray> mse() {
        return out -> out.head().sub(y).square().mean();
    }

    private double[] random(long n, long seed) {
        return HessianVectorProductTest.randomVector(Math.toIntExact(n), seed);
    }

    @Test
    void gaussNewtonOfALinearModelIsItsHessian() {
        Engine.getInstance().setRandomSeed(1);
        Block linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT64, new Shape(6, 3));
        try (GaussNewtonVectorProduct g =
                        GaussNewtonVectorProduct.ofParameters(linear, new NDList(x), mse());
                HessianVectorProduct h =
                        HessianVectorProduct.ofParameters(
                                linear, new NDList(x), mse(), Method.EXACT)) {
            double[] v = random(g.dimension(), 2);
            assertThat(g.apply(manager.create(v)).toDoubleArray())
                    .containsExactly(h.apply(manager.create(v)).toDoubleArray(), within(EXACT_TOL));
        }
    }

    @Test
    void gaussNewtonOfAnMlpIsJTransposeHJAndPositiveSemiDefinite() {
        Block mlp = HessianVectorProductTest.tinyMlp(manager, 3);
        mlp.initialize(manager, DataType.FLOAT64, new Shape(6, 3));
        try (GaussNewtonVectorProduct g =
                GaussNewtonVectorProduct.ofParameters(mlp, new NDList(x), mse())) {
            int d = Math.toIntExact(g.dimension());
            double[] v = random(d, 3);
            // explicit: H_ℓ = 2/(N·K)·I for the mean squared error, so G·v = 2/(NK)·Jᵀ(Jv),
            // with Jv by central differences of the forward pass and Jᵀw by a gradient
            NDArray jv = jacobianTimes(mlp, v);
            NDArray w = jv.mul(2.0 / 12);
            double[] expected;
            try (HessianVectorProduct vjp =
                    HessianVectorProduct.ofParameters(
                            mlp, new NDList(x), out -> out.head().mul(w).sum(), Method.EXACT)) {
                expected = vjp.gradient(manager).toDoubleArray();
            }
            assertThat(g.apply(manager.create(v)).toDoubleArray())
                    .containsExactly(expected, within(FD_TOL));
            for (long seed = 10; seed < 30; seed++) {
                double[] u = random(d, seed);
                NDArray un = manager.create(u);
                assertThat(Vectors.dot(un, g.apply(un))).isGreaterThanOrEqualTo(-1e-12);
            }
        }
    }

    /** Jv by central differences of the block's output in the parameters, h = 1e-5. */
    private NDArray jacobianTimes(Block block, double[] v) {
        BlockParameters parameters = new BlockParameters(block);
        Leaves leaves = new Leaves(parameters.values, parameters.names);
        NDArray direction = manager.create(v);
        java.util.List<NDArray> parts = leaves.split(direction, "v");
        double h = 1e-5;
        java.util.List<NDArray> plus = new java.util.ArrayList<>();
        java.util.List<NDArray> minus = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            plus.add(parameters.values.get(i).add(parts.get(i).mul(h)));
            minus.add(parameters.values.get(i).sub(parts.get(i).mul(h)));
        }
        NDArray zPlus = parameters.forward(plus, new NDList(x)).head();
        NDArray zMinus = parameters.forward(minus, new NDList(x)).head();
        return zPlus.sub(zMinus).div(2 * h);
    }

    @Test
    void empiricalFisherMatchesPerExampleGradients() {
        Block mlp = HessianVectorProductTest.tinyMlp(manager, 3);
        mlp.initialize(manager, DataType.FLOAT64, new Shape(6, 3));
        try (EmpiricalFisher f =
                EmpiricalFisher.ofParameters(
                        mlp, new NDList(x), out -> out.head().sub(y).square().sum(new int[] {1}))) {
            int d = Math.toIntExact(f.dimension());
            double[][] g = new double[6][];
            for (int n = 0; n < 6; n++) {
                NDArray xn = x.get(n + ":" + (n + 1));
                NDArray yn = y.get(n + ":" + (n + 1));
                try (HessianVectorProduct single =
                        HessianVectorProduct.ofParameters(
                                mlp,
                                new NDList(xn),
                                out -> out.head().sub(yn).square().sum(),
                                Method.EXACT)) {
                    g[n] = single.gradient(manager).toDoubleArray();
                }
            }
            double[] v = random(d, 4);
            double[] expected = new double[d];
            double[] diagonal = new double[d];
            for (double[] gn : g) {
                double gv = 0;
                for (int i = 0; i < d; i++) {
                    gv += gn[i] * v[i];
                }
                for (int i = 0; i < d; i++) {
                    expected[i] += gn[i] * gv / 6;
                    diagonal[i] += gn[i] * gn[i] / 6;
                }
            }
            assertThat(f.apply(manager.create(v)).toDoubleArray())
                    .containsExactly(expected, within(EXACT_TOL));
            assertThat(f.diagonal(manager).toDoubleArray())
                    .containsExactly(diagonal, within(EXACT_TOL));
        }
    }

    @Test
    void badInputNamesWhatWasWrong() {
        Block mlp = HessianVectorProductTest.tinyMlp(manager, 3);
        mlp.initialize(manager, DataType.FLOAT64, new Shape(6, 3));
        assertThatThrownBy(
                        () ->
                                EmpiricalFisher.ofParameters(
                                        mlp, new NDList(x), out -> out.head().sub(y).square()))
                .hasMessage("per-example loss must be a vector (N), got shape (6, 2)");
        assertThatThrownBy(
                        () ->
                                GaussNewtonVectorProduct.ofParameters(
                                        mlp, new NDList(x), out -> out.head().sub(y)))
                .hasMessage("loss must return a scalar, got shape (6, 2)");
    }
}
