package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineOptimizersTest {

    private static final double EXACT = 1e-12;

    /**
     * ONNX Runtime / imported float32 graph against the DJL block: float32 rounding accumulated
     * over the ascent's steps.
     */
    private static final double ONNX_ATOL = 1e-4;

    private static final int COUNT = 16;

    private static final OfflineTask TASK =
            new ShiftedFunctionTask(ShiftedFunctionTask.Function.ACKLEY, 8, 2);
    private static final OfflineDataset DATA = OfflineDataset.sample(TASK, 400, 50, 1);

    private static SurrogateTraining small() {
        return SurrogateTraining.builder()
                .optHidden(16, 2)
                .optEpochs(4)
                .optBatchSize(32)
                .optValidationSize(40)
                .build();
    }

    /** A linear surrogate w·x + b whose column 0 is the score. */
    private record Linear(double[] w, double b) implements Surrogate {
        @Override
        public int inputDimension() {
            return w.length;
        }

        @Override
        public int outputDimension() {
            return 1;
        }

        @Override
        public double[][] evaluate(double[][] points) {
            double[][] out = new double[points.length][1];
            for (int r = 0; r < points.length; r++) {
                out[r][0] = b;
                for (int i = 0; i < w.length; i++) {
                    out[r][0] += w[i] * points[r][i];
                }
            }
            return out;
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            double[][] g = new double[points.length][w.length];
            for (int r = 0; r < points.length; r++) {
                for (int i = 0; i < w.length; i++) {
                    g[r][i] = cotangents[r][0] * w[i];
                }
            }
            return g;
        }

        @Override
        public boolean exactDerivatives() {
            return true;
        }

        @Override
        public long evaluations() {
            return 0;
        }

        @Override
        public long derivativeRequests() {
            return 0;
        }

        @Override
        public void close() {}
    }

    @Test
    void ascentMovesAlongTheAggregatedGradient() {
        Linear up = new Linear(new double[] {1, 0}, 0);
        Linear side = new Linear(new double[] {0, 1}, -10);
        double[][] start = {{0, 0}, {20, 0}};
        double[][] mean =
                GradientAscent.ascend(
                        List.of(up, side), GradientAscent.Aggregation.MEAN, start, 0.1, 10);
        assertThat(mean[0]).containsExactly(new double[] {0.5, 0.5}, within(EXACT));
        // min: `side` is lower at (0, 0) (−10 < 0), `up` is lower at (20, 0) (20 > −10 fails)
        double[][] min =
                GradientAscent.ascend(
                        List.of(up, side), GradientAscent.Aggregation.MIN, start, 0.1, 1);
        assertThat(min[0]).containsExactly(new double[] {0, 0.1}, within(EXACT));
        assertThat(min[1]).containsExactly(new double[] {20, 0.1}, within(EXACT));
        assertThat(start[0]).containsExactly(0, 0);
    }

    @Test
    void everyOptimizerProposesFiniteDesignsWithAndWithoutIgnite() {
        List<OfflineOptimizer> optimizers =
                List.of(
                        new GradientAscent(1, GradientAscent.Aggregation.MEAN, 0.01, 20),
                        new GradientAscent(2, GradientAscent.Aggregation.MIN, 0.01, 20),
                        new ConservativeObjectiveModels(0.05, 2, 10),
                        new CmaEsSearch(0.5, 3));
        for (OfflineOptimizer optimizer : optimizers) {
            for (boolean ignite : new boolean[] {false, true}) {
                SurrogateTraining.Builder b =
                        SurrogateTraining.builder()
                                .optHidden(16, 2)
                                .optEpochs(2)
                                .optBatchSize(32)
                                .optValidationSize(40);
                if (ignite) {
                    b.optIgnite(() -> IgniteRegularizer.builder().build());
                }
                MboExperiment.Outcome o =
                        MboExperiment.run(TASK, DATA, optimizer, b.build(), COUNT, 3);
                assertThat(o.optimizer()).isEqualTo(optimizer.name());
                assertThat(o.ignite()).isEqualTo(ignite);
                assertThat(o.p100()).isGreaterThanOrEqualTo(o.p80());
                assertThat(o.p80()).isGreaterThanOrEqualTo(o.p50());
                assertThat(o.p50()).isFinite();
                assertThat(o.sharpness()).isPositive();
            }
        }
    }

    @Test
    void sameSeedSameProposals() {
        OfflineOptimizer grad = new GradientAscent(1, GradientAscent.Aggregation.MEAN, 0.01, 20);
        double[][] a = grad.propose(DATA, small(), COUNT, 5).designs();
        double[][] b = grad.propose(DATA, small(), COUNT, 5).designs();
        assertThat(b).isDeepEqualTo(a);
    }

    @Test
    void surrogateExportedToOnnxAndLoadedBackGivesTheSameProposals(@TempDir Path dir) {
        Path file = dir.resolve("surrogate.onnx");
        try (TrainedSurrogate trained = small().train(DATA, 6)) {
            trained.exportOnnx(file);
            double[][] starts = OfflineOptimizer.starts(DATA, trained.designScale(), COUNT);
            double step = 0.01 * Math.sqrt(TASK.dimension());
            try (OnnxModel model = OnnxModel.open(file);
                    Surrogate loaded = Surrogates.builder(model).build()) {
                assertThat(loaded.exactDerivatives()).isTrue();
                assertThat(loaded.outputDimension()).isEqualTo(trained.outputDimension());
                double[][] here =
                        GradientAscent.ascend(
                                List.of(trained),
                                GradientAscent.Aggregation.MEAN,
                                starts,
                                step,
                                50);
                double[][] there =
                        GradientAscent.ascend(
                                List.of(loaded), GradientAscent.Aggregation.MEAN, starts, step, 50);
                for (int i = 0; i < COUNT; i++) {
                    assertThat(there[i]).containsExactly(here[i], within(ONNX_ATOL));
                }
                CmaEsSearch cma = new CmaEsSearch(0.5, 5);
                double[][] cmaHere = cma.search(trained, java.util.Arrays.copyOf(starts, 2), 1);
                double[][] cmaThere = cma.search(loaded, java.util.Arrays.copyOf(starts, 2), 1);
                for (int i = 0; i < 2; i++) {
                    assertThat(cmaThere[i]).containsExactly(cmaHere[i], within(ONNX_ATOL));
                }
            }
        }
    }
}
