package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every solver's run must have, on the tanh-MLP target-matching problem. */
class SolverInvariantsTest {

    private static final long BUDGET = 300;

    /** Solvers that never ask for a derivative. */
    private static final Set<String> DERIVATIVE_FREE =
            Set.of("cdsm", "random-line-search", "cma-es", "bobyqa");

    static List<SurrogateSolver> solvers() {
        return Solvers.all();
    }

    @ParameterizedTest
    @MethodSource("solvers")
    void countsBudgetAndBestValueInvariantsHold(SurrogateSolver solver) {
        SurrogateProblem problem = TestProblems.targetMatching(1);
        MlpSurrogate phi = (MlpSurrogate) problem.surrogate();
        SurrogateResult result = solver.solve(problem, Limits.ofEvaluations(BUDGET), 5);
        History history = result.history();

        assertThat(result.solver()).isEqualTo(solver.name());
        assertThat(result.forwardPasses()).isLessThanOrEqualTo(BUDGET).isEqualTo(phi.evaluations());
        assertThat(history.size() + phi.derivativeRequests()).isEqualTo(result.forwardPasses());
        if (DERIVATIVE_FREE.contains(solver.name())) {
            assertThat((long) history.size()).isEqualTo(result.forwardPasses());
        }

        double[] best = history.bestFeasibleObjective();
        for (int i = 1; i < best.length; i++) {
            assertThat(best[i]).isGreaterThanOrEqualTo(best[i - 1]);
        }
        assertThat(best[best.length - 1]).isGreaterThan(best[0]);
        assertThat(result.bestFeasible().orElseThrow().objective())
                .isEqualTo(best[best.length - 1]);

        ConstraintHandling handling = problem.constraintHandling();
        Evaluation previous = null;
        long passes = 0;
        for (History.Entry entry : history.entries()) {
            Evaluation e = entry.evaluation();
            assertThat(e.forwardPasses()).isGreaterThan(passes);
            passes = e.forwardPasses();
            if (entry.accepted()) {
                // a random restart starts a new chain of accepted points (see RestartTest)
                if (previous != null && e.step() != StepKind.RESTART) {
                    assertThat(handling.improves(e, previous)).isTrue();
                }
                previous = e;
            }
        }
        assertThat(history.entries().get(0).accepted()).isTrue();
        assertThat(history.evaluations().get(0).step()).isEqualTo(StepKind.START);
    }

    @ParameterizedTest
    @MethodSource("solvers")
    void sameSeedGivesTheSameHistory(SurrogateSolver solver) {
        SurrogateResult a =
                solver.solve(TestProblems.targetMatching(2), Limits.ofEvaluations(200), 9);
        SurrogateResult b =
                solver.solve(TestProblems.targetMatching(2), Limits.ofEvaluations(200), 9);
        assertThat(b.history().size()).isEqualTo(a.history().size());
        for (int i = 0; i < a.history().size(); i++) {
            Evaluation ea = a.history().evaluations().get(i);
            Evaluation eb = b.history().evaluations().get(i);
            assertThat(eb.x()).containsExactly(ea.x());
            assertThat(eb.step()).isEqualTo(ea.step());
            assertThat(b.history().accepted(i)).isEqualTo(a.history().accepted(i));
        }
        assertThat(b.status()).isEqualTo(a.status());
    }
}
