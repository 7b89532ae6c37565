package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

class DeepConjugateDirectionTest {

    /** float64 agreement of two algebraically equal iterations over ~40 steps (κ ≈ 100). */
    private static final double EQUIVALENCE_RTOL = 1e-6;

    /** A-orthogonality and exact line search to float64 round-off, relative. */
    private static final double ORTHOGONALITY_TOL = 1e-9;

    /**
     * rᵀq after the step, relative to ‖r‖‖q‖: r = b − A x carries round-off of ε‖A‖‖x‖ while ‖r‖
     * falls to 1e-8‖b‖, so the relative product is ~1e-8 at the end.
     */
    private static final double LINE_SEARCH_TOL = 1e-6;

    private static final int GRID = 16;

    private final CsrMatrix a = Laplacian.dirichlet(GRID, GRID);

    private static double[] randomVector(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private double[] exactSolution(double[] b) {
        SimpleMatrix dense = new SimpleMatrix(a.toDense());
        SimpleMatrix rhs = new SimpleMatrix(b.length, 1, true, b);
        return dense.solve(rhs).getDDRM().getData();
    }

    /** With f(r̂) = r̂ the directions are CG's, so the residual histories coincide. */
    @Test
    void identityNetworkGivesConjugateGradients() {
        double[] b = randomVector(a.rows(), 1);
        StoppingRule rule = new StoppingRule(1e-6, 500);
        SolveResult dcdm = new DeepConjugateDirection(r -> r).solve(a, b, rule);
        SolveResult cg = new ConjugateGradient().solve(a, b, rule);
        assertThat(dcdm.converged()).isTrue();
        assertThat(dcdm.iterations()).isEqualTo(cg.iterations());
        for (int k = 0; k <= cg.iterations(); k++) {
            double want = cg.residualHistory()[k];
            assertThat(Math.abs(dcdm.residualHistory()[k] - want))
                    .as("iteration %d", k)
                    .isLessThanOrEqualTo(EQUIVALENCE_RTOL * want);
        }
    }

    /** f(r̂) = A⁻¹ r̂ points at the solution: one step solves the system. */
    @Test
    void exactDirectionConvergesInOneStep() {
        double[] b = randomVector(a.rows(), 2);
        SolveResult result =
                new DeepConjugateDirection(this::exactSolution)
                        .solve(a, b, DeepConjugateDirection.DEFAULT_RULE);
        assertThat(result.status()).isEqualTo(SolveStatus.CONVERGED);
        assertThat(result.iterations()).isEqualTo(1);
        assertThat(result.finalResidual()).isLessThan(1e-10);
    }

    /**
     * For a nonlinear f: each direction is A-orthogonal to the two before it, the new residual is
     * orthogonal to the direction (exact line search), and the A-norm error never grows.
     */
    @Test
    void directionsAreConjugateAndErrorMonotone() {
        int n = a.rows();
        double[] b = randomVector(n, 3);
        double[] xStar = exactSolution(b);
        DeepConjugateDirection.Direction f =
                r -> {
                    double[] q = new double[r.length];
                    for (int i = 0; i < r.length; i++) {
                        q[i] = r[i] + 0.5 * Math.tanh(20 * r[(i + 1) % r.length]);
                    }
                    return q;
                };
        List<double[]> directions = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        SolveResult result =
                new DeepConjugateDirection(f)
                        .solve(
                                a,
                                b,
                                new double[n],
                                new StoppingRule(1e-8, 60),
                                (q, x) -> {
                                    directions.add(q.clone());
                                    double[] e = new double[n];
                                    for (int i = 0; i < n; i++) {
                                        e[i] = x[i] - xStar[i];
                                    }
                                    errors.add(ConjugateGradient.dot(e, a.multiply(e)));
                                    double[] r = ConjugateGradient.residual(a, b, x);
                                    assertThat(Math.abs(ConjugateGradient.dot(r, q)))
                                            .isLessThanOrEqualTo(
                                                    LINE_SEARCH_TOL
                                                            * Residuals.norm(r)
                                                            * Residuals.norm(q));
                                });
        assertThat(result.iterations()).isGreaterThan(5);
        for (int k = 1; k < directions.size(); k++) {
            for (int back = 1; back <= Math.min(2, k); back++) {
                double[] p = directions.get(k);
                double[] s = directions.get(k - back);
                double cross = ConjugateGradient.dot(p, a.multiply(s));
                double scale =
                        Math.sqrt(
                                ConjugateGradient.dot(p, a.multiply(p))
                                        * ConjugateGradient.dot(s, a.multiply(s)));
                assertThat(Math.abs(cross))
                        .as("p_%d A p_%d", k, k - back)
                        .isLessThanOrEqualTo(ORTHOGONALITY_TOL * scale);
            }
            assertThat(errors.get(k)).isLessThanOrEqualTo(errors.get(k - 1) * (1 + 1e-12));
        }
    }

    @Test
    void iterationLimitKeepsTheBestIterate() {
        double[] b = randomVector(a.rows(), 4);
        SolveResult result =
                new DeepConjugateDirection(r -> r).solve(a, b, new StoppingRule(1e-4, 3));
        assertThat(result.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(result.iterations()).isEqualTo(3);
        double best = Double.MAX_VALUE;
        for (double h : result.residualHistory()) {
            best = Math.min(best, h);
        }
        double residual =
                Residuals.norm(ConjugateGradient.residual(a, b, result.solution()))
                        / Residuals.norm(b);
        assertThat(residual).isCloseTo(best, within(1e-12));
    }

    @Test
    void zeroOrNonFiniteDirectionIsABreakdown() {
        double[] b = randomVector(a.rows(), 5);
        SolveResult zero =
                new DeepConjugateDirection(r -> new double[r.length])
                        .solve(a, b, DeepConjugateDirection.DEFAULT_RULE);
        assertThat(zero.status()).isEqualTo(SolveStatus.BREAKDOWN);
        assertThat(zero.iterations()).isZero();
        assertThat(zero.solution()).containsOnly(0.0);
        SolveResult nan =
                new DeepConjugateDirection(
                                r -> {
                                    double[] q = r.clone();
                                    q[7] = Double.NaN;
                                    return q;
                                })
                        .solve(a, b, DeepConjugateDirection.DEFAULT_RULE);
        assertThat(nan.status()).isEqualTo(SolveStatus.BREAKDOWN);
        assertThat(nan.solution()).doesNotContain(Double.NaN);
    }

    @Test
    void badInputIsNamed() {
        DeepConjugateDirection solver = new DeepConjugateDirection(r -> r);
        double[] b = randomVector(a.rows(), 6);
        b[11] = Double.NaN;
        assertThatThrownBy(() -> solver.solve(a, b, DeepConjugateDirection.DEFAULT_RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b[11] is NaN");
        double[] ok = randomVector(a.rows(), 7);
        assertThatThrownBy(
                        () ->
                                new DeepConjugateDirection(r -> new double[r.length - 1])
                                        .solve(a, ok, DeepConjugateDirection.DEFAULT_RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("direction has length " + (a.rows() - 1));
        CsrMatrix skew =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new double[] {2, 1, 2});
        assertThatThrownBy(
                        () ->
                                solver.solve(
                                        skew,
                                        new double[] {1, 1},
                                        DeepConjugateDirection.DEFAULT_RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not symmetric");
    }
}
