package dev.descent.surrogate.baseline;

import dev.descent.surrogate.Limits;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.SurrogateProblem;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * BOBYQA (Powell 2009, bound-constrained trust-region DFO with quadratic interpolation) from
 * Hipparchus 4.0.2 ({@link BOBYQAOptimizer}) on the handling's merit, behind the common solver
 * interface and evaluator.
 *
 * <p>Deviations from the reference: the reference has no BOBYQA baseline; the library optimizes the
 * scalar merit (the penalty even under a barrier handling, with scale 1), not the barrier itself.
 *
 * <p>Settings: 2n + 1 interpolation points (Powell's recommendation), initial trust-region radius
 * r₀ capped at half the narrowest box side (the library's requirement), stopping radius r_min =
 * 1e-5 (→ {@link dev.descent.surrogate.ExitStatus#RADIUS_BELOW_MINIMUM}); each objective call is an
 * iteration. Needs n ≥ 2 (the library's minimum).
 */
public final class BobyqaSolver extends LibraryOptimizer {

    private final double stoppingRadius;

    /**
     * Creates the solver.
     *
     * @param stoppingRadius the final trust-region radius, finite and &gt; 0
     */
    public BobyqaSolver(double stoppingRadius) {
        RadiusRule.checkPositive("stopping radius", stoppingRadius);
        this.stoppingRadius = stoppingRadius;
    }

    /**
     * Returns the solver with stopping radius 1e-5.
     *
     * @return the solver
     */
    public static BobyqaSolver defaults() {
        return new BobyqaSolver(1e-5);
    }

    @Override
    public String name() {
        return "bobyqa";
    }

    @Override
    protected boolean callsAreIterations() {
        return true;
    }

    @Override
    protected void checkProblem(SurrogateProblem problem) {
        if (problem.dimension() < BOBYQAOptimizer.MINIMUM_PROBLEM_DIMENSION) {
            throw new IllegalArgumentException(
                    "BOBYQA needs dimension >= "
                            + BOBYQAOptimizer.MINIMUM_PROBLEM_DIMENSION
                            + ", got "
                            + problem.dimension());
        }
        double[] lower = problem.lower();
        double[] upper = problem.upper();
        for (int i = 0; i < lower.length; i++) {
            if (!(upper[i] > lower[i])) {
                throw new IllegalArgumentException(
                        "BOBYQA needs upper > lower in every coordinate, got an empty range at "
                                + i);
            }
        }
    }

    @Override
    protected long optimize(
            SurrogateProblem problem, Limits limits, long seed, ObjectiveFunction objective) {
        int n = problem.dimension();
        double[] lower = problem.lower();
        double[] upper = problem.upper();
        double radius = problem.initialRadius();
        for (int i = 0; i < n; i++) {
            radius = Math.min(radius, (upper[i] - lower[i]) / 2);
        }
        double stop = Math.min(stoppingRadius, radius);
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * n + 1, radius, stop);
        optimizer.optimize(
                MaxEval.unlimited(),
                objective,
                GoalType.MAXIMIZE,
                new InitialGuess(problem.start()),
                new SimpleBounds(lower, upper));
        return optimizer.getEvaluations();
    }
}
