package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IgniteRegularizerTest {

    /** The bound for the regularizer against differences of rho·‖∇G‖ (float64). */
    private static final double GRADIENT_RTOL = 1e-2;

    /** Central-difference step on the parameters for the reference gradient (float64). */
    private static final double DIFFERENCE_STEP = 1e-6;

    /** Finite-difference product at radius 1e-4 against double backward (float64). */
    private static final double PRODUCT_RTOL = 1e-3;

    private static final int DIMENSION = 3;

    private static OfflineDataset data(int rows, long seed) {
        ShiftedFunctionTask task =
                new ShiftedFunctionTask(ShiftedFunctionTask.Function.ACKLEY, DIMENSION, 1);
        return OfflineDataset.sample(task, rows, 100, seed);
    }

    private static TrainedSurrogate untrained(DataType type) {
        return SurrogateTraining.builder()
                .optHead(SurrogateHead.MSE)
                .optHidden(4, 2)
                .optEpochs(0)
                .optValidationSize(0)
                .optDataType(type)
                .build()
                .train(data(16, 3), 5);
    }

    private static NDArray batch(NDManager manager, DataType type) {
        SplittableRandom random = new SplittableRandom(17);
        double[] x = new double[8 * DIMENSION];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1.5, 1.5);
        }
        return SurrogateTraining.create(manager, x, new Shape(8, DIMENSION), type);
    }

    private static List<double[]> snapshot(Block block) {
        List<double[]> values = new ArrayList<>();
        for (NDArray a : IgniteRegularizer.trainable(block)) {
            values.add(a.toType(DataType.FLOAT64, false).toDoubleArray());
        }
        return values;
    }

    private static double[] term(
            Block block, NDArray x, IgniteRegularizer.Builder settings, NDManager m) {
        IgniteRegularizer r = settings.optFixedLambda(1).build();
        NDArray g = IgniteRegularizer.meanPredictionGradient(block, new NDList(x), m).zerosLike();
        r.addTo(block, new NDList(x), g);
        return g.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @Test
    void regularizerGradientIsTheGradientOfRhoTimesTheParameterGradientNorm() {
        double rho = 0.05;
        try (TrainedSurrogate s = untrained(DataType.FLOAT64);
                NDManager m = NDManager.newBaseManager()) {
            Block block = s.block();
            NDArray x = batch(m, DataType.FLOAT64);
            // the reference's radius r = 0.05 as well
            double[] regularizer = term(block, x, IgniteRegularizer.builder().optRho(rho), m);
            List<double[]> expected = new ArrayList<>();
            for (NDArray w : IgniteRegularizer.trainable(block)) {
                double[] d = new double[(int) w.size()];
                for (int j = 0; j < d.length; j++) {
                    double[] original = w.toDoubleArray();
                    double[] plus = original.clone();
                    plus[j] += DIFFERENCE_STEP;
                    w.set(plus);
                    double up = rho * sharpnessAt(block, x, m);
                    double[] minus = original.clone();
                    minus[j] -= DIFFERENCE_STEP;
                    w.set(minus);
                    double down = rho * sharpnessAt(block, x, m);
                    w.set(original);
                    d[j] = (up - down) / (2 * DIFFERENCE_STEP);
                }
                expected.add(d);
            }
            double[] flat = expected.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
            assertThat(relativeError(regularizer, flat)).isLessThan(GRADIENT_RTOL);
        }
    }

    private static double sharpnessAt(Block block, NDArray x, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            return IgniteRegularizer.norm(
                    IgniteRegularizer.meanPredictionGradient(block, new NDList(x), scope));
        }
    }

    @Test
    void parametersAreBitIdenticalAfterThePerturbation() {
        try (TrainedSurrogate s = untrained(DataType.FLOAT32);
                NDManager m = NDManager.newBaseManager()) {
            List<double[]> before = snapshot(s.block());
            term(s.block(), batch(m, DataType.FLOAT32), IgniteRegularizer.builder(), m);
            List<double[]> after = snapshot(s.block());
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).containsExactly(before.get(i));
            }
        }
    }

    @Test
    void multiplierMovesByTheDualStepOncePerBatch() {
        try (TrainedSurrogate s = untrained(DataType.FLOAT64);
                NDManager m = NDManager.newBaseManager()) {
            NDArray x = batch(m, DataType.FLOAT64);
            IgniteRegularizer r =
                    IgniteRegularizer.builder()
                            .optInitialLambda(0.02)
                            .optDualRate(0.5)
                            .optEpsilon(0.01)
                            .optRho(0.3)
                            .build();
            NDArray g = IgniteRegularizer.meanPredictionGradient(s.block(), new NDList(x), m);
            double gNorm = IgniteRegularizer.norm(g);
            r.addTo(s.block(), new NDList(x), g.zerosLike());
            assertThat(r.lastGradientNorm()).isEqualTo(gNorm);
            double once = 0.02 + 0.5 * (0.3 * gNorm - 0.01);
            assertThat(r.lambda()).isEqualTo(once);
            r.addTo(s.block(), new NDList(x), g.zerosLike());
            assertThat(r.lambda()).isEqualTo(once + 0.5 * (0.3 * gNorm - 0.01));
            // the reference does not clip at zero: a small norm drives lambda negative
            assertThat(IgniteRegularizer.nextLambda(0, 1, 0.05, 0, 0.1)).isEqualTo(-0.1);
            IgniteRegularizer fixed = IgniteRegularizer.builder().optFixedLambda(0.01).build();
            fixed.addTo(s.block(), new NDList(x), g.zerosLike());
            assertThat(fixed.lambda()).isEqualTo(0.01);
        }
    }

    @Test
    void finiteDifferenceProductApproachesTheExactOne() {
        try (TrainedSurrogate s = untrained(DataType.FLOAT64);
                NDManager m = NDManager.newBaseManager()) {
            NDArray x = batch(m, DataType.FLOAT64);
            double[] exact =
                    term(
                            s.block(),
                            x,
                            IgniteRegularizer.builder().optProduct(IgniteRegularizer.Product.EXACT),
                            m);
            double[] difference =
                    term(s.block(), x, IgniteRegularizer.builder().optRadius(1e-4), m);
            assertThat(relativeError(difference, exact)).isLessThan(PRODUCT_RTOL);
        }
    }

    @Test
    void zeroFixedLambdaReproducesUnregularizedTrainingExactly() {
        OfflineDataset d = data(96, 8);
        SurrogateTraining.Builder common =
                SurrogateTraining.builder()
                        .optHidden(8, 2)
                        .optEpochs(3)
                        .optBatchSize(16)
                        .optValidationSize(16);
        try (TrainedSurrogate plain = common.build().train(d, 4);
                TrainedSurrogate zero =
                        common.optIgnite(
                                        () -> IgniteRegularizer.builder().optFixedLambda(0).build())
                                .build()
                                .train(d, 4)) {
            List<double[]> a = snapshot(plain.block());
            List<double[]> b = snapshot(zero.block());
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i)).containsExactly(a.get(i));
            }
            assertThat(zero.finalLambda()).isEqualTo(0);
            assertThat(zero.validationLoss()).isEqualTo(plain.validationLoss());
        }
    }

    @Test
    void rejectsSettingsOutOfRangeNamingThem() {
        assertThatThrownBy(() -> IgniteRegularizer.builder().optRho(0).build())
                .hasMessageContaining("rho must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> IgniteRegularizer.builder().optRadius(-1).build())
                .hasMessageContaining("radius must be finite and > 0, got -1.0");
        assertThatThrownBy(() -> IgniteRegularizer.builder().optEpsilon(Double.NaN).build())
                .hasMessageContaining("epsilon must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> SurrogateTraining.builder().optBatchSize(0).build())
                .hasMessageContaining("batchSize must be >= 1, got 0");
    }

    private static double relativeError(double[] actual, double[] expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        assertThat(norm).isGreaterThan(0);
        return Math.sqrt(diff / norm);
    }
}
