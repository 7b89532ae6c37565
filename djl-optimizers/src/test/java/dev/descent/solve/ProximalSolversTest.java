package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proximal solvers beyond the convex fixture: p &gt; n, rank deficiency, statuses, bad input.
 */
class ProximalSolversTest {

    /**
     * On a p &gt; n design (n = 60, p = 120, AR(1) 0.5) the nonconvex objectives have many
     * stationary points; started from the coordinate-descent solution of the previous λ of a path,
     * as ncvreg does, the solvers and an independent coordinate descent reach the same one:
     * coefficients within 1e-5 at each of 6 λ values (CD stops at a step below 1e-12, the solvers
     * at a gradient mapping below 1e-10; the p &gt; n design is not strongly convex, so the
     * distance bound is looser than the convex fixture's).
     */
    @Test
    void pathSolutionsMatchIndependentCoordinateDescentWhenPGreaterThanN() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(60, 120, 5, 0.5, 0.5, 7);
        LeastSquares loss = LeastSquares.of(problem.x(), problem.y());
        double lambdaMax = loss.lambdaMax();
        ProximalGradient pg = ProximalGradient.builder().optTolerance(1e-10).build();
        ProximalConjugateGradient pcg =
                ProximalConjugateGradient.builder().optTolerance(1e-10).build();
        for (String kind : List.of("l1", "scad", "mcp")) {
            double[] previous = new double[120];
            for (double c : new double[] {0.8, 0.5, 0.3, 0.2, 0.12, 0.08}) {
                double lambda = c * lambdaMax;
                Penalty penalty =
                        switch (kind) {
                            case "l1" -> Penalty.l1(lambda);
                            case "scad" -> Penalty.scad(lambda);
                            default -> Penalty.mcp(lambda);
                        };
                double[] cd =
                        SparseDesigns.coordinateDescent(
                                problem.x(), problem.y(), kind, lambda, previous);
                for (ProximalResult r :
                        List.of(
                                pg.minimize(loss, penalty, previous),
                                pcg.minimize(loss, penalty, previous))) {
                    assertThat(r.status()).as("%s at %s", kind, c).isEqualTo(SolveStatus.CONVERGED);
                    for (int j = 0; j < cd.length; j++) {
                        assertThat(r.solution()[j])
                                .as("%s at %s·λmax, coefficient %d", kind, c, j)
                                .isCloseTo(cd[j], within(1e-5));
                    }
                }
                previous = cd;
            }
        }
    }

    /**
     * On a correlated design (AR(1) 0.9) the conjugate-gradient steps on the support need fewer
     * gradient evaluations than proximal gradient to the same tolerance (counted, not timed).
     */
    @Test
    void conjugateGradientNeedsFewerEvaluationsOnACorrelatedDesign() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(200, 50, 5, 0.9, 0.3, 11);
        LeastSquares loss = LeastSquares.of(problem.x(), problem.y());
        for (Penalty penalty :
                List.of(
                        Penalty.l1(0.05 * loss.lambdaMax()),
                        Penalty.mcp(0.05 * loss.lambdaMax()))) {
            ProximalResult pg =
                    ProximalGradient.builder()
                            .optTolerance(1e-8)
                            .build()
                            .minimize(loss, penalty, new double[50]);
            ProximalResult pcg =
                    ProximalConjugateGradient.builder()
                            .optTolerance(1e-8)
                            .build()
                            .minimize(loss, penalty, new double[50]);
            assertThat(pg.converged()).isTrue();
            assertThat(pcg.converged()).isTrue();
            assertThat(pcg.objective()).isCloseTo(pg.objective(), within(1e-9));
            assertThat(pcg.gradientEvaluations())
                    .as(
                            "%s: PCG %d vs PG %d",
                            penalty, pcg.gradientEvaluations(), pg.gradientEvaluations())
                    .isLessThan(pg.gradientEvaluations() / 2);
        }
    }

    /** Objective values never increase (both methods are monotone by construction). */
    @Test
    void objectiveHistoriesAreMonotone() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(50, 80, 4, 0.7, 0.5, 3);
        LeastSquares loss = LeastSquares.of(problem.x(), problem.y());
        Penalty penalty = Penalty.scad(0.1 * loss.lambdaMax());
        for (ProximalResult r :
                List.of(
                        ProximalGradient.builder().build().minimize(loss, penalty, new double[80]),
                        ProximalConjugateGradient.builder()
                                .build()
                                .minimize(loss, penalty, new double[80]))) {
            double[] h = r.objectiveHistory();
            assertThat(h).hasSize(r.iterations() + 1);
            for (int k = 1; k < h.length; k++) {
                assertThat(h[k]).as("F at iteration %d", k).isLessThanOrEqualTo(h[k - 1] + 1e-12);
            }
        }
    }

    /**
     * A rank-deficient design (a column repeated, a zero column) is a valid problem: the solvers
     * converge to a finite stationary point with F equal to the coordinate-descent one; the zero
     * column's coefficient stays exactly 0.
     */
    @Test
    void rankDeficientDesignConvergesToAFiniteSolution() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(40, 10, 3, 0.3, 0.5, 5);
        double[][] x = new double[40][12];
        for (int i = 0; i < 40; i++) {
            System.arraycopy(problem.x()[i], 0, x[i], 0, 10);
            x[i][10] = problem.x()[i][0]; // duplicate of column 0
            x[i][11] = 0;
        }
        LeastSquares loss = LeastSquares.of(x, problem.y());
        Penalty penalty = Penalty.l1(0.1 * loss.lambdaMax());
        double[] cd =
                SparseDesigns.coordinateDescent(
                        x, problem.y(), "l1", penalty.lambda(), new double[12]);
        double[] g = new double[12];
        double cdObjective = loss.valueAndGradient(cd, g) + penalty.total(cd);
        for (ProximalResult r :
                List.of(
                        ProximalGradient.builder().build().minimize(loss, penalty, new double[12]),
                        ProximalConjugateGradient.builder()
                                .build()
                                .minimize(loss, penalty, new double[12]))) {
            assertThat(r.status()).isEqualTo(SolveStatus.CONVERGED);
            assertThat(Residuals.allFinite(r.solution())).isTrue();
            assertThat(r.solution()[11]).isEqualTo(0);
            assertThat(r.objective()).isCloseTo(cdObjective, within(1e-9));
            // the lasso splits a duplicated column's weight; only the sum is determined
            assertThat(r.solution()[0] + r.solution()[10]).isCloseTo(cd[0] + cd[10], within(1e-6));
        }
    }

    /** An objective that turns NaN mid-run ends with BREAKDOWN and the best finite iterate. */
    @Test
    void nonFiniteObjectiveEndsInBreakdownWithTheBestIterate() {
        SmoothObjective cliff =
                new SmoothObjective() {
                    @Override
                    public int dimension() {
                        return 1;
                    }

                    @Override
                    public double valueAndGradient(double[] x, double[] gradient) {
                        gradient[0] = x[0] - 5;
                        return x[0] > 2 ? Double.NaN : 0.5 * (x[0] - 5) * (x[0] - 5);
                    }
                };
        for (ProximalResult r :
                List.of(
                        ProximalGradient.builder()
                                .build()
                                .minimize(cliff, Penalty.l1(0.1), new double[] {0}),
                        ProximalConjugateGradient.builder()
                                .build()
                                .minimize(cliff, Penalty.l1(0.1), new double[] {0}))) {
            assertThat(r.status()).isEqualTo(SolveStatus.BREAKDOWN);
            assertThat(r.solution()[0]).isBetween(0.0, 2.0);
            assertThat(r.objective()).isFinite();
        }
    }

    @Test
    void iterationLimitReturnsTheBestIterate() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(100, 30, 3, 0.9, 0.5, 9);
        LeastSquares loss = LeastSquares.of(problem.x(), problem.y());
        ProximalResult r =
                ProximalGradient.builder()
                        .optMaxIterations(3)
                        .build()
                        .minimize(loss, Penalty.mcp(0.05), new double[30]);
        assertThat(r.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(r.iterations()).isEqualTo(3);
        double min = java.util.Arrays.stream(r.objectiveHistory()).min().orElseThrow();
        assertThat(r.objective()).isEqualTo(min);
    }

    @Test
    void badInputIsRefusedByName() {
        double[][] x = {{1, 2}, {3, 4}, {5, 7}};
        double[] y = {1, 2, 3};
        assertThatThrownBy(
                        () ->
                                LeastSquares.of(
                                        new double[][] {{1, 2}, {3, Double.NaN}},
                                        new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("X[1][1] is NaN; expected finite");
        assertThatThrownBy(() -> LeastSquares.of(x, new double[] {1, Double.POSITIVE_INFINITY, 3}))
                .hasMessage("y[1] is Infinity; expected finite");
        assertThatThrownBy(() -> LeastSquares.of(x, new double[] {1, 2}))
                .hasMessageContaining("y must have one entry per row of X (3 rows), got length 2");
        assertThatThrownBy(() -> LeastSquares.of(new double[][] {{1, 2}, {3}}, new double[] {1, 2}))
                .hasMessageContaining("row 1 has 1");
        LeastSquares loss = LeastSquares.of(x, y);
        ProximalGradient pg = ProximalGradient.builder().build();
        assertThatThrownBy(() -> pg.minimize(loss, Penalty.l1(1), new double[3]))
                .hasMessage("x0 must have length 2, got 3");
        assertThatThrownBy(() -> pg.minimize(loss, Penalty.l1(1), new double[] {0, Double.NaN}))
                .hasMessage("x0[1] is NaN; expected finite");
        assertThatThrownBy(() -> ProximalGradient.builder().optTolerance(0).build())
                .hasMessageContaining("tolerance must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ProximalConjugateGradient.builder().optStepCap(1).build())
                .hasMessageContaining("stepCap must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> ProximalGradient.builder().optMaxIterations(0).build())
                .hasMessageContaining("maxIterations must be >= 1, got 0");
        assertThatThrownBy(() -> StandardizedDesign.of(new double[][] {{1, 2}, {1, 3}, {1, 5}}))
                .hasMessageContaining("column 0 of X is constant");
    }
}
