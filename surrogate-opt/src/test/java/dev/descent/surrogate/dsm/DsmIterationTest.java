package dev.descent.surrogate.dsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.MlpSurrogate;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.ScriptedSurrogate;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.TrialEvaluation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Radius rules on a scripted oracle: Φ returns the scripted values in call order (n = 2, so no
 * trial coincides with another and hits the cache).
 */
class DsmIterationTest {

    private static final double R0 = 0.5;

    private static DsmIteration iteration(boolean growOnSearch, boolean skipAtMinimum) {
        return new DsmIteration(
                R0,
                new RadiusRule(0.125, 1.0),
                HouseholderPoll.TWO_N,
                TrialEvaluation.OPPORTUNISTIC,
                true,
                growOnSearch,
                skipAtMinimum);
    }

    private static Evaluator evaluator(double... script) {
        SurrogateProblem problem =
                SurrogateProblem.builder(new ScriptedSurrogate(2, script))
                        .setStart(new double[] {0, 0})
                        .setObjective(OutputFunction.component(0))
                        .build();
        return new Evaluator(problem, Limits.ofEvaluations(1000));
    }

    @Test
    void pollSuccessDoublesFailureHalvesAndCoveringOrSearchKeepTheRadius() {
        // start 0 | covering -1, search -1, poll -1, 5 | covering -1, search -1, poll -1 (4 times)
        // | covering 6 | covering -1, search 7 | then failures down to the minimum
        Evaluator evaluator = evaluator(0, -1, -1, -1, 5, -1, -1, -1, -1, -1, -1, 6, -1, 7);
        Random random = new Random(1);
        DsmIteration it = iteration(false, false);
        Evaluation x0 = evaluator.evaluate(new double[] {0, 0}, StepKind.START);
        DsmIteration.State s = it.initial(x0, 0.5);

        s = it.next(s, evaluator, random);
        assertThat(s.success()).isEqualTo(StepKind.POLL);
        assertThat(s.radius()).isEqualTo(1.0);
        assertThat(s.incumbent().objective()).isEqualTo(5);

        s = it.next(s, evaluator, random);
        assertThat(s.success()).isNull();
        assertThat(s.radius()).isEqualTo(0.5);

        s = it.next(s, evaluator, random);
        assertThat(s.success()).isEqualTo(StepKind.COVERING);
        assertThat(s.radius()).isEqualTo(0.5);

        s = it.next(s, evaluator, random);
        assertThat(s.success()).isEqualTo(StepKind.SEARCH);
        assertThat(s.radius()).isEqualTo(0.5);
        assertThat(s.searches()).isEqualTo(3);

        s = it.next(s, evaluator, random);
        s = it.next(s, evaluator, random);
        assertThat(s.radius()).isEqualTo(0.125);
        s = it.next(s, evaluator, random);
        assertThat(s.radius()).as("floored at r_min").isEqualTo(0.125);
        assertThat(evaluator.history().accepted(4)).isTrue();
        assertThat(evaluator.history().accepted(3)).isFalse();
    }

    @Test
    void theHybridsRulesGrowOnSearchAndSkipSearchAndPollAtTheMinimum() {
        // start 0 | covering -1, search 3 | covering -1 (radius at minimum: nothing else)
        Evaluator evaluator = evaluator(0, -1, 3, -1);
        Random random = new Random(2);
        DsmIteration it = iteration(true, true);
        DsmIteration.State s =
                it.initial(evaluator.evaluate(new double[] {0, 0}, StepKind.START), 0.5);
        s = it.next(s, evaluator, random);
        assertThat(s.success()).isEqualTo(StepKind.SEARCH);
        assertThat(s.radius()).isEqualTo(1.0);

        s = it.next(s.withRadius(0.125), evaluator, random);
        assertThat(s.success()).isNull();
        assertThat(evaluator.forwardPasses()).isEqualTo(4);
    }

    @Test
    void aBatchedPollIsOneSurrogateCall() {
        MlpSurrogate phi = MlpSurrogate.random(4, 3, 5, 1);
        SurrogateProblem problem =
                SurrogateProblem.builder(phi)
                        .setStart(new double[] {0, 0, 0})
                        .setObjective(OutputFunction.component(0))
                        .build();
        Evaluator evaluator = new Evaluator(problem, Limits.ofEvaluations(1000));
        DsmIteration it =
                new DsmIteration(
                        R0,
                        new RadiusRule(1e-5, 1),
                        HouseholderPoll.TWO_N,
                        TrialEvaluation.BATCH,
                        true,
                        false,
                        false);
        DsmIteration.State s =
                it.initial(evaluator.evaluate(new double[] {0, 0, 0}, StepKind.START), 0.5);
        Random random = new Random(5);
        int polled = 0;
        for (int k = 0; k < 5; k++) {
            long calls = phi.evaluateCalls();
            long passes = evaluator.forwardPasses();
            s = it.next(s, evaluator, random);
            if (s.success() == StepKind.POLL || s.success() == null) {
                assertThat(phi.evaluateCalls() - calls).isEqualTo(3);
                assertThat(evaluator.forwardPasses() - passes).isEqualTo(2 + 6);
                polled++;
            }
        }
        assertThat(polled).isPositive();
    }
}
