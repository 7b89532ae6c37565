package dev.descent.solve;

/**
 * A proximal nonlinear conjugate-gradient method for {@code min F(x) = f(x) + P(x)} (P an L1, SCAD
 * or MCP {@link Penalty}), on the host in float64. Each iteration takes a proximal-gradient step,
 * which finds the support, then a Polak–Ribière+ conjugate-gradient step on that support, where F
 * is differentiable:
 *
 * <pre>
 * y = prox(x − t·∇f(x), t)                      (backtracking as in {@link ProximalGradient})
 * S = {i : y_i ≠ 0};  h = ∇f(y) + P'(y) on S, 0 off S
 * beta = max(0, hᵀ(h − h_prev) / ‖h_prev‖²)      (PR+; 0 when S or sign(y_S) changed, or the
 *                                                 last CG step failed)
 * d = −h + beta·d_prev on S;  d = −h if hᵀd ≥ 0
 * w(alpha) = y + alpha·d with every coordinate that would change sign set to 0 (orthant projection)
 * alpha from alpha_prev·(h_prevᵀd_prev)/(hᵀd) (t at first), halved until
 *     F(w) ≤ F(y) + c·hᵀ(w − y),  c = 1e-4,  at most 30 halvings
 * x ← w if accepted, else x ← y (the plain proximal-gradient step)
 * stop when ‖y − x‖∞ / t &lt; tolerance
 * </pre>
 *
 * <p>Which variant: the design notes' derived rule (curvature-solvers-theory.md Part B §4: "PR+
 * direction on the current support, prox step on the penalty, fall back to plain prox-gradient when
 * sufficient decrease fails"); no paper is implemented line by line. Its pieces are published: the
 * two-phase shrinkage-then-subspace-optimization scheme of FPC_AS (Wen, Yin, Goldfarb, Zhang, SIAM
 * J. Sci. Comput. 32(4), 2010), the orthant projection of OWL-QN (Andrew and Gao, ICML 2007) and
 * PR+ (Gilbert and Nocedal, SIAM J. Optim. 2(1), 1992). On the support P is C¹ (SCAD and MCP are C¹
 * at their knots). F never increases (the proximal step does not, and a CG step is accepted only
 * with sufficient decrease), and every iteration makes at least the progress of a proximal-gradient
 * step, so the stationarity guarantees of proximal gradient carry over; the CG step adds the speed
 * of conjugate gradients once the support has settled (f quadratic on a fixed support).
 *
 * <p>Defaults as {@link ProximalGradient}'s (tolerance 1e-8, 10,000 iterations, first step 1,
 * shrink 0.5, step cap 0.9).
 */
public final class ProximalConjugateGradient {

    private static final double ARMIJO = 1e-4;
    private static final int HALVINGS = 30;

    private final double tolerance;
    private final int maxIterations;
    private final double initialStep;
    private final double shrink;
    private final double stepCap;

    private ProximalConjugateGradient(Builder b) {
        tolerance = b.tolerance;
        maxIterations = b.maxIterations;
        initialStep = b.initialStep;
        shrink = b.shrink;
        stepCap = b.stepCap;
    }

    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Minimizes {@code f + penalty} from {@code x0}.
     *
     * @param f the smooth part
     * @param penalty the penalty
     * @param x0 the start, of f's dimension, finite (not modified)
     * @return the result; on ITERATION_LIMIT or BREAKDOWN the best iterate seen
     * @throws IllegalArgumentException when x0 has the wrong length or is not finite
     */
    public ProximalResult minimize(SmoothObjective f, Penalty penalty, double[] x0) {
        ProximalGradient.Iterate it = ProximalGradient.Iterate.start(f, penalty, x0, "x0");
        ProximalGradient.Record record = new ProximalGradient.Record(it, maxIterations);
        int n = it.x().length;
        double first = ProximalGradient.firstStep(penalty, initialStep, stepCap);
        double t = first;
        double[] hPrev = null;
        double[] dPrev = null;
        double alphaPrev = 0;
        double slopePrev = 0;
        double[] signsPrev = null;
        while (true) {
            ProximalGradient.Step s = ProximalGradient.proxStep(f, penalty, it, t, shrink, first);
            record.evaluations += s.evaluations();
            if (s.next() == null) {
                return record.finish(SolveStatus.BREAKDOWN, Double.NaN);
            }
            t = s.step();
            if (s.mapping() < tolerance) {
                record.add(s.next());
                return record.finish(SolveStatus.CONVERGED, s.mapping());
            }
            ProximalGradient.Iterate y = s.next();
            double[] signs = new double[n];
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                signs[i] = Math.signum(y.x()[i]);
                if (signs[i] != 0) {
                    h[i] = y.gradient()[i] + penalty.derivative(y.x()[i]);
                }
            }
            boolean restart = hPrev == null || !java.util.Arrays.equals(signs, signsPrev);
            double[] d = new double[n];
            double beta = 0;
            if (!restart) {
                double num = 0;
                double den = 0;
                for (int i = 0; i < n; i++) {
                    num += h[i] * (h[i] - hPrev[i]);
                    den += hPrev[i] * hPrev[i];
                }
                beta = den > 0 ? Math.max(0, num / den) : 0;
            }
            double slope = 0;
            for (int i = 0; i < n; i++) {
                d[i] = signs[i] == 0 ? 0 : -h[i] + (beta == 0 ? 0 : beta * dPrev[i]);
                slope += h[i] * d[i];
            }
            if (!(slope < 0)) {
                slope = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -h[i];
                    slope += h[i] * d[i];
                }
            }
            ProximalGradient.Iterate next = y;
            double alphaUsed = 0;
            if (slope < 0) {
                double alpha = restart || alphaPrev == 0 ? t : alphaPrev * slopePrev / slope;
                double[] w = new double[n];
                double[] gw = new double[n];
                for (int k = 0; k < HALVINGS; k++, alpha *= 0.5) {
                    double decrease = 0;
                    for (int i = 0; i < n; i++) {
                        double v = y.x()[i] + alpha * d[i];
                        w[i] = Math.signum(v) == signs[i] ? v : 0;
                        decrease += h[i] * (w[i] - y.x()[i]);
                    }
                    double fw = f.valueAndGradient(w, gw);
                    record.evaluations++;
                    double objective = fw + penalty.total(w);
                    if (Double.isFinite(objective)
                            && Residuals.allFinite(gw)
                            && objective <= y.objective() + ARMIJO * decrease) {
                        next = new ProximalGradient.Iterate(w, gw, fw, objective);
                        alphaUsed = alpha;
                        break;
                    }
                }
            }
            record.add(next);
            if (record.iterations == maxIterations) {
                return record.finish(SolveStatus.ITERATION_LIMIT, s.mapping());
            }
            if (alphaUsed > 0) {
                hPrev = h;
                dPrev = d;
                alphaPrev = alphaUsed;
                slopePrev = slope;
                signsPrev = signs;
            } else {
                hPrev = null; // the CG step failed: restart from steepest descent
                alphaPrev = 0;
            }
            it = next;
        }
    }

    /** Builds {@link ProximalConjugateGradient}. */
    public static final class Builder extends ProximalBuilder<Builder> {

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException naming the first value out of range
         */
        public ProximalConjugateGradient build() {
            validate();
            return new ProximalConjugateGradient(this);
        }
    }
}
