package dev.descent.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every torch-exported fixture, imported into DJL, against ONNX Runtime (values) and against
 * central finite differences of the imported block in float64 (input gradients).
 */
class ImportParityTest {

    /**
     * Imported float32 block against ONNX Runtime: the bound, relative per element, with a
     * floor for outputs near zero: {@code |a − e| ≤ 1e-5·max(|e|, 0.1·max|e|)}. Without the floor
     * the bound cannot hold in float32: a Gemm whose terms are of size ~1 cancels to outputs of
     * ~0.02, where a different summation order changes the result by a few ulps of the terms
     * (measured 3e-7 absolute, 1.7e-5 relative to such an output, on the LayerNorm model).
     */
    static final double F32_RTOL = 1e-5;

    static final double F32_FLOOR_OF_MAX = 0.1;

    /**
     * Analytic float64 gradient against central differences with step {@link #FD_STEP}: the
     * truncation error is O(h²·f''') ≈ 1e-12 and the rounding error O(eps/h) ≈ 1e-10.
     */
    static final double F64_GRAD_RTOL = 1e-6;

    static final double F64_GRAD_ATOL = 1e-8;

    static final double FD_STEP = 1e-6;

    static final int BATCH = 6;

    /** Rows in the finite-difference check: two, so that rows must not leak into each other. */
    static final int GRADIENT_BATCH = 2;

    static Stream<String> fixtures() {
        return Fixtures.TORCH_MODELS.stream();
    }

    static long[] concreteShape(TensorSpec spec, int batch) {
        return spec.shape().stream().mapToLong(d -> d.isFixed() ? d.size() : batch).toArray();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void importedBlockMatchesOnnxRuntime(String file) {
        try (OnnxModel model = OnnxModel.open(Fixtures.path(file));
                NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block = OnnxImporter.importModel(model, manager);
            Random random = new Random(file.hashCode());
            for (int trial = 0; trial < 3; trial++) {
                int batch = trial == 0 ? 1 : trial == 1 ? BATCH : 64;
                long[] shape = concreteShape(model.singleInput(), batch);
                NDArray x = randomArray(manager, shape, random, DataType.FLOAT32);
                float[] expected = model.evaluate(x).toFloatArray();
                NDArray y =
                        block.forward(new ParameterStore(manager, false), new NDList(x), false)
                                .singletonOrThrow();
                assertThat(y.getShape().get(0)).isEqualTo(batch);
                float[] actual = y.toFloatArray();
                double floor = F32_FLOOR_OF_MAX * maxAbs(expected);
                assertThat(maxRelativeError(actual, expected, floor))
                        .as("%s batch %d: max |a-e|/max(|e|, %s)", file, batch, floor)
                        .isLessThanOrEqualTo(F32_RTOL);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void inputGradientMatchesCentralDifferencesInFloat64(String file) {
        try (OnnxModel model = OnnxModel.open(Fixtures.path(file));
                NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block =
                    OnnxImporter.importModel(model.proto(), file, manager, DataType.FLOAT64);
            Random random = new Random(file.hashCode() + 1);
            long[] shape = concreteShape(model.singleInput(), GRADIENT_BATCH);
            NDArray x = randomArray(manager, shape, random, DataType.FLOAT64);
            long[] outShape = forward(block, manager, x).getShape().getShape();
            NDArray weights = randomArray(manager, outShape, random, DataType.FLOAT64);

            NDArray grad;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                x.setRequiresGradient(true);
                NDArray objective = forward(block, manager, x).mul(weights).sum();
                collector.backward(objective);
                grad = x.getGradient().duplicate();
            }
            double[] analytic = grad.toDoubleArray();
            double[] base = x.toDoubleArray();
            double[] numeric = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += FD_STEP;
                minus[i] -= FD_STEP;
                double fPlus = objective(block, manager, plus, shape, weights);
                double fMinus = objective(block, manager, minus, shape, weights);
                numeric[i] = (fPlus - fMinus) / (2 * FD_STEP);
            }
            for (int i = 0; i < base.length; i++) {
                assertThat(analytic[i])
                        .as("%s d/dx[%d] (rtol %s, atol %s)", file, i, F64_GRAD_RTOL, F64_GRAD_ATOL)
                        .isCloseTo(
                                numeric[i],
                                org.assertj.core.data.Offset.offset(
                                        F64_GRAD_ATOL + F64_GRAD_RTOL * Math.abs(numeric[i])));
            }
            assertThat(java.util.Arrays.stream(analytic).map(Math::abs).max().orElse(0))
                    .as("gradient is not identically zero")
                    .isGreaterThan(1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void initializersAreTrainableParametersExceptRunningStatistics(String file) {
        try (OnnxModel model = OnnxModel.open(Fixtures.path(file));
                NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block = OnnxImporter.importModel(model, manager);
            List<String> trainable = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                boolean running = p.getKey().contains("running_");
                assertThat(p.getValue().requiresGradient()).as(p.getKey()).isEqualTo(!running);
                if (!running) {
                    trainable.add(p.getKey());
                }
            }
            assertThat(trainable).isNotEmpty();
            NDArray x =
                    randomArray(
                            manager,
                            concreteShape(model.singleInput(), 4),
                            new Random(3),
                            DataType.FLOAT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = forward(block, manager, x);
                collector.backward(y.mul(y).sum());
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    assertThat(p.getValue().getArray().getGradient().abs().sum().getFloat())
                            .as("gradient of parameter %s", p.getKey())
                            .isGreaterThan(0f);
                }
            }
        }
    }

    static NDArray forward(OnnxBlock block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
    }

    private static double objective(
            OnnxBlock block, NDManager manager, double[] x, long[] shape, NDArray weights) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, new Shape(shape));
            return forward(block, scope, input).mul(weights).sum().getDouble();
        }
    }

    static NDArray randomArray(NDManager manager, long[] shape, Random random, DataType type) {
        int n = Math.toIntExact(new Shape(shape).size());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return manager.create(v, new Shape(shape)).toType(type, false);
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    /** max over elements of |a - e| / max(|e|, floor). */
    static double maxRelativeError(float[] actual, float[] expected, double floor) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double err =
                    Math.abs((double) actual[i] - expected[i])
                            / Math.max(floor, Math.abs(expected[i]));
            worst = Math.max(worst, err);
        }
        return worst;
    }
}
