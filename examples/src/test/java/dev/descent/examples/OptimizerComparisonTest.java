package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Runs short comparisons through DJL's Trainer on the PyTorch engine. */
class OptimizerComparisonTest {

    private static OptimizerComparison.Settings settings(
            int seed, Map<OptimizerChoice, Double> rates, OptimizerChoice... optimizers) {
        return new OptimizerComparison.Settings(
                List.of(optimizers),
                rates,
                DatasetChoice.DIGITS,
                new ClassifierTraining.Setup(16, 2, 64, seed),
                1);
    }

    @Test
    void sameSeedGivesIdenticalCurves() {
        OptimizerComparison.Settings s =
                settings(42, Map.of(), OptimizerChoice.ADAMW, OptimizerChoice.ADABELIEF);

        OptimizerComparison.Result first = OptimizerComparison.run(s, n -> {});
        OptimizerComparison.Result second = OptimizerComparison.run(s, n -> {});

        for (int i = 0; i < 2; i++) {
            assertThat(losses(second.runs().get(i))).isEqualTo(losses(first.runs().get(i)));
        }
    }

    @Test
    void everyOptimizerStartsFromTheSameWeightsAndTheSeedMatters() {
        OptimizerComparison.Result a =
                OptimizerComparison.run(
                        settings(
                                1,
                                Map.of(),
                                OptimizerChoice.SGD,
                                OptimizerChoice.LION,
                                OptimizerChoice.CAUTIOUS_ADABELIEF),
                        n -> {});
        OptimizerComparison.Result b =
                OptimizerComparison.run(settings(2, Map.of(), OptimizerChoice.SGD), n -> {});

        assertThat(a.sameInitialLoss()).isTrue();
        for (OptimizerRun run : a.runs()) {
            assertThat(run.initial().validationLoss())
                    .isEqualTo(a.runs().get(0).initial().validationLoss());
        }
        // A different seed gives other initial weights (and another split).
        assertThat(b.runs().get(0).initial().trainLoss())
                .isNotEqualTo(a.runs().get(0).initial().trainLoss());
        // Training moved the weights: the optimizers end in different places.
        assertThat(a.runs().get(1).last().trainLoss())
                .isNotEqualTo(a.runs().get(0).last().trainLoss());
    }

    @Test
    void divergenceIsReportedAndTheOtherRunsGoOn() {
        AtomicInteger epochs = new AtomicInteger();
        OptimizerComparison.Result result =
                OptimizerComparison.run(
                        settings(
                                42,
                                Map.of(OptimizerChoice.SGD, 1e30),
                                OptimizerChoice.SGD,
                                OptimizerChoice.ADAMW),
                        epochs::addAndGet);

        OptimizerRun sgd = result.runs().get(0);
        OptimizerRun adamw = result.runs().get(1);
        assertThat(sgd.diverged()).isTrue();
        assertThat(sgd.divergence()).contains("NaN");
        assertThat(sgd.curve()).allMatch(EpochRecord::isFinite);
        assertThat(adamw.diverged()).isFalse();
        assertThat(adamw.curve()).hasSize(3).allMatch(EpochRecord::isFinite);
        // The progress counts skipped epochs too.
        assertThat(epochs.get()).isEqualTo(4);
        assertThat(ComparisonReport.table(result)).contains("diverged in epoch 1");
    }

    @Test
    void stateBytesAreReadFromDescentAndComputedForAdamW() {
        OptimizerComparison.Result result =
                OptimizerComparison.run(
                        settings(42, Map.of(), OptimizerChoice.ADAMW, OptimizerChoice.LION),
                        n -> {});

        OptimizerRun adamw = result.runs().get(0);
        OptimizerRun lion = result.runs().get(1);
        long parameterBytes = 4L * (64 * 16 + 16 + 16 * 10 + 10);
        assertThat(adamw.parameterCount()).isEqualTo(parameterBytes / 4);
        assertThat(adamw.stateBytesComputed()).isTrue();
        assertThat(adamw.stateBytes()).isEqualTo(2 * parameterBytes);
        assertThat(lion.stateBytesComputed()).isFalse();
        assertThat(lion.stateBytes()).isEqualTo(parameterBytes); // one momentum buffer
    }

    @Test
    void frugalHoldsOnlyItsSubspaceState() {
        OptimizerComparison.Result result =
                OptimizerComparison.run(
                        settings(42, Map.of(), OptimizerChoice.FRUGAL, OptimizerChoice.FRUGAL_SVD),
                        n -> {});

        // 64 -> 16 -> 10; the biases (16 + 10) get AdamW, the matrices are split
        long biasBytes = 2 * 4L * (16 + 10);
        // blocks: round(2 x 0.5) = 1 matrix active, descending from the last: 10 x 16
        assertThat(result.runs().get(0).stateBytes()).isEqualTo(biasBytes + 2 * 4L * 10 * 16);
        // SVD: 16 x 64 -> rank 4 on the left (moments 4 x 64, basis 16 x 4); 10 x 16 -> rank
        // round(2.5) = 2 (moments 2 x 16, basis 10 x 2)
        long svd = 4L * (2 * 4 * 64 + 16 * 4) + 4L * (2 * 2 * 16 + 10 * 2);
        assertThat(result.runs().get(1).stateBytes()).isEqualTo(biasBytes + svd);
        for (OptimizerRun run : result.runs()) {
            assertThat(run.stateBytesComputed()).isFalse();
            assertThat(run.stateBytesPerParameter()).isLessThan(8.0 / 2);
            assertThat(run.last().trainLoss()).isLessThan(run.initial().trainLoss());
        }
    }

    private static List<List<Double>> losses(OptimizerRun run) {
        return run.curve().stream()
                .map(e -> List.of(e.trainLoss(), e.validationLoss(), e.validationAccuracy()))
                .toList();
    }
}
