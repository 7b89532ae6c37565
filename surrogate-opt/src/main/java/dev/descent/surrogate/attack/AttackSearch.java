package dev.descent.surrogate.attack;

import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.IterativeSolver;
import dev.descent.surrogate.RadiusRule;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The attacks-only baseline: each iteration attacks at radii {1.1r, r} (clamped to [r_min, r_max]);
 * on success x moves and r ← clamp(‖d‖∞) of the accepted step; on failure r ← r/1.5. It stops after
 * a failure leaves r &lt; r_min.
 *
 * <p>Paper: Bouchet &amp; Vidal (2025, arXiv:2510.01461); reference {@code optim_local_attacks}:
 * PGD attack, r starts at r₀, r_min = 1e-5, r_max = 10, factors {1.1, 1}; the same defaults here.
 *
 * <p>Deviations from the reference: its stall counter is disabled there (limit ∞) and omitted here;
 * the empty search step it calls is omitted.
 */
public final class AttackSearch extends IterativeSolver {

    /** Failure divisor of the radius. */
    public static final double FAILURE_FACTOR = 1.5;

    private final DirectionalAttack attack;
    private final RadiusRule radii;
    private final double[] factors;

    /**
     * Creates the solver.
     *
     * @param attack the attack operator
     * @param radii [r_min, r_max]
     * @param factors the radius factors
     */
    public AttackSearch(DirectionalAttack attack, RadiusRule radii, double... factors) {
        this.attack = Objects.requireNonNull(attack, "attack");
        this.radii = Objects.requireNonNull(radii, "radii");
        this.factors = new AttackStep(attack, factors, radii).factors();
    }

    /**
     * Returns the reference's configuration: PGD, r ∈ [1e-5, 10], factors {1.1, 1}.
     *
     * @return the solver
     */
    public static AttackSearch defaults() {
        return new AttackSearch(ProjectedSignAttack.defaults(), new RadiusRule(1e-5, 10), 1.1, 1);
    }

    @Override
    public String name() {
        return "attacks";
    }

    @Override
    protected Run start(Evaluator evaluator, Evaluation start, Random random) {
        AttackStep step = new AttackStep(attack, factors, radii);
        return new Run() {
            Evaluation x = start;
            double r = evaluator.problem().initialRadius();

            @Override
            public boolean iterate() {
                Optional<Evaluation> found = step.improve(evaluator, x, r, random);
                if (found.isPresent()) {
                    double[] d = found.get().x().clone();
                    for (int i = 0; i < d.length; i++) {
                        d[i] -= x.x()[i];
                    }
                    x = found.get();
                    evaluator.accept(x);
                    r = radii.clamp(Directions.infinityNorm(d));
                    return true;
                }
                r /= FAILURE_FACTOR;
                return r >= radii.min();
            }
        };
    }
}
