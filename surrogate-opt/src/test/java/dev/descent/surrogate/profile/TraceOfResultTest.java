package dev.descent.surrogate.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.Solvers;
import dev.descent.surrogate.SurrogateResult;
import dev.descent.surrogate.TestProblems;
import org.junit.jupiter.api.Test;

/**
 * {@link Trace#ofResult} on real runs: gradient ascent spends forward passes on derivatives that
 * leave no point in the history, and the trace must count them.
 */
class TraceOfResultTest {

    private static final long BUDGET = 40;

    @Test
    void traceIsIndexedByForwardPassesAndHoldsTheRunningBest() {
        for (String solver : new String[] {"gradient-ascent", "cdsm"}) {
            SurrogateResult result =
                    Solvers.byName(solver)
                            .solve(TestProblems.targetMatching(3), Limits.ofEvaluations(BUDGET), 5);
            Trace trace = Trace.ofResult(result, "target", 5);
            assertThat(trace.solver()).isEqualTo(solver);
            assertThat(trace.best()).hasSize((int) result.forwardPasses());
            double running = Double.NEGATIVE_INFINITY;
            long previousPasses = 0;
            for (Evaluation e : result.history().evaluations()) {
                // before this point's pass the trace holds the previous running best
                for (long k = previousPasses + 1; k < e.forwardPasses(); k++) {
                    assertThat(trace.bestAfter(k)).isEqualTo(running);
                }
                if (e.feasible()) {
                    running = Math.max(running, e.objective());
                }
                assertThat(trace.bestAfter(e.forwardPasses())).as(solver).isEqualTo(running);
                previousPasses = e.forwardPasses();
            }
            assertThat(trace.finalBest()).isEqualTo(result.bestFeasible().get().objective());
        }
    }
}
