package dev.descent.surrogate;

/**
 * How constraints c(Φ(x)) ≤ 0 enter the comparison of points, with h = Σ max(0, c_i)²:
 *
 * <ul>
 *   <li>{@link Penalty} (the reference's reformulation, default scale 1): maximize the merit f −
 *       scale·h.
 *   <li>{@link ExtremeBarrier} (extension from direct search): a feasible point beats an infeasible
 *       one; feasible points compare by f; while no feasible point is known, points compare by h (a
 *       phase one, so an infeasible start is handled).
 *   <li>{@link ProgressiveBarrier} (extension; a single-incumbent simplification of Audet &amp;
 *       Dennis 2009): feasible beats infeasible; among infeasible points a candidate is accepted
 *       when it dominates the incumbent in (f, −h) (a dominating iteration) or lowers the violation
 *       (an improving iteration, which lowers the barrier threshold h_max to the incumbent's h).
 *       Without the full method's second poll centre it differs from the extreme barrier's phase
 *       one only by also taking points of equal violation and larger f.
 * </ul>
 *
 * <p>Every handling also gives a scalar merit (for sufficient-increase ratios and for scalar
 * library optimizers) and the ascent cotangent u = ∇_y(merit) used by attacks.
 */
public sealed interface ConstraintHandling {

    /** ε in the relative gain (new − old)/(|old| + ε), as in the reference. */
    double GAIN_EPSILON = 1e-10;

    /**
     * Returns whether candidate is strictly better than incumbent.
     *
     * @param candidate a new point
     * @param incumbent the current point
     * @return true on improvement
     */
    boolean improves(Evaluation candidate, Evaluation incumbent);

    /**
     * Returns the scalar merit to maximize: f − scale·h for the penalty; f − h for the barriers
     * (used for gains and by scalar optimizers, never for acceptance under a barrier).
     *
     * @param e the point
     * @return the merit
     */
    double merit(Evaluation e);

    /**
     * Returns the relative gain (merit(candidate) − merit(incumbent))/(|merit(incumbent)| + 1e-10).
     *
     * @param candidate a new point
     * @param incumbent the current point
     * @return the relative gain
     */
    default double relativeGain(Evaluation candidate, Evaluation incumbent) {
        double old = merit(incumbent);
        return (merit(candidate) - old) / (Math.abs(old) + GAIN_EPSILON);
    }

    /**
     * Returns u = ∇_y(f − s·h)(y) = ∇f(y) − 2s Σ max(0, c_i(y)) ∇c_i(y), the output direction an
     * attack pushes Φ towards; s is the penalty scale (1 for the barriers). For the extreme barrier
     * at an infeasible point, u = −∇h (the phase-one direction).
     *
     * @param problem the problem (for f and c)
     * @param at the point
     * @return u, length m
     */
    double[] cotangent(SurrogateProblem problem, Evaluation at);

    /**
     * Returns the penalty, the reference's handling.
     *
     * @param scale the factor on h, finite and > 0
     * @return the handling
     */
    static ConstraintHandling penalty(double scale) {
        return new Penalty(scale);
    }

    /** Penalty f − scale·h; the reference's reformulation f̃(y, z) = f(y) − ‖z‖², z = ReLU(c). */
    record Penalty(double scale) implements ConstraintHandling {

        /**
         * Validates the scale.
         *
         * @throws IllegalArgumentException unless scale is finite and > 0
         */
        public Penalty {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException(
                        "penalty scale must be finite and > 0, got " + scale);
            }
        }

        @Override
        public boolean improves(Evaluation candidate, Evaluation incumbent) {
            return merit(candidate) > merit(incumbent);
        }

        @Override
        public double merit(Evaluation e) {
            return e.objective() - scale * e.violation();
        }

        @Override
        public double[] cotangent(SurrogateProblem problem, Evaluation at) {
            return penaltyCotangent(problem, at, 1, scale);
        }
    }

    /** Extreme barrier with a phase one on h while no feasible point is known. */
    record ExtremeBarrier() implements ConstraintHandling {

        @Override
        public boolean improves(Evaluation candidate, Evaluation incumbent) {
            if (candidate.feasible()) {
                return !incumbent.feasible() || candidate.objective() > incumbent.objective();
            }
            return !incumbent.feasible() && candidate.violation() < incumbent.violation();
        }

        @Override
        public double merit(Evaluation e) {
            return e.objective() - e.violation();
        }

        @Override
        public double[] cotangent(SurrogateProblem problem, Evaluation at) {
            return at.feasible()
                    ? penaltyCotangent(problem, at, 1, 1)
                    : penaltyCotangent(problem, at, 0, 1);
        }
    }

    /** Progressive barrier, single incumbent: dominating or improving (lower h) moves. */
    record ProgressiveBarrier() implements ConstraintHandling {

        @Override
        public boolean improves(Evaluation candidate, Evaluation incumbent) {
            if (candidate.feasible()) {
                return !incumbent.feasible() || candidate.objective() > incumbent.objective();
            }
            if (incumbent.feasible()) {
                return false;
            }
            double f = candidate.objective();
            double h = candidate.violation();
            return h < incumbent.violation()
                    || (h == incumbent.violation() && f > incumbent.objective());
        }

        @Override
        public double merit(Evaluation e) {
            return e.objective() - e.violation();
        }

        @Override
        public double[] cotangent(SurrogateProblem problem, Evaluation at) {
            return penaltyCotangent(problem, at, 1, 1);
        }
    }

    /** Returns a·∇f(y) − 2s Σ max(0, c_i) ∇c_i(y). */
    private static double[] penaltyCotangent(
            SurrogateProblem problem, Evaluation at, double objectiveWeight, double scale) {
        double[] y = at.y();
        double[] u = new double[y.length];
        if (objectiveWeight != 0) {
            double[] g = problem.objective().gradient(y);
            for (int j = 0; j < u.length; j++) {
                u[j] = objectiveWeight * g[j];
            }
        }
        double[] c = at.constraints();
        for (int i = 0; i < c.length; i++) {
            if (c[i] > 0) {
                double[] g = problem.constraints().get(i).gradient(y);
                for (int j = 0; j < u.length; j++) {
                    u[j] -= 2 * scale * c[i] * g[j];
                }
            }
        }
        return u;
    }
}
