package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private final MlpSurrogate phi = MlpSurrogate.random(3, 2, 4, 2);

    private SurrogateProblem problem() {
        return SurrogateProblem.builder(phi)
                .setStart(new double[] {0, 0})
                .setObjective(OutputFunction.component(0))
                .optConstraint(OutputFunction.component(1))
                .optBounds(new double[] {-1, -1}, new double[] {1, 1})
                .build();
    }

    @Test
    void aBatchIsOneSurrogateCallAndCachedPointsCostNothing() {
        Evaluator evaluator = new Evaluator(problem(), Limits.ofEvaluations(100));
        List<double[]> points =
                List.of(new double[] {0.1, 0}, new double[] {0.2, 0}, new double[] {0.3, 0});
        evaluator.evaluateAll(points, StepKind.POLL);
        assertThat(phi.evaluateCalls()).isEqualTo(1);
        assertThat(evaluator.forwardPasses()).isEqualTo(3);

        Evaluation again = evaluator.evaluate(new double[] {0.2, 0}, StepKind.COVERING);
        assertThat(again.step()).isEqualTo(StepKind.POLL);
        assertThat(evaluator.forwardPasses()).isEqualTo(3);
        assertThat(evaluator.cacheHits()).isEqualTo(1);
        assertThat(evaluator.history().size()).isEqualTo(3);
    }

    @Test
    void pointsAreProjectedOntoTheBoundsAndValuesRecorded() {
        Evaluator evaluator = new Evaluator(problem(), Limits.ofEvaluations(100));
        Evaluation e = evaluator.evaluate(new double[] {3, -0.5}, StepKind.SEARCH);
        assertThat(e.x()).containsExactly(1, -0.5);
        double[] y = phi.evaluate(new double[][] {{1, -0.5}})[0];
        assertThat(e.objective()).isEqualTo(y[0]);
        assertThat(e.constraints()).containsExactly(y[1]);
        assertThat(e.violation()).isEqualTo(y[1] > 0 ? y[1] * y[1] : 0);
    }

    @Test
    void aBatchIsCutToTheBudgetAndThenTheBudgetIsEnforced() {
        Evaluator evaluator = new Evaluator(problem(), Limits.ofEvaluations(2));
        List<Evaluation> got =
                evaluator.evaluateAll(
                        List.of(
                                new double[] {0.1, 0},
                                new double[] {0.2, 0},
                                new double[] {0.3, 0}),
                        StepKind.POLL);
        assertThat(got).hasSize(2);
        assertThat(evaluator.exhausted()).isTrue();
        assertThatThrownBy(() -> evaluator.evaluate(new double[] {0.5, 0}, StepKind.POLL))
                .isInstanceOf(BudgetExhaustedException.class)
                .hasMessageContaining("budget of 2 forward passes is spent");
        assertThat(evaluator.evaluate(new double[] {0.1, 0}, StepKind.POLL).index()).isZero();
    }

    @Test
    void aDerivativeIsChargedItsForwardPass() {
        Evaluator evaluator = new Evaluator(problem(), Limits.ofEvaluations(10));
        Evaluation e = evaluator.evaluate(new double[] {0, 0}, StepKind.START);
        evaluator.meritGradient(e);
        assertThat(evaluator.forwardPasses()).isEqualTo(2);
        assertThat(evaluator.history().size()).isEqualTo(1);
    }
}
