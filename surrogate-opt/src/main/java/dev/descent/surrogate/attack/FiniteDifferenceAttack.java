package dev.descent.surrogate.attack;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A black-box sign attack: d = r·sign(ĝ) with ĝ an estimate of the gradient of x ↦ merit(Φ(x)) from
 * evaluations through the evaluator (recorded as {@link StepKind#ATTACK_PROBE}), with h_i =
 * relativeStep·max(1, |x_i|) (divided by the step actually taken when a bound clips a probe; the
 * simplex probe steps backwards at an upper bound):
 *
 * <ul>
 *   <li>{@link Scheme#CENTRAL}: ĝ_i = (m(x + h_i e_i) − m(x − h_i e_i))/(2h_i), 2n evaluations;
 *   <li>{@link Scheme#SIMPLEX}: the simplex gradient of the forward simplex {x, x + h_i e_i}, ĝ_i =
 *       (m(x + h_i e_i) − m(x))/h_i, n evaluations.
 * </ul>
 *
 * <p>Paper: the black-box variant the directional-attacks paper (arXiv:2510.01461) calls for; the
 * simplex gradient is that of Conn, Scheinberg &amp; Vicente, "Introduction to Derivative-Free
 * Optimization" (2009), ch. 2. Defaults: none (scheme and step are required).
 *
 * <p>Deviations from the reference: the reference implements no black-box attack.
 *
 * <p>Unlike the surrogate's own estimated derivatives ({@link dev.descent.onnx.GradientEstimator}),
 * this differentiates the whole merit in x, so it needs no output gradient either.
 */
public final class FiniteDifferenceAttack implements DirectionalAttack {

    /** The finite-difference scheme. */
    public enum Scheme {
        /** Central differences, 2n evaluations. */
        CENTRAL,
        /** Forward simplex gradient, n evaluations. */
        SIMPLEX
    }

    private final Scheme scheme;
    private final double relativeStep;

    /**
     * Creates the attack.
     *
     * @param scheme the scheme
     * @param relativeStep the relative step, in (0, 1)
     * @throws IllegalArgumentException unless relativeStep is in (0, 1)
     */
    public FiniteDifferenceAttack(Scheme scheme, double relativeStep) {
        if (!(relativeStep > 0 && relativeStep < 1)) {
            throw new IllegalArgumentException(
                    "relativeStep must be in (0, 1), got " + relativeStep);
        }
        this.scheme = scheme;
        this.relativeStep = relativeStep;
    }

    @Override
    public String name() {
        return scheme == Scheme.CENTRAL ? "fd-central" : "fd-simplex";
    }

    /** Evaluates x + step·e_i (projected onto the bounds by the evaluator). */
    private static Evaluation probe(Evaluator evaluator, double[] x, int i, double step) {
        double[] p = x.clone();
        p[i] += step;
        return evaluator.evaluate(p, StepKind.ATTACK_PROBE);
    }

    /** Returns (a − b)/dx, or 0 when the bounds left no room (dx = 0). */
    private static double slope(double a, double b, double dx) {
        return dx == 0 ? 0 : (a - b) / dx;
    }

    @Override
    public List<double[]> trials(
            Evaluator evaluator, Evaluation at, double[] radii, Random random) {
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        double[] x = at.x();
        double[] g = new double[x.length];
        double here = handling.merit(at);
        for (int i = 0; i < x.length; i++) {
            double h = relativeStep * Math.max(1, Math.abs(x[i]));
            Evaluation up = probe(evaluator, x, i, h);
            if (scheme == Scheme.CENTRAL) {
                Evaluation down = probe(evaluator, x, i, -h);
                g[i] = slope(handling.merit(up), handling.merit(down), up.x()[i] - down.x()[i]);
            } else {
                if (up.x()[i] == x[i]) {
                    up = probe(evaluator, x, i, -h);
                }
                g[i] = slope(handling.merit(up), here, up.x()[i] - x[i]);
            }
        }
        List<double[]> trials = new ArrayList<>(radii.length);
        if (!(Directions.infinityNorm(g) > 0)) {
            return trials;
        }
        for (double r : radii) {
            trials.add(Directions.signStep(x, g, r));
        }
        return trials;
    }
}
