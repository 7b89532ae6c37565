package dev.descent.solve;

import java.util.Arrays;

/**
 * Proximal gradient descent (ISTA) with backtracking for {@code min F(x) = f(x) + P(x)}, f smooth
 * ({@link SmoothObjective}), P a separable {@link Penalty} (L1, SCAD, MCP), on the host in float64:
 *
 * <pre>
 * repeat:  z = prox(x − t·∇f(x), t)
 *          while f(z) &gt; f(x) + ∇f(x)ᵀ(z − x) + ‖z − x‖²/(2t) + 1e-13·|f(x)|:
 *              t ← shrink·t, recompute z
 *          mapping = ‖z − x‖∞ / t;  x ← z
 *          stop when mapping &lt; tolerance
 * </pre>
 *
 * This is Beck and Teboulle's backtracking rule (SIAM J. Imaging Sci. 2(1), 2009, §4, without the
 * acceleration): t never grows. With the closed-form prox the step is the global minimizer of
 * {@code ½‖z − (x − t∇f)‖² + t·P(z)}, so {@code F(z) ≤ F(x)} at every accepted step for the
 * nonconvex penalties too (Gong et al., ICML 2013, GIST, give the convergence to stationary
 * points). The SCAD and MCP proximal maps need {@code t < a − 1} resp. {@code t < gamma} ({@link
 * Penalty#maxStep()}): the step starts at {@code min(initialStep, stepCap·maxStep)}. A step that
 * would have to shrink below 1e-10 times the first (f not finite there, or no decrease) ends the
 * run in BREAKDOWN with the best iterate.
 *
 * <p>Defaults: initial step 1 (the inverse Lipschitz constant of least squares on a standardized
 * design with orthogonal columns), shrink 0.5, step cap 0.9, tolerance 1e-8 on the gradient
 * mapping, 10,000 iterations (ncvreg's max.iter).
 */
public final class ProximalGradient {

    /**
     * The smallest step tried, relative to the first: below it a step no longer moves x in float64
     * (a zero move would read as convergence), and the run ends in BREAKDOWN.
     */
    static final double MIN_STEP_RATIO = 1e-10;

    /**
     * Slack of the sufficient-decrease test relative to |f(x)|: near a solution both sides agree to
     * rounding, and without it the test fails at every step (observed at a tolerance of 1e-10).
     */
    static final double ROUNDING = 1e-13;

    private final double tolerance;
    private final int maxIterations;
    private final double initialStep;
    private final double shrink;
    private final double stepCap;

    private ProximalGradient(Builder b) {
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
        Iterate it = Iterate.start(f, penalty, x0, "x0");
        Record record = new Record(it, maxIterations);
        double first = firstStep(penalty, initialStep, stepCap);
        double t = first;
        while (true) {
            Step s = proxStep(f, penalty, it, t, shrink, first);
            record.evaluations += s.evaluations;
            if (s.next == null) {
                return record.finish(SolveStatus.BREAKDOWN, Double.NaN);
            }
            t = s.step;
            it = s.next;
            record.add(it);
            if (s.mapping < tolerance) {
                return record.finish(SolveStatus.CONVERGED, s.mapping);
            }
            if (record.iterations == maxIterations) {
                return record.finish(SolveStatus.ITERATION_LIMIT, s.mapping);
            }
        }
    }

    /** The first step: {@code min(initial, cap·maxStep)}. */
    static double firstStep(Penalty penalty, double initial, double cap) {
        return Math.min(initial, cap * penalty.maxStep());
    }

    /** A point with f, ∇f and F = f + P known. */
    record Iterate(double[] x, double[] gradient, double f, double objective) {

        static Iterate start(SmoothObjective f, Penalty penalty, double[] x0, String name) {
            if (x0 == null || x0.length != f.dimension()) {
                throw new IllegalArgumentException(
                        name
                                + " must have length "
                                + f.dimension()
                                + ", got "
                                + (x0 == null ? "null" : x0.length));
            }
            LeastSquares.checkFinite(name, x0);
            double[] x = x0.clone();
            double[] g = new double[x.length];
            double fx = f.valueAndGradient(x, g);
            if (!Double.isFinite(fx) || !Residuals.allFinite(g)) {
                throw new IllegalArgumentException(
                        "f or its gradient is not finite at "
                                + name
                                + " (f = "
                                + fx
                                + "); check the data for NaN or infinite values");
            }
            return new Iterate(x, g, fx, fx + penalty.total(x));
        }
    }

    /**
     * One backtracking proximal-gradient step; {@code next == null} when f was non-finite or the
     * sufficient-decrease test failed for every step down to {@code MIN_STEP_RATIO·first}.
     */
    record Step(Iterate next, double step, double mapping, int evaluations) {}

    static Step proxStep(
            SmoothObjective f, Penalty penalty, Iterate it, double t, double shrink, double first) {
        int n = it.x.length;
        double[] z = new double[n];
        double[] gz = new double[n];
        int evaluations = 0;
        for (; t >= MIN_STEP_RATIO * first; t *= shrink) {
            for (int i = 0; i < n; i++) {
                z[i] = penalty.prox(it.x[i] - t * it.gradient[i], t);
            }
            double fz = f.valueAndGradient(z, gz);
            evaluations++;
            double linear = 0;
            double squared = 0;
            double largest = 0;
            for (int i = 0; i < n; i++) {
                double d = z[i] - it.x[i];
                linear += it.gradient[i] * d;
                squared += d * d;
                largest = Math.max(largest, Math.abs(d));
            }
            if (Double.isFinite(fz)
                    && fz <= it.f + linear + squared / (2 * t) + ROUNDING * Math.abs(it.f)) {
                if (!Residuals.allFinite(gz)) {
                    return new Step(null, t, Double.NaN, evaluations);
                }
                return new Step(
                        new Iterate(z, gz, fz, fz + penalty.total(z)), t, largest / t, evaluations);
            }
        }
        return new Step(null, t, Double.NaN, evaluations);
    }

    /** The history, the best iterate and the evaluation count of a run. */
    static final class Record {
        private double[] history;
        int iterations;
        int evaluations = 1;
        private Iterate best;
        private Iterate last;

        Record(Iterate start, int maxIterations) {
            history = new double[Math.min(maxIterations, 1024) + 1];
            history[0] = start.objective;
            best = start;
            last = start;
        }

        void add(Iterate it) {
            iterations++;
            if (iterations == history.length) {
                history = Arrays.copyOf(history, 2 * history.length);
            }
            history[iterations] = it.objective;
            last = it;
            if (it.objective < best.objective) {
                best = it;
            }
        }

        ProximalResult finish(SolveStatus status, double mapping) {
            Iterate result = status == SolveStatus.CONVERGED ? last : best;
            return new ProximalResult(
                    result.x,
                    result.objective,
                    iterations,
                    Arrays.copyOf(history, iterations + 1),
                    mapping,
                    evaluations,
                    status);
        }
    }

    /** Builds {@link ProximalGradient}. */
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
        public ProximalGradient build() {
            validate();
            return new ProximalGradient(this);
        }
    }
}
