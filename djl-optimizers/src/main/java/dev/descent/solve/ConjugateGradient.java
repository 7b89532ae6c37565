package dev.descent.solve;

/**
 * Conjugate gradients (Hestenes and Stiefel, 1952) for a symmetric positive definite A:
 *
 * <pre>
 * r = b − A x₀,  p = r
 * repeat:  α = rᵀr / pᵀAp;  x += α p;  r −= α A p
 *          stop when ‖r‖ / ‖r₀‖ &lt; tol, or after the cap
 *          β = r_newᵀ r_new / rᵀr;  p = r + β p
 * </pre>
 *
 * <p>The residual r is the recurrence's, and it is what the history records; when it meets the
 * tolerance the true residual b − A x is computed and decides instead (one more product), so that
 * {@link SolveStatus#CONVERGED} always means ‖b − A x‖ / ‖r₀‖ &lt; tol. If the true residual
 * misses, the iteration goes on from it (as MATLAB's {@code pcg} does). A singular semi-definite A
 * (the Neumann Laplacian) is fine when b lies in its range.
 *
 * <p>Stops with {@link SolveStatus#BREAKDOWN} when pᵀAp ≤ 0 (A is not positive definite along p)
 * and {@link SolveStatus#ITERATION_LIMIT} at the cap; both return the iterate with the smallest
 * recorded residual.
 *
 * @see SsorPcg the same iteration with an SSOR preconditioner
 */
public final class ConjugateGradient implements LinearSolver {

    /**
     * Solves A x = b.
     *
     * @throws IllegalArgumentException when A is not square, not symmetric (relative tolerance
     *     1e-12) or has a diagonal entry ≤ 0, or b, x₀ have the wrong length or a non-finite entry
     */
    @Override
    public SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule) {
        String method = "conjugate gradients";
        Residuals.check(method, a, b, x0, true);
        return iterate(a, b, x0, rule, null);
    }

    /** z = M⁻¹ r for a symmetric positive definite preconditioner M. */
    interface Preconditioner {
        /**
         * Applies M⁻¹.
         *
         * @param r the residual, not modified
         * @param z overwritten with M⁻¹ r
         */
        void apply(double[] r, double[] z);
    }

    /**
     * Preconditioned conjugate gradients on a checked system:
     *
     * <pre>
     * r = b − A x₀,  z = M⁻¹ r,  p = z
     * repeat:  α = rᵀz / pᵀAp;  x += α p;  r −= α A p
     *          stop when ‖r‖ / ‖r₀‖ &lt; tol (confirmed on b − A x), or after the cap
     *          z = M⁻¹ r;  β = r_newᵀ z_new / rᵀz;  p = z + β p
     * </pre>
     *
     * @param m the preconditioner, or null for M = I (plain CG)
     */
    static SolveResult iterate(
            CsrMatrix a, double[] b, double[] x0, StoppingRule rule, Preconditioner m) {
        int n = b.length;
        double[] x = x0.clone();
        double[] r = residual(a, b, x);
        Residuals record = Residuals.checked(x0, r, rule);
        if (record.done()) {
            return record.finish(SolveStatus.CONVERGED);
        }
        double initialNorm = Residuals.norm(r);
        double[] z = m == null ? r : new double[n];
        if (m != null) {
            m.apply(r, z);
        }
        double[] p = z.clone();
        double[] ap = new double[n];
        double rz = dot(r, z);
        while (true) {
            a.multiply(p, ap);
            double pap = dot(p, ap);
            if (!(pap > 0)) {
                return record.finish(SolveStatus.BREAKDOWN);
            }
            double alpha = rz / pap;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double rr = dot(r, r);
            if (rule.met(Math.sqrt(rr) / initialNorm)) {
                double[] trueResidual = residual(a, b, x);
                System.arraycopy(trueResidual, 0, r, 0, n);
                rr = dot(r, r);
            }
            SolveStatus status = record.record(Math.sqrt(rr), x);
            if (status != null) {
                return record.finish(status);
            }
            double rzNew = rr;
            if (m != null) {
                m.apply(r, z);
                rzNew = dot(r, z);
            }
            double beta = rzNew / rz;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
            rz = rzNew;
        }
    }

    /** b − A x as a new vector (lengths as {@link CsrMatrix#multiply(double[])} checks them). */
    static double[] residual(CsrMatrix a, double[] b, double[] x) {
        double[] r = a.multiply(x);
        for (int i = 0; i < r.length; i++) {
            r[i] = b[i] - r[i];
        }
        return r;
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
