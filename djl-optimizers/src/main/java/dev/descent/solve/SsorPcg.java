package dev.descent.solve;

/**
 * Conjugate gradients preconditioned by symmetric successive over-relaxation (SSOR), for a
 * symmetric positive definite A = L + D + Lᵀ (D the diagonal, L the strict lower triangle):
 *
 * <pre>
 * M = (D + ωL)ᵀ D⁻¹ (D + ωL) / (ω(2 − ω))
 * </pre>
 *
 * the form of the Learning-to-Relax reference (Khodak et al., ICLR 2024; mkhodak/learning-to-relax,
 * {@code solvers/ssor_pcg.m}: MATLAB's {@code pcg} with the factors {@code M1 = X'*inv(D)} and
 * {@code M2 = X/omega/(2-omega)}, X = D + ωL). M is symmetric positive definite for every ω ∈ (0,
 * 2) when D &gt; 0. z = M⁻¹ r is applied as two triangular sweeps over the CSR arrays, with no
 * matrix formed:
 *
 * <pre>
 * backward, i = n−1 .. 0:  w_i = (r_i − ω Σ_{j&gt;i} a_ij w_j) / a_ii     solves (D + ωL)ᵀ w = r
 * forward,  i = 0 .. n−1:  z_i = ω(2 − ω) w_i − ω Σ_{j&lt;i} a_ij z_j / a_ii
 *                                                        solves (D + ωL) z = ω(2 − ω) D w
 * </pre>
 *
 * (using Σ_{j&gt;i} a_ij w_j = (Lᵀw)_i, A being symmetric). The iteration around it is {@link
 * ConjugateGradient}'s, preconditioned: the stopping rule is on the unpreconditioned residual, ‖r‖
 * / ‖r₀‖ &lt; tol with r the recurrence residual, confirmed on the true residual b − A x before
 * {@link SolveStatus#CONVERGED}; the history records ‖r‖ / ‖r₀‖; a cap or a breakdown returns the
 * iterate with the smallest recorded residual. One iteration costs one product with A and the two
 * sweeps (about two more products' worth of work).
 *
 * <p>Deviations from the reference: MATLAB's {@code pcg} stops on ‖r‖ / ‖b‖, which is ‖r‖ / ‖r₀‖
 * only for x₀ = 0 (the reference's sequence setting; its heat-equation runs warm-start). There is
 * no default ω: the reference searches over ω, and the best one depends on the matrix.
 */
public final class SsorPcg implements LinearSolver {

    private final double omega;

    /**
     * An SSOR-preconditioned CG solver.
     *
     * @param omega relaxation factor in (0, 2)
     * @throws IllegalArgumentException when ω is outside (0, 2)
     */
    public SsorPcg(double omega) {
        if (!(omega > 0 && omega < 2)) {
            throw new IllegalArgumentException("omega must be in (0, 2), got " + omega);
        }
        this.omega = omega;
    }

    /** The relaxation factor ω. */
    public double omega() {
        return omega;
    }

    /**
     * Solves A x = b.
     *
     * @throws IllegalArgumentException when A is not square, not symmetric (relative tolerance
     *     1e-12) or has a diagonal entry ≤ 0, or b, x₀ have the wrong length or a non-finite entry
     */
    @Override
    public SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule) {
        Residuals.check("SSOR-PCG", a, b, x0, true);
        int n = a.rows();
        int[] start = a.rowStart;
        int[] columns = a.columns;
        double[] values = a.values;
        int[] diagonalAt = new int[n];
        double[] inverseDiagonal = new double[n];
        double[] omegaOverDiagonal = new double[n];
        for (int i = 0; i < n; i++) {
            int k = start[i];
            while (columns[k] < i) {
                k++;
            }
            diagonalAt[i] = k; // stored: the check found a[i][i] > 0
            inverseDiagonal[i] = 1 / values[k];
            omegaOverDiagonal[i] = omega / values[k];
        }
        double scale = omega * (2 - omega);
        double[] w = new double[n];
        ConjugateGradient.Preconditioner sweeps =
                (r, z) -> {
                    for (int i = n - 1; i >= 0; i--) {
                        double s = 0;
                        for (int k = diagonalAt[i] + 1; k < start[i + 1]; k++) {
                            s += values[k] * w[columns[k]];
                        }
                        w[i] = r[i] * inverseDiagonal[i] - s * omegaOverDiagonal[i];
                    }
                    for (int i = 0; i < n; i++) {
                        double s = 0;
                        for (int k = start[i]; k < diagonalAt[i]; k++) {
                            s += values[k] * z[columns[k]];
                        }
                        z[i] = scale * w[i] - s * omegaOverDiagonal[i];
                    }
                };
        return ConjugateGradient.iterate(a, b, x0, rule, sweeps);
    }
}
