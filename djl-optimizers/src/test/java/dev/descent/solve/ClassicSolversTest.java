package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conjugate gradients, SOR and SSOR-PCG against EJML's direct solves and the closed forms of the
 * Dirichlet Laplacian's spectrum.
 *
 * <p>Accuracy is judged by the bound every converged solve must meet: ‖x − x*‖ ≤ ‖A⁻¹‖·‖b − A x‖
 * &lt; tol·‖r₀‖ / λ_min, with λ_min from the closed form (Laplacian) or Gershgorin (the random
 * diagonally dominant systems, λ_min ≥ 0.1); the direct solve's own error (κ·2⁻⁵² relative) is far
 * below it, so a factor {@value #SLACK} covers rounding.
 */
class ClassicSolversTest {

    private static final double SLACK = 1.01;

    /** The three solvers at ω = 1.5 where one is needed. */
    private static List<LinearSolver> solvers() {
        return List.of(new ConjugateGradient(), new Sor(1.5), new SsorPcg(1.5));
    }

    private static double lambdaMin(int grid) {
        return Laplacian.dirichletEigenvalues(grid, grid)[0];
    }

    /** The Jacobi spectral radius of the grid × grid Dirichlet Laplacian, cos(π/(grid+1)). */
    private static double jacobiRadius(int grid) {
        return Math.cos(Math.PI / (grid + 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void eachSolverMeetsTheErrorBoundAgainstEjmlsCholeskyOnThe32GridLaplacian(int which) {
        LinearSolver solver = solvers().get(which);
        CsrMatrix a = Laplacian.dirichlet(32, 32);
        double[] b = References.normal(1024, 3);
        double tol = 1e-10;

        SolveResult result = solver.solve(a, b, new StoppingRule(tol, 20_000));
        double[] expected = References.choleskySolve(a, b);

        assertThat(result.status()).isEqualTo(SolveStatus.CONVERGED);
        assertThat(References.distance(result.solution(), expected))
                .isLessThan(SLACK * tol * Residuals.norm(b) / lambdaMin(32));
        assertThat(References.residualNorm(a, b, result.solution()) / Residuals.norm(b))
                .isLessThan(tol);
        assertThat(result.residualHistory()).hasSize(result.iterations() + 1);
        assertThat(result.residualHistory()[0]).isEqualTo(1);
    }

    @Property(tries = 30, seed = "2")
    void eachSolverMeetsTheErrorBoundAgainstEjmlsLuOnRandomDominantSystems(
            @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll long seed) {
        CsrMatrix a = References.dominant(n, 3 * n, seed);
        double[] b = References.normal(n, seed + 1);
        double[] x0 = References.normal(n, seed + 2);
        double tol = 1e-10;

        SolveResult result = solvers().get(which).solve(a, b, x0, new StoppingRule(tol, 10_000));
        double[] expected = References.denseSolve(a, b);

        assertThat(result.status()).isEqualTo(SolveStatus.CONVERGED);
        double r0 = References.residualNorm(a, b, x0);
        assertThat(References.distance(result.solution(), expected))
                .isLessThanOrEqualTo(SLACK * tol * r0 / 0.1);
    }

    @Test
    void conjugateGradientsStayWithinTheConditionNumberBound() {
        // ‖r_k‖/‖r₀‖ ≤ √κ·‖e_k‖_A/‖e₀‖_A ≤ 2√κ·ρᵏ, ρ = (√κ − 1)/(√κ + 1)
        for (int grid : new int[] {16, 32}) {
            double[] eig = Laplacian.dirichletEigenvalues(grid, grid);
            double sqrtKappa = Math.sqrt(eig[eig.length - 1] / eig[0]);
            double rho = (sqrtKappa - 1) / (sqrtKappa + 1);
            for (double tol : new double[] {1e-4, 1e-8}) {
                int bound = (int) Math.ceil(Math.log(2 * sqrtKappa / tol) / -Math.log(rho));

                SolveResult result =
                        new ConjugateGradient()
                                .solve(
                                        Laplacian.dirichlet(grid, grid),
                                        References.normal(grid * grid, grid),
                                        new StoppingRule(tol, 10 * bound));

                assertThat(result.converged()).isTrue();
                assertThat(result.iterations())
                        .as("grid %d, tol %g: bound %d", grid, tol, bound)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void conjugateGradientsEndWithinTheNumberOfDistinctEigenvalues(int grid) {
        double[] eig = Laplacian.dirichletEigenvalues(grid, grid);
        int distinct = 1;
        for (int i = 1; i < eig.length; i++) {
            if (eig[i] - eig[i - 1] > 1e-9) {
                distinct++;
            }
        }

        SolveResult result =
                new ConjugateGradient()
                        .solve(
                                Laplacian.dirichlet(grid, grid),
                                References.normal(grid * grid, 7),
                                new StoppingRule(1e-12, 1000));

        assertThat(result.converged()).isTrue();
        assertThat(result.iterations()).isLessThanOrEqualTo(distinct).isLessThan(grid * grid);
    }

    @Test
    void youngsOmegaNeedsFewerSorSweepsThanGaussSeidelOrOverRelaxing() {
        CsrMatrix a = Laplacian.dirichlet(32, 32);
        double[] b = References.normal(1024, 11);
        StoppingRule rule = new StoppingRule(1e-8, 10_000);
        double optimal = Sor.optimalOmega(jacobiRadius(32));

        int atOptimal = new Sor(optimal).solve(a, b, rule).iterations();
        int gaussSeidel = new Sor(1).solve(a, b, rule).iterations();
        int over = new Sor(1.95).solve(a, b, rule).iterations();

        assertThat(optimal).isCloseTo(2 / (1 + Math.sin(Math.PI / 33)), within(1e-12));
        assertThat(atOptimal).isLessThan(gaussSeidel / 5).isLessThan(over / 2);
    }

    @Test
    void gaussSeidelConvergesAtTheSquareOfTheJacobiRadius() {
        // For a consistently ordered matrix ρ(Gauss–Seidel) = β²; the residual's ratio per sweep
        // over sweeps 400..600 approaches it (measured: 1.4e-9 above β²)
        SolveResult result =
                new Sor(1)
                        .solve(
                                Laplacian.dirichlet(16, 16),
                                References.normal(256, 5),
                                new StoppingRule(1e-13, 600));
        double[] h = result.residualHistory();
        double rate = Math.pow(h[600] / h[400], 1.0 / 200);

        assertThat(result.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(rate).isCloseTo(Math.pow(jacobiRadius(16), 2), within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-4, 1e-8})
    void ssorPreconditioningCutsConjugateGradientIterationsOnThe32Grid(double tol) {
        CsrMatrix a = Laplacian.dirichlet(32, 32);
        double[] b = References.normal(1024, 13);
        StoppingRule rule = new StoppingRule(tol, 1000);

        int cg = new ConjugateGradient().solve(a, b, rule).iterations();
        int pcg = new SsorPcg(Sor.optimalOmega(jacobiRadius(32))).solve(a, b, rule).iterations();
        int gaussSeidelPcg = new SsorPcg(1).solve(a, b, rule).iterations();

        assertThat(pcg).isLessThan(cg / 2).isLessThan(gaussSeidelPcg);
    }

    /**
     * SSOR-PCG's residual history equals that of preconditioned CG written out densely with the
     * reference's M = (D + ωL)ᵀ D⁻¹ (D + ωL) / (ω(2 − ω)) inverted by EJML: the sweeps apply that M
     * (not its transposed-order twin (D + ωL) D⁻¹ (D + ωL)ᵀ, which gives other residuals on an
     * unstructured matrix).
     */
    @Property(tries = 10, seed = "3")
    void ssorSweepsApplyTheReferencePreconditioner(
            @ForAll @DoubleRange(min = 0.2, max = 1.9) double omega, @ForAll long seed) {
        int n = 30;
        int steps = 8;
        CsrMatrix a = References.dominant(n, 2 * n, seed);
        double[] b = References.normal(n, seed + 1);

        SolveResult result = new SsorPcg(omega).solve(a, b, new StoppingRule(1e-300, steps));
        double[] expected = densePcgHistory(a, b, referencePreconditioner(a, omega), steps);

        assertThat(result.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        for (int k = 0; k <= steps; k++) {
            assertThat(result.residualHistory()[k])
                    .as("iteration %d", k)
                    .isCloseTo(expected[k], within(1e-9 * expected[k] + 1e-13));
        }
    }

    /** M⁻¹ for M = (D + ωL)ᵀ D⁻¹ (D + ωL) / (ω(2 − ω)), formed densely. */
    private static DMatrixRMaj referencePreconditioner(CsrMatrix a, double omega) {
        int n = a.rows();
        DMatrixRMaj x = new DMatrixRMaj(n, n);
        DMatrixRMaj dInverse = new DMatrixRMaj(n, n);
        double[][] dense = a.toDense();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                x.set(i, j, omega * dense[i][j]);
            }
            x.set(i, i, dense[i][i]);
            dInverse.set(i, i, 1 / dense[i][i]);
        }
        DMatrixRMaj xtDinv = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(x, dInverse, xtDinv);
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(xtDinv, x, m);
        CommonOps_DDRM.scale(1 / (omega * (2 - omega)), m);
        assertThat(CommonOps_DDRM.invert(m)).isTrue();
        return m;
    }

    /** ‖r_k‖ / ‖r₀‖ of textbook preconditioned CG from x₀ = 0, dense, for k = 0..steps. */
    private static double[] densePcgHistory(
            CsrMatrix a, double[] b, DMatrixRMaj mInverse, int steps) {
        int n = b.length;
        DMatrixRMaj dense = References.dense(a);
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        DMatrixRMaj r = DMatrixRMaj.wrap(n, 1, b.clone());
        DMatrixRMaj z = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.mult(mInverse, r, z);
        DMatrixRMaj p = z.copy();
        DMatrixRMaj ap = new DMatrixRMaj(n, 1);
        double rz = CommonOps_DDRM.dot(r, z);
        double r0 = CommonOps_DDRM.dot(r, r);
        double[] history = new double[steps + 1];
        history[0] = 1;
        for (int k = 1; k <= steps; k++) {
            CommonOps_DDRM.mult(dense, p, ap);
            double alpha = rz / CommonOps_DDRM.dot(p, ap);
            CommonOps_DDRM.addEquals(x, alpha, p);
            CommonOps_DDRM.addEquals(r, -alpha, ap);
            history[k] = Math.sqrt(CommonOps_DDRM.dot(r, r) / r0);
            CommonOps_DDRM.mult(mInverse, r, z);
            double rzNew = CommonOps_DDRM.dot(r, z);
            CommonOps_DDRM.add(z, rzNew / rz, p, p);
            rz = rzNew;
        }
        return history;
    }

    @Test
    void conjugateGradientsSolveTheNeumannProblemForARightHandSideInTheRange() {
        int grid = 12;
        int n = grid * grid;
        CsrMatrix a = Laplacian.neumann(grid, grid);
        double[] b = References.normal(n, 17);
        double mean = Arrays.stream(b).average().orElseThrow();
        for (int i = 0; i < n; i++) {
            b[i] -= mean; // orthogonal to the null space, the constants
        }
        // the zero-mean solution: (A + 11ᵀ) x = b has it, as A1 = 0 and 1ᵀb = 0
        double[][] shifted = a.toDense();
        for (double[] row : shifted) {
            for (int j = 0; j < n; j++) {
                row[j] += 1;
            }
        }
        int[] rows = new int[n * n];
        int[] cols = new int[n * n];
        double[] values = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            rows[i] = i / n;
            cols[i] = i % n;
            values[i] = shifted[i / n][i % n];
        }
        double[] expected =
                References.denseSolve(CsrMatrix.fromTriplets(n, n, rows, cols, values), b);
        double tol = 1e-10;
        double lambda2 = 2 - 2 * Math.cos(Math.PI / grid); // smallest non-zero eigenvalue

        SolveResult result = new ConjugateGradient().solve(a, b, new StoppingRule(tol, 1000));

        assertThat(result.converged()).isTrue();
        assertThat(References.distance(result.solution(), expected))
                .isLessThan(SLACK * tol * Residuals.norm(b) / lambda2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aCappedSolveReturnsItsStatusHistoryAndTheIterateOfTheSmallestResidual(int which) {
        LinearSolver solver = solvers().get(which);
        CsrMatrix a = Laplacian.dirichlet(16, 16);
        double[] b = References.normal(256, 19);
        int cap = 6;

        SolveResult result = solver.solve(a, b, new StoppingRule(1e-12, cap));

        assertThat(result.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(result.iterations()).isEqualTo(cap);
        assertThat(result.residualHistory()).hasSize(cap + 1);
        double best = Arrays.stream(result.residualHistory()).min().orElseThrow();
        // CG's history is the recurrence residual: equal to the true one up to rounding
        assertThat(References.residualNorm(a, b, result.solution()) / Residuals.norm(b))
                .isCloseTo(best, within(1e-10 * best));
    }

    @Test
    void whenTheResidualRisesTheCappedSolveKeepsTheEarlierIterate() {
        // CG on diag(1, 100) from b = (10, 1): the first step lowers the A-norm error but raises
        // ‖r‖ from √101 to about 49.7; SOR (ω = 1) on [[1, 10], [0, 1]] from b = (0, 1) moves x₂
        // to 1 and the residual to (−10, 0)
        CsrMatrix diagonal =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 1}, new int[] {0, 1}, new double[] {1, 100});
        CsrMatrix upper =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new double[] {1, 10, 1});
        StoppingRule oneStep = new StoppingRule(1e-8, 1);

        SolveResult cg = new ConjugateGradient().solve(diagonal, new double[] {10, 1}, oneStep);
        SolveResult sor = new Sor(1).solve(upper, new double[] {0, 1}, oneStep);

        assertThat(cg.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(cg.residualHistory()[1]).isGreaterThan(4);
        assertThat(cg.solution()).containsExactly(0, 0);
        assertThat(sor.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(sor.residualHistory()).containsExactly(1, 10);
        assertThat(sor.solution()).containsExactly(0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void anIndefiniteMatrixBreaksDownKeepingTheBestIterate(int which) {
        // [[1, 2], [2, 1]] has eigenvalues 3 and −1 and a positive diagonal, so it passes the
        // checks; from b = (1, 0) CG's first step raises ‖r‖ from 1 to 2 and the second direction
        // has pᵀAp = −12
        CsrMatrix a =
                CsrMatrix.fromTriplets(
                        2,
                        2,
                        new int[] {0, 0, 1, 1},
                        new int[] {0, 1, 0, 1},
                        new double[] {1, 2, 2, 1});

        SolveResult result =
                solvers().get(which).solve(a, new double[] {1, 0}, new StoppingRule(1e-8, 100));

        assertThat(result.status()).isEqualTo(SolveStatus.BREAKDOWN);
        assertThat(result.solution()).containsExactly(0, 0);
        if (which == 0) {
            assertThat(result.residualHistory()).containsExactly(1, 2);
        }
    }

    @Test
    void aZeroResidualAtTheStartIsConvergedWithoutIterating() {
        CsrMatrix a = Laplacian.dirichlet(4, 4);
        double[] x = References.normal(16, 23);
        double[] b = a.multiply(x);

        for (LinearSolver solver : solvers()) {
            SolveResult result = solver.solve(a, b, x, new StoppingRule(1e-8, 10));

            assertThat(result.status()).isEqualTo(SolveStatus.CONVERGED);
            assertThat(result.iterations()).isZero();
            assertThat(result.residualHistory()).containsExactly(0);
            assertThat(result.solution()).containsExactly(x);
        }
    }
}
