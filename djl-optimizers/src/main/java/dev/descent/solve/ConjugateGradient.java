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
 * The residual is the recurrence's; in float64 it tracks b − A x to well below the tolerances used
 * here. A singular semi-definite A (the Neumann Laplacian) is fine when b lies in its range.
 */
public final class ConjugateGradient implements LinearSolver {

    @Override
    public SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule) {
        int n = b.length;
        double[] x = x0.clone();
        double[] r = residual(a, b, x);
        Residuals record = Residuals.start("conjugate gradients", a, b, x0, r, rule, true);
        if (record.done()) {
            return record.finish(SolveStatus.CONVERGED);
        }
        double[] p = r.clone();
        double[] ap = new double[n];
        double rr = dot(r, r);
        while (true) {
            a.multiply(p, ap);
            double pap = dot(p, ap);
            if (!(pap > 0)) {
                return record.finish(SolveStatus.BREAKDOWN);
            }
            double alpha = rr / pap;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double rrNew = dot(r, r);
            SolveStatus status = record.record(Math.sqrt(rrNew), x);
            if (status != null) {
                return record.finish(status);
            }
            double beta = rrNew / rr;
            for (int i = 0; i < n; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rr = rrNew;
        }
    }

    /** b − A x as a new vector. */
    static double[] residual(CsrMatrix a, double[] b, double[] x) {
        if (x.length != a.cols() || b.length != a.rows()) {
            Residuals.check("residual", a, b, x, false);
        }
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
