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

    private static List<List<Double>> losses(OptimizerRun run) {
        return run.curve().stream()
                .map(e -> List.of(e.trainLoss(), e.validationLoss(), e.validationAccuracy()))
                .toList();
    }
}
