package dev.descent.solve;

import java.util.Objects;

/**
 * The deep conjugate direction method (DCDM) for a symmetric positive definite A: conjugate
 * directions whose search direction is predicted from the residual by a trained network instead of
 * taken from the residual itself.
 *
 * <pre>
 * r = b − A x₀;  p₀ = p₁ = 0
 * repeat:  q = f(r / ‖r‖)
 *          q = q − (qᵀAp₁ / p₁ᵀAp₁) p₁ − (qᵀAp₀ / p₀ᵀAp₀) p₀     (both products with the predicted q)
 *          α = qᵀr / qᵀAq;  x += α q
 *          r = b − A x                                            (the true residual, recomputed)
 *          stop when ‖r‖ / ‖r₀‖ &lt; tol, or after the cap
 *          p₀ = p₁;  p₁ = q
 * </pre>
 *
 * f is a {@link Direction}: {@link NetworkDirection} runs a DJL block (the network of {@link
 * DcdmNetwork}, trained by {@link DcdmTraining}) in inference mode. Each step minimizes the error
 * in the A-norm along q, so ‖x − x*‖_A never grows whatever f returns; the A-orthogonalization
 * against the last two directions keeps the new step from undoing the previous two. With the
 * identity f(r̂) = r̂ the directions are those of conjugate gradients (r_k is already A-orthogonal
 * to p_{k−2} and earlier in exact arithmetic), so the iterates are CG's.
 *
 * <p>Paper: Kaneda, Akar, Chen, Kim, Teran, "A Deep Conjugate Direction Method for Iteratively
 * Solving Linear Systems", ICML 2023, arXiv:2205.10763. Reference implementation:
 * ayano721/2023_DCDM, {@code lib/conjugate_gradient.py}, {@code dcdm}: the same update, the true
 * residual every iteration, default stop at ‖r‖ &lt; 1e-4·‖r₀‖ after at most 100 iterations ({@link
 * #DEFAULT_RULE}).
 *
 * <p>Deviations from the reference: a direction with qᵀAq ≤ 0 (zero, or numerically in the span of
 * the last two) or a non-finite one ends the solve with {@link SolveStatus#BREAKDOWN} and the best
 * iterate instead of dividing by it; the iterate returned is the best seen (the last one when
 * converged), as for every solver here.
 */
public final class DeepConjugateDirection implements LinearSolver {

    /** The reference's stopping rule: ‖r‖ / ‖r₀‖ &lt; 1e-4, at most 100 iterations. */
    public static final StoppingRule DEFAULT_RULE = new StoppingRule(1e-4, 100);

    /** The predicted search direction f(r̂) for a unit-norm residual r̂. */
    @FunctionalInterface
    public interface Direction {

        /**
         * Predicts a search direction.
         *
         * @param unitResidual r / ‖r‖, not modified
         * @return a direction of the same length (any scale; the step length is exact)
         */
        double[] apply(double[] unitResidual);
    }

    /** Sees each accepted step (for tests of the method's invariants). */
    interface Trace {
        void step(double[] direction, double[] x);
    }

    private final Direction direction;

    /**
     * A solver with this direction predictor.
     *
     * @param direction f, e.g. a {@link NetworkDirection}
     */
    public DeepConjugateDirection(Direction direction) {
        this.direction = Objects.requireNonNull(direction, "direction");
    }

    @Override
    public SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule) {
        return solve(a, b, x0, rule, (q, x) -> {});
    }

    SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule, Trace trace) {
        Residuals.check("DCDM", a, b, x0, true);
        int n = b.length;
        double[] x = x0.clone();
        double[] r = ConjugateGradient.residual(a, b, x);
        Residuals record = Residuals.start("DCDM", a, b, x0, r, rule, false);
        if (record.done()) {
            return record.finish(SolveStatus.CONVERGED);
        }
        double[] p0 = new double[n];
        double[] p1 = new double[n];
        double[] ap0 = new double[n];
        double[] ap1 = new double[n];
        double pap0 = 1;
        double pap1 = 1;
        double rNorm = Residuals.norm(r);
        double[] unit = new double[n];
        while (true) {
            for (int i = 0; i < n; i++) {
                unit[i] = r[i] / rNorm;
            }
            double[] q = direction.apply(unit.clone());
            if (q == null || q.length != n) {
                throw new IllegalArgumentException(
                        "DCDM: the direction has length "
                                + (q == null ? "null" : Integer.toString(q.length))
                                + ", expected "
                                + n
                                + " (the length of b)");
            }
            q = q.clone();
            double c1 = ConjugateGradient.dot(q, ap1) / pap1;
            double c0 = ConjugateGradient.dot(q, ap0) / pap0;
            for (int i = 0; i < n; i++) {
                q[i] -= c1 * p1[i] + c0 * p0[i];
            }
            double[] aq = a.multiply(q);
            double qaq = ConjugateGradient.dot(q, aq);
            if (!(qaq > 0) || !Double.isFinite(qaq)) {
                return record.finish(SolveStatus.BREAKDOWN);
            }
            double alpha = ConjugateGradient.dot(q, r) / qaq;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * q[i];
            }
            r = ConjugateGradient.residual(a, b, x);
            rNorm = Residuals.norm(r);
            trace.step(q, x);
            SolveStatus status = record.record(rNorm, x);
            if (status != null) {
                return record.finish(status);
            }
            p0 = p1;
            p1 = q;
            ap0 = ap1;
            ap1 = aq;
            pap0 = pap1;
            pap1 = qaq;
        }
    }
}
