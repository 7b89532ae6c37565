package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.descent.surrogate.attack.CoordinateTrialAttack;
import dev.descent.surrogate.attack.FiniteDifferenceAttack;
import dev.descent.surrogate.attack.ProjectedSignAttack;
import dev.descent.surrogate.attack.SignGradientAttack;
import dev.descent.surrogate.baseline.BobyqaSolver;
import dev.descent.surrogate.dsm.CoveringDirectSearch;
import dev.descent.surrogate.hybrid.HybridSearch;
import org.junit.jupiter.api.Test;

class SolverArgumentsTest {

    @Test
    void radiusBoundsAreValidatedWithTheirName() {
        assertThatThrownBy(() -> HybridSearch.builder().optAttackRadiusBounds(1, 0.5).build())
                .hasMessage("attack radius: maximum radius must be >= minimum radius 1.0, got 0.5");
        assertThatThrownBy(() -> HybridSearch.builder().optDsmRadiusBounds(0, 1).build())
                .hasMessage("poll radius: minimum radius must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> CoveringDirectSearch.builder().optRadiusBounds(-1, 1).build())
                .hasMessageContaining("poll radius: minimum radius must be finite and > 0");
        assertThatThrownBy(() -> HybridSearch.builder().optAttackFactors().build())
                .hasMessage("need at least one radius factor");
    }

    @Test
    void attackParametersAreValidated() {
        assertThatThrownBy(() -> new ProjectedSignAttack(0, 0.25, SignGradientAttack.Target.DIRECT))
                .hasMessage("steps must be >= 1, got 0");
        assertThatThrownBy(() -> new ProjectedSignAttack(5, 1.5, SignGradientAttack.Target.DIRECT))
                .hasMessage("stepFraction must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> new CoordinateTrialAttack(0))
                .hasMessage("maxCoordinates must be >= 1, got 0");
        assertThatThrownBy(
                        () -> new FiniteDifferenceAttack(FiniteDifferenceAttack.Scheme.CENTRAL, 1))
                .hasMessage("relativeStep must be in (0, 1), got 1.0");
    }

    @Test
    void bobyqaRejectsOneDimensionalProblems() {
        SurrogateProblem oneD =
                SurrogateProblem.builder(MlpSurrogate.random(0, 1, 3, 1))
                        .setStart(new double[] {0})
                        .setObjective(OutputFunction.component(0))
                        .optBounds(new double[] {-1}, new double[] {1})
                        .build();
        assertThatThrownBy(() -> BobyqaSolver.defaults().solve(oneD, Limits.ofEvaluations(10), 0))
                .hasMessage("BOBYQA needs dimension >= 2, got 1");
    }

    @Test
    void unknownSolverNamesListTheKnownOnes() {
        assertThatThrownBy(() -> Solvers.byName("nomad"))
                .hasMessageContaining(
                        "unknown solver 'nomad', known: hybrid, hybrid-always-dsm, cdsm");
        assertThat(Solvers.byName("bobyqa").name()).isEqualTo("bobyqa");
    }

    @Test
    void aBudgetOfOneEvaluatesOnlyTheStart() {
        for (SurrogateSolver solver : Solvers.all()) {
            SurrogateResult result =
                    solver.solve(TestProblems.targetMatching(0), Limits.ofEvaluations(1), 0);
            assertThat(result.status()).as(solver.name()).isEqualTo(ExitStatus.BUDGET);
            assertThat(result.history().size()).isEqualTo(1);
            assertThat(result.forwardPasses()).isEqualTo(1);
        }
    }

    @Test
    void iterationAndTimeLimitsEndRunsWithTheirStatus() {
        for (SurrogateSolver solver : Solvers.all()) {
            SurrogateResult result =
                    solver.solve(
                            TestProblems.targetMatching(0),
                            Limits.ofEvaluations(100_000).withIterations(3),
                            0);
            assertThat(result.status()).as(solver.name()).isEqualTo(ExitStatus.ITERATION_LIMIT);
            assertThat(result.iterations()).isEqualTo(3);
            SurrogateResult timed =
                    solver.solve(
                            TestProblems.targetMatching(0),
                            Limits.ofEvaluations(100_000).withTime(java.time.Duration.ofNanos(1)),
                            0);
            assertThat(timed.status()).as(solver.name()).isEqualTo(ExitStatus.TIME);
        }
    }
}
