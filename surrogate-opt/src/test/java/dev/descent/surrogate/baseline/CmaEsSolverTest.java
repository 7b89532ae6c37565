package dev.descent.surrogate.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.surrogate.ExitStatus;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.MlpSurrogate;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.SurrogateResult;
import org.junit.jupiter.api.Test;

/**
 * CMA-ES on a plateau: f(y) = 1 where y₀ &gt; 0.5, else y₀, over Φ = identity on [−1, 1]². Once the
 * population sits on the plateau every value is equal, Hipparchus' flat-fitness rule multiplies σ
 * by e^{0.2 + c_σ/d_σ} every generation, and after about 2,300 generations (σ ≈ 1e76) its
 * covariance matrix can no longer be decomposed ("convergence failed"). Measured when written: seed
 * 0 fails after 2,266 generations; seed 1 stops by itself after 50.
 */
class CmaEsSolverTest {

    private static final long BUDGET = 100_000;

    private static SurrogateProblem plateau() {
        MlpSurrogate identity = MlpSurrogate.linear(new double[][] {{1, 0}, {0, 1}}, new double[2]);
        return SurrogateProblem.builder(identity)
                .setStart(new double[2])
                .setObjective(
                        OutputFunction.of(
                                y -> y[0] > 0.5 ? 1 : y[0],
                                y -> new double[] {y[0] > 0.5 ? 0 : 1, 0}))
                .optBounds(new double[] {-1, -1}, new double[] {1, 1})
                .build();
    }

    @Test
    void aNumericalFailureOfTheLibraryIsATypedExitStatus() {
        SurrogateResult result =
                new CmaEsSolver().solve(plateau(), Limits.ofEvaluations(BUDGET), 0);
        assertThat(result.status()).isEqualTo(ExitStatus.NUMERICAL_FAILURE);
        assertThat(result.forwardPasses()).isLessThan(BUDGET);
        // the best point evaluated before the failure is kept
        assertThat(result.bestFeasible().orElseThrow().objective()).isEqualTo(1);
        assertThat(result.iterations()).isGreaterThan(1000);
    }

    @Test
    void aRunThatStopsByItselfIsUnchanged() {
        SurrogateResult result =
                new CmaEsSolver().solve(plateau(), Limits.ofEvaluations(BUDGET), 1);
        assertThat(result.status()).isEqualTo(ExitStatus.RADIUS_BELOW_MINIMUM);
        assertThat(result.bestFeasible().orElseThrow().objective()).isEqualTo(1);
    }
}
