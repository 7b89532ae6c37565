package dev.descent.surrogate.attack;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.TrialEvaluation;
import java.util.Optional;
import java.util.Random;

/**
 * The attack step of a solver: radii r·m_k for the factors m_k, each clamped to the rule's [r_min,
 * r_max] (the reference's {@code r_mult_list}), the attack's trials evaluated opportunistically.
 *
 * @param attack the operator
 * @param factors the radius factors m_k (the reference hybrid: {1}; attacks only: {1.1, 1}; later
 *     versions {1.2, 1, 0.8})
 * @param radii the attack radius bounds
 */
public record AttackStep(DirectionalAttack attack, double[] factors, RadiusRule radii) {

    /**
     * Validates the factors.
     *
     * @throws IllegalArgumentException if there are none or one is not finite and &gt; 0
     */
    public AttackStep {
        if (factors.length == 0) {
            throw new IllegalArgumentException("need at least one radius factor");
        }
        for (double m : factors) {
            RadiusRule.checkPositive("radius factor", m);
        }
        factors = factors.clone();
    }

    /**
     * Attacks at x with radius r and returns the first improving trial.
     *
     * @param evaluator the run's evaluator
     * @param at the current point
     * @param r the attack radius
     * @param random the run's source; modified
     * @return the improving point (not yet accepted), or empty
     */
    public Optional<Evaluation> improve(
            Evaluator evaluator, Evaluation at, double r, Random random) {
        double[] rs = new double[factors.length];
        for (int k = 0; k < rs.length; k++) {
            rs[k] = radii.clamp(r * factors[k]);
        }
        return TrialEvaluation.OPPORTUNISTIC.improve(
                evaluator, at, attack.trials(evaluator, at, rs, random), StepKind.ATTACK);
    }
}
