package dev.descent.surrogate.hybrid;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.IterativeSolver;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.RestartStrategy;
import dev.descent.surrogate.TrialEvaluation;
import dev.descent.surrogate.attack.AttackStep;
import dev.descent.surrogate.attack.DirectionalAttack;
import dev.descent.surrogate.attack.SignGradientAttack;
import dev.descent.surrogate.dsm.DsmIteration;
import dev.descent.surrogate.dsm.HouseholderPoll;
import dev.descent.surrogate.dsm.PollDirections;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The hybrid of directional attacks and covering direct search. Each iteration first attacks at
 * radius r_atk; with gain = (m(x_A) − m(x))/(|m(x)| + 1e-10) on the merit m:
 *
 * <pre>
 *   attack improves and gain ≥ 1e-3:  x ← x_A; r_atk ← clamp(1.3·r_atk); r_dsm ← 2·r_dsm if r_dsm ≤ r_dsm_min;
 *                                      skip cDSM (REFERENCE)
 *   attack improves, gain &lt; 1e-3:    x ← x_A; r_atk ← clamp(1.1·r_atk); cDSM iteration
 *   attack fails:                      r_atk ← max(r_atk_min, r_atk/1.3); cDSM iteration
 * </pre>
 *
 * The cDSM iteration is a {@link DsmIteration} with covering radius r₀, the n+1 poll, a search step
 * whose success doubles r_dsm, and search and poll skipped while r_dsm ≤ r_dsm_min. With {@link
 * Alternation#ALWAYS_DSM} cDSM runs after every attack and an attack success multiplies r_dsm by
 * 1.1. When r_dsm ≤ r_dsm_min and r_atk ≤ r_atk_min a new local run (both radii at r₀) starts by
 * its {@link RestartStrategy} (default {@link RestartStrategy#RANDOM_START}) until the limits stop
 * it; with {@link RestartStrategy#NONE} it stops there.
 *
 * <p>Paper: Bouchet &amp; Vidal, "Optimization by directional attacks" (2025, arXiv:2510.01461);
 * reference {@code optim_hybrid_method}: FGSM attack, r_atk = r_dsm = r₀ at the start, r_atk ∈
 * [1e-5, 1], r_dsm ∈ [1e-5, ∞), factors {1}, poll "n+1", light search, opportunistic evaluation,
 * sufficient increase τ = 1e-3. The defaults here are the same; r₀ is the problem's {@link
 * dev.descent.surrogate.SurrogateProblem#initialRadius()}.
 *
 * <p>Deviations from the reference: the attack is the direct sign step r·sign(Jᵀu) by default (the
 * reference's cross-entropy form is {@link SignGradientAttack.Target#CROSS_ENTROPY} and is zero for
 * a single output); the budget counts the attack's derivative forward passes; see {@link
 * DsmIteration} for the cDSM deviations; the speculative line search (off in the reference) is
 * omitted; the reference stops when both radii are at their minimum, this solver restarts by
 * default (see {@link RestartStrategy}).
 */
public final class HybridSearch extends IterativeSolver {

    /** The sufficient-increase threshold τ. */
    public static final double SUFFICIENT_INCREASE = 1e-3;

    /** r_atk factor after a sufficient increase. */
    public static final double ATTACK_GROWTH = 1.3;

    /** r_atk factor after a simple increase. */
    public static final double ATTACK_SMALL_GROWTH = 1.1;

    /** r_atk divisor after a failed attack. */
    public static final double ATTACK_SHRINK = 1.3;

    /** r_dsm factor after an attack success in {@link Alternation#ALWAYS_DSM}. */
    public static final double DSM_GROWTH_ON_ATTACK = 1.1;

    private final DirectionalAttack attack;
    private final double[] attackFactors;
    private final RadiusRule attackRadii;
    private final RadiusRule dsmRadii;
    private final PollDirections poll;
    private final TrialEvaluation evaluation;
    private final boolean search;
    private final Alternation alternation;

    private HybridSearch(Builder b) {
        super(b.restarts);
        this.attack = b.attack;
        this.attackFactors = b.attackFactors.clone();
        this.attackRadii = RadiusRule.named("attack radius", b.attackMin, b.attackMax);
        this.dsmRadii = RadiusRule.named("poll radius", b.dsmMin, b.dsmMax);
        this.poll = b.poll;
        this.evaluation = b.evaluation;
        this.search = b.search;
        this.alternation = b.alternation;
    }

    /**
     * Starts a builder with the reference's defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "hybrid";
    }

    @Override
    protected Run start(Evaluator evaluator, Evaluation start, Random random) {
        double r0 = evaluator.problem().initialRadius();
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        AttackStep attackStep = new AttackStep(attack, attackFactors, attackRadii);
        DsmIteration dsm = new DsmIteration(r0, dsmRadii, poll, evaluation, search, true, true);
        return new Run() {
            DsmIteration.State state = dsm.initial(start, dsmRadii.clamp(r0));
            double rAtk = attackRadii.clamp(r0);

            @Override
            public boolean iterate() {
                Evaluation x = state.incumbent();
                Optional<Evaluation> found = attackStep.improve(evaluator, x, rAtk, random);
                boolean runDsm = true;
                if (found.isPresent()) {
                    evaluator.accept(found.get());
                    state = state.withIncumbent(found.get());
                    boolean sufficient =
                            handling.relativeGain(found.get(), x) >= SUFFICIENT_INCREASE;
                    if (alternation == Alternation.ALWAYS_DSM) {
                        state =
                                state.withRadius(
                                        dsmRadii.grow(state.radius(), DSM_GROWTH_ON_ATTACK));
                    }
                    if (sufficient) {
                        rAtk = attackRadii.grow(rAtk, ATTACK_GROWTH);
                        if (alternation == Alternation.REFERENCE) {
                            if (dsmRadii.atMinimum(state.radius())) {
                                state = state.withRadius(dsmRadii.grow(state.radius(), 2));
                            }
                            runDsm = false;
                        }
                    } else {
                        rAtk = attackRadii.grow(rAtk, ATTACK_SMALL_GROWTH);
                    }
                } else {
                    rAtk = attackRadii.shrink(rAtk, ATTACK_SHRINK);
                }
                if (runDsm) {
                    state = dsm.next(state, evaluator, random);
                }
                return !(dsmRadii.atMinimum(state.radius()) && attackRadii.atMinimum(rAtk));
            }
        };
    }

    /** Options of the hybrid; {@link #build()} validates. */
    public static final class Builder {
        private DirectionalAttack attack = SignGradientAttack.direct();
        private double[] attackFactors = {1};
        private double attackMin = 1e-5;
        private double attackMax = 1;
        private double dsmMin = 1e-5;
        private double dsmMax = Double.POSITIVE_INFINITY;
        private PollDirections poll = HouseholderPoll.N_PLUS_ONE;
        private TrialEvaluation evaluation = TrialEvaluation.OPPORTUNISTIC;
        private boolean search = true;
        private RestartStrategy restarts = RestartStrategy.RANDOM_START;
        private Alternation alternation = Alternation.REFERENCE;

        private Builder() {}

        /**
         * Sets the attack operator (default: the direct sign step {@link
         * SignGradientAttack#direct()}).
         *
         * @param attack the operator
         * @return this
         */
        public Builder optAttack(DirectionalAttack attack) {
            this.attack = attack;
            return this;
        }

        /**
         * Sets the attack radius factors (default {1}).
         *
         * @param factors each finite and &gt; 0
         * @return this
         */
        public Builder optAttackFactors(double... factors) {
            this.attackFactors = factors.clone();
            return this;
        }

        /**
         * Sets [r_atk_min, r_atk_max] (default [1e-5, 1]).
         *
         * @param min r_atk_min, finite and &gt; 0
         * @param max r_atk_max ≥ min
         * @return this
         */
        public Builder optAttackRadiusBounds(double min, double max) {
            this.attackMin = min;
            this.attackMax = max;
            return this;
        }

        /**
         * Sets [r_dsm_min, r_dsm_max] (default [1e-5, ∞)).
         *
         * @param min r_dsm_min, finite and &gt; 0
         * @param max r_dsm_max ≥ min
         * @return this
         */
        public Builder optDsmRadiusBounds(double min, double max) {
            this.dsmMin = min;
            this.dsmMax = max;
            return this;
        }

        /**
         * Sets the poll set (default {@link HouseholderPoll#N_PLUS_ONE}).
         *
         * @param poll the strategy
         * @return this
         */
        public Builder optPoll(PollDirections poll) {
            this.poll = poll;
            return this;
        }

        /**
         * Sets how the poll set is evaluated (default opportunistic).
         *
         * @param evaluation the policy
         * @return this
         */
        public Builder optEvaluation(TrialEvaluation evaluation) {
            this.evaluation = evaluation;
            return this;
        }

        /**
         * Turns the search step on or off (default on).
         *
         * @param search whether to search
         * @return this
         */
        public Builder optSearch(boolean search) {
            this.search = search;
            return this;
        }

        /**
         * Sets what happens when the radii reach their minimum with budget left (default {@link
         * RestartStrategy#RANDOM_START}: restart until the budget is spent; {@link
         * RestartStrategy#NONE} stops as the reference does).
         *
         * @param restarts the strategy
         * @return this
         */
        public Builder optRestarts(RestartStrategy restarts) {
            this.restarts = restarts;
            return this;
        }

        /**
         * Sets the alternation (default {@link Alternation#REFERENCE}).
         *
         * @param alternation the rule
         * @return this
         */
        public Builder optAlternation(Alternation alternation) {
            this.alternation = alternation;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException on radius bounds outside 0 &lt; min ≤ max or bad factors
         */
        public HybridSearch build() {
            Objects.requireNonNull(attack, "attack");
            Objects.requireNonNull(poll, "poll");
            Objects.requireNonNull(evaluation, "evaluation");
            Objects.requireNonNull(restarts, "restarts");
            Objects.requireNonNull(alternation, "alternation");
            RadiusRule attackRadii = RadiusRule.named("attack radius", attackMin, attackMax);
            RadiusRule.named("poll radius", dsmMin, dsmMax);
            new AttackStep(attack, attackFactors, attackRadii);
            return new HybridSearch(this);
        }
    }
}
