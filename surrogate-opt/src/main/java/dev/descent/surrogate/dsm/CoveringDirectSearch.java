package dev.descent.surrogate.dsm;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.IterativeSolver;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.RestartStrategy;
import dev.descent.surrogate.TrialEvaluation;
import java.util.Objects;
import java.util.Random;

/**
 * Covering direct search (cDSM): each iteration is a {@link DsmIteration} — covering step in B∞(x,
 * r₀), optional random line-search step, then a poll of a Householder positive spanning set at
 * radius r; poll success doubles r (≤ r_max), failure halves it (≥ r_min). When r ≤ r_min a new
 * local run starts by its {@link RestartStrategy} (default {@link RestartStrategy#RANDOM_START})
 * until the limits stop it; with {@link RestartStrategy#NONE} it stops there.
 *
 * <p>Paper: Bouchet &amp; Vidal, "Optimization by directional attacks" (2025, arXiv:2510.01461);
 * reference implementation PierreYvesBouchet/Optimization-by-Directional- Attacks, {@code
 * optim_direct_search_method}: r starts at r₀, r_min = 1e-5, r_max = ∞, poll "2n", search on,
 * opportunistic evaluation. Defaults here are the same; r₀ is the problem's {@link
 * dev.descent.surrogate.SurrogateProblem#initialRadius()}.
 *
 * <p>Deviations from the reference: the covering radius is r₀·U^{1/n} (see {@link CoveringStep});
 * the n+1 poll set is not randomly rotated (see {@link HouseholderPoll}); trial points are
 * projected onto the bounds; the budget counts surrogate forward passes; the speculative line
 * search (off by default in the reference) is not implemented; the reference stops at r ≤ r_min,
 * this solver restarts by default (see {@link RestartStrategy} for why and the measurements).
 */
public final class CoveringDirectSearch extends IterativeSolver {

    /** The reference's r_min. */
    public static final double DEFAULT_MIN_RADIUS = 1e-5;

    private final double minRadius;
    private final double maxRadius;
    private final PollDirections poll;
    private final TrialEvaluation evaluation;
    private final boolean search;

    private CoveringDirectSearch(Builder b) {
        super(b.restarts);
        this.minRadius = b.minRadius;
        this.maxRadius = b.maxRadius;
        this.poll = b.poll;
        this.evaluation = b.evaluation;
        this.search = b.search;
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
        return "cdsm";
    }

    @Override
    protected Run start(Evaluator evaluator, Evaluation start, Random random) {
        double r0 = evaluator.problem().initialRadius();
        RadiusRule radii = new RadiusRule(minRadius, maxRadius);
        DsmIteration iteration =
                new DsmIteration(r0, radii, poll, evaluation, search, false, false);
        DsmIteration.State[] state = {iteration.initial(start, radii.clamp(r0))};
        return () -> {
            state[0] = iteration.next(state[0], evaluator, random);
            return !radii.atMinimum(state[0].radius());
        };
    }

    /** Options of cDSM; {@link #build()} validates. */
    public static final class Builder {
        private double minRadius = DEFAULT_MIN_RADIUS;
        private double maxRadius = Double.POSITIVE_INFINITY;
        private PollDirections poll = HouseholderPoll.TWO_N;
        private TrialEvaluation evaluation = TrialEvaluation.OPPORTUNISTIC;
        private boolean search = true;
        private RestartStrategy restarts = RestartStrategy.RANDOM_START;

        private Builder() {}

        /**
         * Sets the radius bounds (default [1e-5, ∞)).
         *
         * @param min r_min, finite and &gt; 0
         * @param max r_max ≥ r_min
         * @return this
         */
        public Builder optRadiusBounds(double min, double max) {
            this.minRadius = min;
            this.maxRadius = max;
            return this;
        }

        /**
         * Sets the poll set (default {@link HouseholderPoll#TWO_N}).
         *
         * @param poll the strategy
         * @return this
         */
        public Builder optPoll(PollDirections poll) {
            this.poll = poll;
            return this;
        }

        /**
         * Sets how the poll set is evaluated (default {@link TrialEvaluation#OPPORTUNISTIC}).
         *
         * @param evaluation opportunistic or one batch
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
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException on radius bounds outside 0 &lt; min ≤ max
         */
        public CoveringDirectSearch build() {
            RadiusRule.named("poll radius", minRadius, maxRadius);
            Objects.requireNonNull(poll, "poll");
            Objects.requireNonNull(evaluation, "evaluation");
            Objects.requireNonNull(restarts, "restarts");
            return new CoveringDirectSearch(this);
        }
    }
}
