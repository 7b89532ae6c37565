package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end check on a toy task (shifted Ackley, d = 8): gradient ascent on a
 * surrogate trained with IGNITE (fixed multiplier 3, rho = radius = 0.2) against the same training
 * without it, over four seeds.
 */
class IgniteEndToEndTest {

    private static final int SEEDS = 4;

    @Test
    void igniteLowersSharpnessWithoutLoweringTheMeanScoreByMoreThanOneStd() {
        OfflineTask task = new ShiftedFunctionTask(ShiftedFunctionTask.Function.ACKLEY, 8, 2);
        OfflineDataset data = OfflineDataset.sample(task, 600, 50, 1);
        OfflineOptimizer grad = new GradientAscent(1, GradientAscent.Aggregation.MEAN, 0.01, 200);
        SurrogateTraining.Builder common =
                SurrogateTraining.builder()
                        .optHidden(32, 2)
                        .optEpochs(10)
                        .optBatchSize(32)
                        .optValidationSize(50);
        SurrogateTraining plain = common.build();
        SurrogateTraining ignite =
                common.optIgnite(
                                () ->
                                        IgniteRegularizer.builder()
                                                .optFixedLambda(3)
                                                .optRho(0.2)
                                                .optRadius(0.2)
                                                .build())
                        .build();
        List<MboExperiment.Outcome> without = new ArrayList<>();
        List<MboExperiment.Outcome> with = new ArrayList<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            without.add(MboExperiment.run(task, data, grad, plain, 64, seed));
            with.add(MboExperiment.run(task, data, grad, ignite, 64, seed));
        }
        for (int i = 0; i < SEEDS; i++) {
            assertThat(with.get(i).sharpness())
                    .as("seed %d", i)
                    .isLessThan(without.get(i).sharpness());
        }
        MboExperiment.Spread base = MboExperiment.spread(without, MboExperiment.Outcome::p100);
        MboExperiment.Spread regularized = MboExperiment.spread(with, MboExperiment.Outcome::p100);
        assertThat(regularized.mean()).isGreaterThanOrEqualTo(base.mean() - base.std());
    }
}
