package dev.descent.solve;

import java.util.ArrayList;
import java.util.List;

/**
 * Block coordinate descent with greedy block selection (Nutini, Laradji and Schmidt, "Let's Make
 * Block Coordinate Descent Converge Faster: Faster Greedy Rules, Message-Passing, Active-Set
 * Complexity, and Superlinear Convergence", arXiv 1712.08580; reference implementation
 * IssamLaradji/BlockCoordinateDescent). Each iteration k:
 *
 * <pre>
 *   g     = ∇f(x)
 *   block = selection.next(x, g, k)        // a BlockRule over fixed or variable blocks, or a forest
 *   x_b   ← update(x, g_b)                 // 1/L_b, H_b⁻¹ g_b, Newton + line search, or GaBP
 * </pre>
 *
 * <p>Defaults from the reference's experiments: x₀ = 0 (the caller's choice here), 500 iterations;
 * the reference also stops once f − f* &lt; 1e-8, which {@link Builder#optTarget} expresses. The
 * run ends with a typed {@link SolveStatus}: {@code CONVERGED} when f reached the target, {@code
 * ITERATION_LIMIT} otherwise, {@code BREAKDOWN} when f or ∇f stopped being finite or a Newton line
 * search failed; the result then holds the best iterate seen, never a non-finite one.
 */
public final class BlockCoordinateDescent {

    /** The reference's iteration budget. */
    public static final int DEFAULT_MAX_ITERATIONS = 500;

    private final BlockObjective objective;
    private final BlockSelection selection;
    private final BlockUpdate update;
    private final int maxIterations;
    private final double target;

    private BlockCoordinateDescent(Builder b) {
        this.objective = b.objective;
        this.selection = b.selection;
        this.update = b.update;
        this.maxIterations = b.maxIterations;
        this.target = b.target;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The outcome of a run.
     *
     * @param solution the best iterate (lowest f)
     * @param iterations block updates done
     * @param values f before the first update and after each one (length iterations + 1)
     * @param blocks the block chosen at each iteration
     * @param status why the run ended
     */
    public record Result(
            double[] solution,
            int iterations,
            double[] values,
            List<int[]> blocks,
            SolveStatus status) {

        /** f of the best iterate. */
        public double bestValue() {
            double best = values[0];
            for (double v : values) {
                best = Math.min(best, v);
            }
            return best;
        }
    }

    /**
     * Runs from x0.
     *
     * @param x0 the start, length n, finite; not modified
     * @return the result
     * @throws IllegalArgumentException when x0 has the wrong length or a non-finite entry
     */
    public Result minimize(double[] x0) {
        double[] x = DenseDesign.finiteCopy("x0", x0, objective.dimension());
        double f = objective.value(x);
        if (!Double.isFinite(f)) {
            throw new IllegalArgumentException("f(x0) must be finite, got " + f);
        }
        double[] best = x.clone();
        double bestValue = f;
        List<Double> values = new ArrayList<>();
        List<int[]> blocks = new ArrayList<>();
        values.add(f);
        SolveStatus status = SolveStatus.ITERATION_LIMIT;
        int k = 0;
        while (true) {
            if (f <= target) {
                status = SolveStatus.CONVERGED;
                break;
            }
            if (k == maxIterations) {
                break;
            }
            double[] g = objective.gradient(x);
            if (!Residuals.allFinite(g)) {
                status = SolveStatus.BREAKDOWN;
                break;
            }
            int[] block = selection.next(x, g, k);
            boolean moved = update.apply(objective, x, g, block);
            blocks.add(block);
            k++;
            f = moved ? objective.value(x) : Double.NaN;
            if (!moved || !Double.isFinite(f) || !Residuals.allFinite(x)) {
                values.add(bestValue);
                status = SolveStatus.BREAKDOWN;
                break;
            }
            values.add(f);
            if (f < bestValue) {
                bestValue = f;
                System.arraycopy(x, 0, best, 0, x.length);
            }
        }
        return new Result(
                best,
                k,
                values.stream().mapToDouble(Double::doubleValue).toArray(),
                blocks,
                status);
    }

    /** Builds a {@link BlockCoordinateDescent}; objective, selection and update are required. */
    public static final class Builder {
        private BlockObjective objective;
        private BlockSelection selection;
        private BlockUpdate update;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private double target = Double.NEGATIVE_INFINITY;

        private Builder() {}

        /**
         * The objective.
         *
         * @param objective f
         * @return this builder
         */
        public Builder setObjective(BlockObjective objective) {
            this.objective = objective;
            return this;
        }

        /**
         * The block selection (built for the same objective).
         *
         * @param selection the rule
         * @return this builder
         */
        public Builder setSelection(BlockSelection selection) {
            this.selection = selection;
            return this;
        }

        /**
         * The block update.
         *
         * @param update the update; {@link BlockUpdate#BELIEF_PROPAGATION} needs a {@link
         *     QuadraticObjective}
         * @return this builder
         */
        public Builder setUpdate(BlockUpdate update) {
            this.update = update;
            return this;
        }

        /**
         * The iteration budget (default 500, the reference's).
         *
         * @param maxIterations ≥ 0
         * @return this builder
         */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Stop once f ≤ target (e.g. f* + 1e-8 as the reference); none by default.
         *
         * @param target a value, not NaN
         * @return this builder
         */
        public Builder optTarget(double target) {
            this.target = target;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException naming a missing or invalid setting
         */
        public BlockCoordinateDescent build() {
            if (objective == null || selection == null || update == null) {
                throw new IllegalArgumentException(
                        "objective, selection and update are required, got "
                                + objective
                                + ", "
                                + selection
                                + ", "
                                + update);
            }
            if (maxIterations < 0) {
                throw new IllegalArgumentException(
                        "maxIterations must be >= 0, got " + maxIterations);
            }
            if (Double.isNaN(target)) {
                throw new IllegalArgumentException("target must not be NaN");
            }
            if (update == BlockUpdate.BELIEF_PROPAGATION
                    && !(objective instanceof QuadraticObjective)) {
                throw new IllegalArgumentException(
                        "BELIEF_PROPAGATION needs a QuadraticObjective, got "
                                + objective.getClass().getSimpleName());
            }
            BlockPartitions.checkLipschitz(objective.coordinateLipschitz());
            return new BlockCoordinateDescent(this);
        }
    }
}
