package dev.descent.surrogate.attack;

import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.SurrogateProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The multi-step attack (PGD form): from d = 0, {@code steps} times
 *
 * <pre>
 *   d ← clip_[−r, r](d + α·sign(J(x + d)ᵀw)),  then x + d projected onto the bounds,
 * </pre>
 *
 * with w from u = ∇_y(merit)(Φ(x)) fixed at x (a targeted attack towards u, as the reference's) and
 * α = stepFraction·r. Costs one vector–Jacobian product per step and radius.
 *
 * <p>Defaults: 10 steps, α = r/4 (the attack library's PGD ratio ε/α = 4, its default ε = 8/255, α
 * = 2/255).
 *
 * <p>Paper: Madry et al., arXiv:1706.06083 (PGD); used as the attacks-only baseline's attack by the
 * directional-attacks reference (arXiv:2510.01461).
 *
 * <p>Deviations from the reference: no random start (the library's PGD starts at a random point of
 * the ball), so the attack is deterministic given x; w is {@link SignGradientAttack.Target#DIRECT}
 * unless set otherwise.
 */
public final class ProjectedSignAttack implements DirectionalAttack {

    /** Default number of sign steps. */
    public static final int DEFAULT_STEPS = 10;

    /** Default α/r. */
    public static final double DEFAULT_STEP_FRACTION = 0.25;

    private final int steps;
    private final double stepFraction;
    private final SignGradientAttack.Target target;

    /**
     * Creates the attack.
     *
     * @param steps the number of sign steps, ≥ 1
     * @param stepFraction α/r, in (0, 1]
     * @param target the output direction's form
     * @throws IllegalArgumentException on steps &lt; 1 or stepFraction outside (0, 1]
     */
    public ProjectedSignAttack(int steps, double stepFraction, SignGradientAttack.Target target) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(stepFraction > 0 && stepFraction <= 1)) {
            throw new IllegalArgumentException(
                    "stepFraction must be in (0, 1], got " + stepFraction);
        }
        this.steps = steps;
        this.stepFraction = stepFraction;
        this.target = target;
    }

    /**
     * Returns the attack with the defaults (10 steps, α = r/4, direct target).
     *
     * @return the attack
     */
    public static ProjectedSignAttack defaults() {
        return new ProjectedSignAttack(
                DEFAULT_STEPS, DEFAULT_STEP_FRACTION, SignGradientAttack.Target.DIRECT);
    }

    @Override
    public String name() {
        return "pgd";
    }

    @Override
    public List<double[]> trials(
            Evaluator evaluator, Evaluation at, double[] radii, Random random) {
        SurrogateProblem problem = evaluator.problem();
        double[] w =
                SignGradientAttack.targetDirection(
                        target, problem.constraintHandling().cotangent(problem, at));
        List<double[]> trials = new ArrayList<>(radii.length);
        if (Directions.infinityNorm(w) == 0) {
            return trials;
        }
        double[] x = at.x();
        for (double r : radii) {
            double alpha = stepFraction * r;
            double[] point = x.clone();
            for (int k = 0; k < steps; k++) {
                double[] g = evaluator.vectorJacobianProduct(point, w);
                for (int i = 0; i < x.length; i++) {
                    double d = point[i] - x[i] + alpha * Math.signum(g[i]);
                    point[i] = x[i] + Math.max(-r, Math.min(r, d));
                }
                point = problem.project(point);
            }
            if (!Arrays.equals(point, x)) {
                trials.add(point);
            }
        }
        return trials;
    }
}
