package dev.descent.solve;

/**
 * Successive over-relaxation: x ← x + M⁻¹(b − A x) with M = D/ω + L (D the diagonal, L the strict
 * lower triangle of A), i.e. one forward Gauss–Seidel sweep relaxed by ω:
 *
 * <pre>
 * for i = 0 .. n−1:  x_i ← (1 − ω) x_i + (ω / a_ii)(b_i − Σ_{j&lt;i} a_ij x_j − Σ_{j&gt;i} a_ij x_j)
 * </pre>
 *
 * using the already updated x_j for j &lt; i. One sweep is one iteration; after each the true
 * residual b − A x is computed for the stopping rule ‖r‖ / ‖r₀‖ &lt; tol, as the Learning-to-Relax
 * reference (mkhodak/learning-to-relax) counts iterations. ω = 1 is Gauss–Seidel. SOR converges for
 * every ω ∈ (0, 2) when A is symmetric positive definite; for a consistently ordered A (the 5-point
 * Laplacian) the best ω is {@link #optimalOmega}.
 */
public final class Sor implements LinearSolver {

    private final double omega;

    /**
     * An SOR solver.
     *
     * @param omega relaxation factor in (0, 2)
     * @throws IllegalArgumentException when ω is outside (0, 2)
     */
    public Sor(double omega) {
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
     * Young's optimal factor ω* = 1 + (β / (1 + √(1 − β²)))² for a consistently ordered matrix,
     * with β = ρ(I − D⁻¹A) the spectral radius of the Jacobi iteration matrix.
     *
     * @param jacobiSpectralRadius β in [0, 1)
     * @return ω* in [1, 2)
     */
    public static double optimalOmega(double jacobiSpectralRadius) {
        double beta = jacobiSpectralRadius;
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException(
                    "the Jacobi spectral radius must be in [0, 1), got " + beta);
        }
        double t = beta / (1 + Math.sqrt(1 - beta * beta));
        return 1 + t * t;
    }

    /**
     * Solves A x = b.
     *
     * @throws IllegalArgumentException when A is not square or has a zero diagonal entry, or b, x₀
     *     have the wrong length or a non-finite entry
     */
    @Override
    public SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule) {
        String method = "SOR";
        Residuals.check(method, a, b, x0, false);
        double[] d = a.diagonal();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == 0) {
                throw new IllegalArgumentException(
                        method + " needs a non-zero diagonal; A[" + i + ", " + i + "] = 0");
            }
        }
        int n = b.length;
        double[] x = x0.clone();
        double[] r = ConjugateGradient.residual(a, b, x);
        Residuals record = Residuals.checked(x0, r, rule);
        if (record.done()) {
            return record.finish(SolveStatus.CONVERGED);
        }
        while (true) {
            for (int i = 0; i < n; i++) {
                double s = b[i];
                for (int k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) {
                    int j = a.columns[k];
                    if (j != i) {
                        s -= a.values[k] * x[j];
                    }
                }
                x[i] = (1 - omega) * x[i] + omega * s / d[i];
            }
            a.multiply(x, r);
            for (int i = 0; i < n; i++) {
                r[i] = b[i] - r[i];
            }
            SolveStatus status = record.record(Residuals.norm(r), x);
            if (status != null) {
                return record.finish(status);
            }
        }
    }
}
