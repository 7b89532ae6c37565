package dev.descent.surrogate.attack;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import java.util.List;
import java.util.Random;

/**
 * The attack operator A(x, r): trial points x + d with ‖d‖∞ ≤ r that push Φ(x + d) towards the
 * output direction u = ∇_y(merit)(Φ(x)) (u = ∇f(Φ(x)) when no constraint is violated; see {@link
 * dev.descent.surrogate.ConstraintHandling#cotangent}). Solvers evaluate the trials with the {@link
 * dev.descent.surrogate.StepKind#ATTACK} step; probes an attack evaluates itself are recorded as
 * {@link dev.descent.surrogate.StepKind#ATTACK_PROBE}. Derivatives and probes are charged to the
 * run's budget by the evaluator.
 */
public interface DirectionalAttack {

    /**
     * Returns a short name, e.g. {@code "fgsm"}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the trial points for each radius, in the order of the radii (an attack that finds a
     * zero direction returns none).
     *
     * @param evaluator the run's evaluator
     * @param at the current point
     * @param radii the radii r_k &gt; 0
     * @param random the run's source; modified
     * @return trial points x + d_k, ‖d_k‖∞ ≤ r_k
     */
    List<double[]> trials(Evaluator evaluator, Evaluation at, double[] radii, Random random);
}
