package dev.descent.surrogate.baseline;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.IterativeSolver;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.StepKind;
import java.util.Random;

/**
 * Plain gradient ascent with projection onto the bounds on the merit m(x) = merit(Φ(x)):
 *
 * <pre>
 *   g = Jᵀu at x (one vector–Jacobian product),  x' = P(x + η·g)
 *   m(x') improves m(x) → accept, η kept;  otherwise η ← η/2
 * </pre>
 *
 * with η set at the first iteration so that ‖η·g‖∞ = r₀. Stops when a step's length ‖η·g‖∞ falls to
 * r_min (1e-5). Each iteration costs 2 forward passes (the derivative's and the trial's).
 *
 * <p>Paper: the gradient-ascent baseline of the directional-attacks paper's later version
 * (arXiv:2510.01461); defaults η from r₀, minimum step 1e-5.
 *
 * <p>Deviations from the reference: the later versions of the reference compare against gradient
 * ascent without stating a step rule; the halving on failure is ours, so that a fixed step cannot
 * cycle forever.
 */
public final class ProjectedGradientAscent extends IterativeSolver {

    private final double minStep;

    /**
     * Creates the solver.
     *
     * @param minStep the smallest step length ‖η·g‖∞, finite and &gt; 0
     */
    public ProjectedGradientAscent(double minStep) {
        RadiusRule.checkPositive("minimum step", minStep);
        this.minStep = minStep;
    }

    /**
     * Returns the solver with minimum step 1e-5.
     *
     * @return the solver
     */
    public static ProjectedGradientAscent defaults() {
        return new ProjectedGradientAscent(1e-5);
    }

    @Override
    public String name() {
        return "gradient-ascent";
    }

    @Override
    protected Run start(Evaluator evaluator, Evaluation start, Random random) {
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        return new Run() {
            Evaluation x = start;
            double eta = Double.NaN;

            @Override
            public boolean iterate() {
                double[] g = evaluator.meritGradient(x);
                double norm = Directions.infinityNorm(g);
                if (norm == 0) {
                    return false;
                }
                if (Double.isNaN(eta)) {
                    eta = evaluator.problem().initialRadius() / norm;
                }
                double[] step = g.clone();
                for (int i = 0; i < step.length; i++) {
                    step[i] *= eta;
                }
                Evaluation trial =
                        evaluator.evaluate(Directions.add(x.x(), step), StepKind.GRADIENT);
                if (handling.improves(trial, x)) {
                    x = trial;
                    evaluator.accept(x);
                } else {
                    eta /= 2;
                }
                return eta * norm > minStep;
            }
        };
    }
}
