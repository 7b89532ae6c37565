package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.surrogate.hybrid.HybridSearch;
import org.junit.jupiter.api.Test;

/**
 * Maximize y₀ + y₁ subject to c = y₀ + y₁ − 1 ≤ 0 with Φ the identity on [−1, 1]²: the constraint
 * is active at the solution, f* = 1.
 */
class ConstraintHandlingTest {

    private static final double ACTIVE_TOLERANCE = 1e-3;
    private static final long BUDGET = 2000;

    private static SurrogateProblem problem(double[] start, ConstraintHandling handling) {
        return SurrogateProblem.builder(
                        MlpSurrogate.linear(new double[][] {{1, 0}, {0, 1}}, new double[2]))
                .setStart(start)
                .setObjective(OutputFunction.linear(new double[] {1, 1}, 0))
                .optConstraint(OutputFunction.linear(new double[] {1, 1}, -1))
                .optBounds(new double[] {-1, -1}, new double[] {1, 1})
                .optConstraintHandling(handling)
                .build();
    }

    @Test
    void penaltyWithScale1000LeavesAViolationBelow1e3AtTheActiveConstraint() {
        // max t − s·(t − 1)² at t = 1 + 1/(2s): the violation is 5e-4 for s = 1000.
        SurrogateResult result =
                HybridSearch.builder()
                        .build()
                        .solve(
                                problem(new double[] {0, 0}, ConstraintHandling.penalty(1000)),
                                Limits.ofEvaluations(BUDGET),
                                0);
        double c = result.best().constraints()[0];
        assertThat(c).isBetween(0.0, ACTIVE_TOLERANCE);
    }

    @Test
    void barriersRecoverFromAnInfeasibleStartAndEndFeasibleAtTheConstraint() {
        for (ConstraintHandling handling :
                new ConstraintHandling[] {
                    new ConstraintHandling.ExtremeBarrier(),
                    new ConstraintHandling.ProgressiveBarrier()
                }) {
            SurrogateResult result =
                    HybridSearch.builder()
                            .build()
                            .solve(
                                    problem(new double[] {0.9, 0.9}, handling),
                                    Limits.ofEvaluations(BUDGET),
                                    0);
            assertThat(result.history().evaluations().get(0).feasible()).isFalse();
            assertThat(result.best().feasible()).as(handling.toString()).isTrue();
            assertThat(result.best().objective()).isBetween(1 - ACTIVE_TOLERANCE, 1.0);
            assertThat(result.bestFeasible()).contains(result.best());
        }
    }

    @Test
    void comparisonsFollowEachHandling() {
        Evaluation feasibleLow = evaluation(0.5, 0);
        Evaluation infeasibleHigh = evaluation(2, 0.25);
        Evaluation infeasibleBetter = evaluation(2.5, 0.16);
        Evaluation infeasibleLessViolatedLower = evaluation(1.0, 0.01);
        ConstraintHandling penalty = ConstraintHandling.penalty(1);
        ConstraintHandling extreme = new ConstraintHandling.ExtremeBarrier();
        ConstraintHandling progressive = new ConstraintHandling.ProgressiveBarrier();

        assertThat(penalty.improves(infeasibleHigh, feasibleLow)).isTrue();
        assertThat(extreme.improves(infeasibleHigh, feasibleLow)).isFalse();
        assertThat(progressive.improves(infeasibleHigh, feasibleLow)).isFalse();
        assertThat(extreme.improves(feasibleLow, infeasibleHigh)).isTrue();

        assertThat(extreme.improves(infeasibleLessViolatedLower, infeasibleHigh)).isTrue();
        assertThat(progressive.improves(infeasibleLessViolatedLower, infeasibleHigh)).isTrue();
        assertThat(progressive.improves(infeasibleBetter, infeasibleHigh)).isTrue();
        assertThat(progressive.improves(infeasibleHigh, infeasibleBetter)).isFalse();
        Evaluation sameViolationHigherF = evaluation(3, 0.25);
        assertThat(progressive.improves(sameViolationHigherF, infeasibleHigh)).isTrue();
        assertThat(extreme.improves(sameViolationHigherF, infeasibleHigh)).isFalse();
    }

    private static Evaluation evaluation(double f, double violation) {
        double c = Math.sqrt(violation);
        return new Evaluation(
                0, new double[1], new double[1], f, new double[] {c}, violation, StepKind.START, 1);
    }
}
