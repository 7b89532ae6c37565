package dev.descent.surrogate.attack;

import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The one-step attack (FGSM form): d = r·sign(Jᵀw) with J the Jacobian of Φ at x and w from u =
 * ∇_y(merit)(Φ(x)) — one vector–Jacobian product, whatever the number of radii.
 *
 * <ul>
 *   <li>{@link Target#DIRECT} (default): w = u, the steepest ascent of ⟨u, Φ(x + d)⟩ over ‖d‖∞ ≤ r
 *       to first order.
 *   <li>{@link Target#CROSS_ENTROPY}: w = u − mean(u)·1, what a targeted cross-entropy FGSM at
 *       uniform logits computes (the reference's wrapped attack library). For a single-output Φ, w
 *       = 0 and the step is zero: this form then yields no trial.
 * </ul>
 *
 * <p>Paper: Bouchet &amp; Vidal (2025, arXiv:2510.01461); reference: {@code local_attack_step} with
 * a targeted FGSM from a standard attack library, on the box-mapped variable x + 2r(d − ½).
 *
 * <p>Deviations from the reference: the direct form is the default (see above); the step is
 * computed in x directly, not through the box-mapped model (the same step for FGSM).
 */
public final class SignGradientAttack implements DirectionalAttack {

    /** Which output direction the sign step follows. */
    public enum Target {
        /** w = u. */
        DIRECT,
        /** w = u − mean(u)·1 (zero for a single output). */
        CROSS_ENTROPY
    }

    private final Target target;

    /**
     * Creates the attack.
     *
     * @param target the output direction's form
     */
    public SignGradientAttack(Target target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Returns the direct form, the default.
     *
     * @return the attack
     */
    public static SignGradientAttack direct() {
        return new SignGradientAttack(Target.DIRECT);
    }

    @Override
    public String name() {
        return target == Target.DIRECT ? "fgsm" : "fgsm-ce";
    }

    /**
     * Returns w for the target: u itself, or u − mean(u)·1.
     *
     * @param target the form
     * @param u the output direction; not modified
     * @return w, a new array
     */
    static double[] targetDirection(Target target, double[] u) {
        double[] w = u.clone();
        if (target == Target.CROSS_ENTROPY) {
            double mean = 0;
            for (double ui : u) {
                mean += ui / u.length;
            }
            for (int j = 0; j < w.length; j++) {
                w[j] -= mean;
            }
        }
        return w;
    }

    @Override
    public List<double[]> trials(
            Evaluator evaluator, Evaluation at, double[] radii, Random random) {
        double[] w =
                targetDirection(
                        target,
                        evaluator
                                .problem()
                                .constraintHandling()
                                .cotangent(evaluator.problem(), at));
        List<double[]> trials = new ArrayList<>(radii.length);
        if (Directions.infinityNorm(w) == 0) {
            return trials;
        }
        double[] g = evaluator.vectorJacobianProduct(at.x(), w);
        if (Directions.infinityNorm(g) == 0) {
            return trials;
        }
        for (double r : radii) {
            trials.add(Directions.signStep(at.x(), g, r));
        }
        return trials;
    }
}
