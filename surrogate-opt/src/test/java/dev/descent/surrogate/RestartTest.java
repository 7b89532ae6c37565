package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.surrogate.dsm.CoveringDirectSearch;
import dev.descent.surrogate.hybrid.Alternation;
import dev.descent.surrogate.hybrid.HybridSearch;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restarts of the direct-search solvers on two Gaussian bumps over Φ = identity on [−1, 1]²: f(y) =
 * 0.5·exp(−‖y − a‖²/(2σ²)) + exp(−‖y − b‖²/(2σ²)), σ = 0.15, a = (−0.6, −0.6), b = (0.6, 0.6), from
 * the start a, a local maximum of value 0.5 (the global one, 1, is at b, beyond the covering radius
 * r₀ = 0.2). Without restarts every radius collapses at a after about a hundred evaluations.
 */
class RestartTest {

    private static final long BUDGET = 1000;
    private static final double SIGMA = 0.15;
    private static final double[] A = {-0.6, -0.6};
    private static final double[] B = {0.6, 0.6};
    private static final double LOCAL_MAXIMUM = 0.5;

    /** The bumps' own overlap: f(a) exceeds 0.5 by exp(−1.44/σ²)-order terms, far below this. */
    private static final double OVERLAP = 1e-12;

    /** The global maximum 1 is reached within this (the radius collapses within 1e-5 of b). */
    private static final double GLOBAL_TOLERANCE = 1e-3;

    static SurrogateProblem twoBumps(double[] lower, double[] upper, double[] start) {
        MlpSurrogate identity = MlpSurrogate.linear(new double[][] {{1, 0}, {0, 1}}, new double[2]);
        return SurrogateProblem.builder(identity)
                .setStart(start)
                .setObjective(
                        OutputFunction.of(
                                y -> LOCAL_MAXIMUM * bump(y, A) + bump(y, B),
                                y -> {
                                    double[] g = new double[2];
                                    for (int i = 0; i < 2; i++) {
                                        g[i] =
                                                -(LOCAL_MAXIMUM * bump(y, A) * (y[i] - A[i])
                                                                + bump(y, B) * (y[i] - B[i]))
                                                        / (SIGMA * SIGMA);
                                    }
                                    return g;
                                }))
                .optBounds(lower, upper)
                .build();
    }

    private static SurrogateProblem twoBumps() {
        return twoBumps(new double[] {-1, -1}, new double[] {1, 1}, A);
    }

    private static double bump(double[] y, double[] centre) {
        double d2 = 0;
        for (int i = 0; i < 2; i++) {
            d2 += (y[i] - centre[i]) * (y[i] - centre[i]);
        }
        return Math.exp(-d2 / (2 * SIGMA * SIGMA));
    }

    /** The direct-search solvers, each as a function of its restart strategy. */
    static Stream<Arguments> solvers() {
        Function<RestartStrategy, SurrogateSolver> cdsm =
                r -> CoveringDirectSearch.builder().optRestarts(r).build();
        Function<RestartStrategy, SurrogateSolver> hybrid =
                r -> HybridSearch.builder().optRestarts(r).build();
        Function<RestartStrategy, SurrogateSolver> alwaysDsm =
                r ->
                        HybridSearch.builder()
                                .optAlternation(Alternation.ALWAYS_DSM)
                                .optRestarts(r)
                                .build();
        return Stream.of(
                Arguments.of("cdsm", cdsm),
                Arguments.of("hybrid", hybrid),
                Arguments.of("hybrid-always-dsm", alwaysDsm));
    }

    static Stream<Arguments> solversAndStrategies() {
        return solvers()
                .flatMap(
                        a ->
                                Stream.of(RestartStrategy.RANDOM_START, RestartStrategy.FROM_BEST)
                                        .map(r -> Arguments.of(a.get()[0], a.get()[1], r)));
    }

    @Test
    void restartingFromARandomStartIsTheDefault() {
        assertThat(CoveringDirectSearch.builder().build().restarts())
                .isEqualTo(RestartStrategy.RANDOM_START);
        assertThat(HybridSearch.builder().build().restarts())
                .isEqualTo(RestartStrategy.RANDOM_START);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("solversAndStrategies")
    void aCollapsedMeshRestartsUntilTheBudgetIsSpent(
            String name, Function<RestartStrategy, SurrogateSolver> solver, RestartStrategy r) {
        SurrogateResult stopped =
                solver.apply(RestartStrategy.NONE)
                        .solve(twoBumps(), Limits.ofEvaluations(BUDGET), 3);
        assertThat(stopped.status()).isEqualTo(ExitStatus.RADIUS_BELOW_MINIMUM);
        assertThat(stopped.forwardPasses()).isLessThan(BUDGET / 4);
        assertThat(stopped.history().restarts()).isEmpty();

        SurrogateResult restarted =
                solver.apply(r).solve(twoBumps(), Limits.ofEvaluations(BUDGET), 3);
        assertThat(restarted.status()).isEqualTo(ExitStatus.BUDGET);
        assertThat(restarted.forwardPasses()).isEqualTo(BUDGET);
        List<History.Restart> restarts = restarted.history().restarts();
        assertThat(restarts).isNotEmpty();

        // the first local run is the run without restarts, point for point
        History.Restart first = restarts.get(0);
        assertThat(first.index()).isEqualTo(stopped.history().size());
        assertThat(first.forwardPasses()).isEqualTo(stopped.forwardPasses());
        for (int i = 0; i < first.index(); i++) {
            assertThat(restarted.history().evaluations().get(i).x())
                    .containsExactly(stopped.history().evaluations().get(i).x());
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("solversAndStrategies")
    void restartsAreRecordedInTheHistory(
            String name, Function<RestartStrategy, SurrogateSolver> solver, RestartStrategy r) {
        SurrogateProblem problem = twoBumps();
        SurrogateResult result = solver.apply(r).solve(problem, Limits.ofEvaluations(BUDGET), 4);
        History history = result.history();
        ConstraintHandling handling = problem.constraintHandling();
        List<History.Restart> restarts = history.restarts();
        assertThat(restarts).isNotEmpty();
        int previous = 0;
        for (int k = 0; k < restarts.size(); k++) {
            History.Restart restart = restarts.get(k);
            assertThat(restart.reason()).isEqualTo(ExitStatus.RADIUS_BELOW_MINIMUM);
            assertThat(restart.index()).isGreaterThan(previous).isLessThanOrEqualTo(history.size());
            previous = restart.index();
            List<Evaluation> before = history.evaluations().subList(0, restart.index());
            // derivatives spend forward passes without a point in the history
            assertThat(before.get(before.size() - 1).forwardPasses())
                    .isLessThanOrEqualTo(restart.forwardPasses());
            if (restart.index() < history.size()) {
                assertThat(history.evaluations().get(restart.index()).forwardPasses())
                        .isGreaterThan(restart.forwardPasses());
            }
            assertThat(history.accepted(restart.start())).isTrue();
            if (r == RestartStrategy.RANDOM_START) {
                assertThat(restart.start()).isEqualTo(restart.index());
                assertThat(history.evaluations().get(restart.start()).step())
                        .isEqualTo(StepKind.RESTART);
            } else {
                Evaluation best = before.get(0);
                for (Evaluation e : before) {
                    if (handling.improves(e, best)) {
                        best = e;
                    }
                }
                assertThat(restart.start()).isEqualTo(best.index());
            }
            assertThat(history.run(restart.index() - 1)).isEqualTo(k);
            if (restart.index() < history.size()) {
                assertThat(history.run(restart.index())).isEqualTo(k + 1);
            }
        }
        long restartPoints =
                history.evaluations().stream().filter(e -> e.step() == StepKind.RESTART).count();
        assertThat(restartPoints)
                .isEqualTo(r == RestartStrategy.RANDOM_START ? restarts.size() : 0);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("solversAndStrategies")
    void theBestValueNeverGetsWorseAcrossARestart(
            String name, Function<RestartStrategy, SurrogateSolver> solver, RestartStrategy r) {
        SurrogateProblem problem = twoBumps();
        ConstraintHandling handling = problem.constraintHandling();
        SurrogateResult result = solver.apply(r).solve(problem, Limits.ofEvaluations(BUDGET), 5);
        History history = result.history();
        assertThat(history.restarts()).isNotEmpty();
        double[] best = history.bestFeasibleObjective();
        for (History.Restart restart : history.restarts()) {
            double before = best[restart.index() - 1];
            for (int i = restart.index(); i < best.length; i++) {
                assertThat(best[i]).isGreaterThanOrEqualTo(before);
            }
            assertThat(result.best().objective()).isGreaterThanOrEqualTo(before);
        }
        // accepted points improve within a local run; from the best point, across runs too
        Evaluation previous = null;
        for (History.Entry entry : history.entries()) {
            Evaluation e = entry.evaluation();
            if (!entry.accepted()) {
                continue;
            }
            boolean sameRun =
                    previous != null && history.run(e.index()) == history.run(previous.index());
            if (previous != null && (sameRun || r == RestartStrategy.FROM_BEST)) {
                assertThat(handling.improves(e, previous)).as("point %d", e.index()).isTrue();
            }
            previous = e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void randomRestartsLeaveTheLocalMaximum(
            String name, Function<RestartStrategy, SurrogateSolver> solver) {
        for (long seed = 0; seed < 10; seed++) {
            SurrogateResult stopped =
                    solver.apply(RestartStrategy.NONE)
                            .solve(twoBumps(), Limits.ofEvaluations(BUDGET), seed);
            assertThat(stopped.best().objective())
                    .as("seed %d", seed)
                    .isCloseTo(LOCAL_MAXIMUM, within(OVERLAP));
            SurrogateResult restarted =
                    solver.apply(RestartStrategy.RANDOM_START)
                            .solve(twoBumps(), Limits.ofEvaluations(BUDGET), seed);
            assertThat(restarted.best().objective())
                    .as("seed %d", seed)
                    .isCloseTo(1, within(GLOBAL_TOLERANCE));
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("solversAndStrategies")
    void theSameSeedGivesTheSameRestarts(
            String name, Function<RestartStrategy, SurrogateSolver> solver, RestartStrategy r) {
        SurrogateResult a = solver.apply(r).solve(twoBumps(), Limits.ofEvaluations(BUDGET), 6);
        SurrogateResult b = solver.apply(r).solve(twoBumps(), Limits.ofEvaluations(BUDGET), 6);
        assertThat(b.history().restarts()).isNotEmpty().isEqualTo(a.history().restarts());
        assertThat(b.history().size()).isEqualTo(a.history().size());
        for (int i = 0; i < a.history().size(); i++) {
            assertThat(b.history().evaluations().get(i).x())
                    .containsExactly(a.history().evaluations().get(i).x());
        }
        SurrogateResult other = solver.apply(r).solve(twoBumps(), Limits.ofEvaluations(BUDGET), 7);
        assertThat(other.history().restarts()).isNotEqualTo(a.history().restarts());
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("solversAndStrategies")
    void aLocalRunThatEvaluatesNothingNewEndsTheRestarts(
            String name, Function<RestartStrategy, SurrogateSolver> solver, RestartStrategy r) {
        // a box of width 0: every trial projects onto the start point, already evaluated
        double[] point = {0.1, -0.2};
        SurrogateProblem problem = twoBumps(point, point, point);
        SurrogateResult result =
                solver.apply(r)
                        .solve(problem, Limits.ofEvaluations(BUDGET).withIterations(10_000), 0);
        assertThat(result.status()).isEqualTo(ExitStatus.RADIUS_BELOW_MINIMUM);
        assertThat(result.history().size()).isEqualTo(1);
        assertThat(result.history().restarts()).isEmpty();
        assertThat(result.iterations()).isLessThan(10_000);
    }
}
