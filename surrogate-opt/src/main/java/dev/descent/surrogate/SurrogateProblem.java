package dev.descent.surrogate;

import dev.descent.onnx.Surrogate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Maximize f(Φ(x)) subject to c_i(Φ(x)) ≤ 0 and lower ≤ x ≤ upper, with Φ a {@link Surrogate}, f
 * and c_i {@link OutputFunction}s over Φ's output, and a {@link ConstraintHandling}.
 *
 * <pre>{@code
 * SurrogateProblem problem = SurrogateProblem.builder(phi)
 *         .setStart(x0)
 *         .setObjective(OutputFunction.component(0))
 *         .optBounds(lower, upper)
 *         .optConstraint(OutputFunction.linear(new double[] {0, 1}, -0.5))   // y₁ ≤ 0.5
 *         .build();
 * }</pre>
 *
 * <p>Immutable; the surrogate is shared, not owned (the caller closes it). Points proposed outside
 * the bounds are projected onto them by the {@link Evaluator}.
 */
public final class SurrogateProblem {

    private final Surrogate surrogate;
    private final double[] lower;
    private final double[] upper;
    private final double[] start;
    private final OutputFunction objective;
    private final List<OutputFunction> constraints;
    private final ConstraintHandling handling;
    private final double initialRadius;

    private SurrogateProblem(Builder b) {
        this.surrogate = b.surrogate;
        this.lower = b.lower.clone();
        this.upper = b.upper.clone();
        this.start = b.start.clone();
        this.objective = b.objective;
        this.constraints = List.copyOf(b.constraints);
        this.handling = b.handling;
        this.initialRadius = b.initialRadius;
    }

    /**
     * Starts a builder.
     *
     * @param surrogate Φ; not owned
     * @return a builder
     */
    public static Builder builder(Surrogate surrogate) {
        return new Builder(surrogate);
    }

    /**
     * Returns n, the number of variables (Φ's input dimension).
     *
     * @return n
     */
    public int dimension() {
        return start.length;
    }

    /**
     * Returns Φ.
     *
     * @return the surrogate
     */
    public Surrogate surrogate() {
        return surrogate;
    }

    /**
     * Returns the lower bounds (entries may be −∞).
     *
     * @return a copy
     */
    public double[] lower() {
        return lower.clone();
    }

    /**
     * Returns the upper bounds (entries may be +∞).
     *
     * @return a copy
     */
    public double[] upper() {
        return upper.clone();
    }

    /**
     * Returns the start point x₀.
     *
     * @return a copy
     */
    public double[] start() {
        return start.clone();
    }

    /**
     * Returns f.
     *
     * @return the objective
     */
    public OutputFunction objective() {
        return objective;
    }

    /**
     * Returns the constraints c_i (c_i ≤ 0 feasible).
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<OutputFunction> constraints() {
        return constraints;
    }

    /**
     * Returns the constraint handling.
     *
     * @return the handling
     */
    public ConstraintHandling constraintHandling() {
        return handling;
    }

    /**
     * Returns r₀, the problem's starting radius for every step (the reference's per-problem {@code
     * r_0}; cDSM's covering radius).
     *
     * @return r₀ &gt; 0
     */
    public double initialRadius() {
        return initialRadius;
    }

    /**
     * Returns the projection of x onto the bounds.
     *
     * @param x a point of length n; not modified
     * @return a new projected point
     */
    public double[] project(double[] x) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
        }
        return p;
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final Surrogate surrogate;
        private double[] lower;
        private double[] upper;
        private double[] start;
        private OutputFunction objective;
        private final List<OutputFunction> constraints = new ArrayList<>();
        private ConstraintHandling handling = ConstraintHandling.penalty(1);
        private double initialRadius = Double.NaN;

        private Builder(Surrogate surrogate) {
            this.surrogate = surrogate;
        }

        /**
         * Sets the start point x₀ (required); it must lie within the bounds.
         *
         * @param start x₀, length n; copied
         * @return this
         */
        public Builder setStart(double[] start) {
            this.start = start == null ? null : start.clone();
            return this;
        }

        /**
         * Sets f, the objective to maximize (required).
         *
         * @param objective f
         * @return this
         */
        public Builder setObjective(OutputFunction objective) {
            this.objective = objective;
            return this;
        }

        /**
         * Sets the bounds (default: unbounded); lower_i ≤ upper_i, no NaN.
         *
         * @param lower lower bounds, length n; copied
         * @param upper upper bounds, length n; copied
         * @return this
         */
        public Builder optBounds(double[] lower, double[] upper) {
            this.lower = lower == null ? null : lower.clone();
            this.upper = upper == null ? null : upper.clone();
            return this;
        }

        /**
         * Adds a constraint c(Φ(x)) ≤ 0.
         *
         * @param constraint c
         * @return this
         */
        public Builder optConstraint(OutputFunction constraint) {
            constraints.add(Objects.requireNonNull(constraint, "constraint"));
            return this;
        }

        /**
         * Sets the constraint handling (default: the reference's penalty, scale 1).
         *
         * @param handling the handling
         * @return this
         */
        public Builder optConstraintHandling(ConstraintHandling handling) {
            this.handling = Objects.requireNonNull(handling, "handling");
            return this;
        }

        /**
         * Sets r₀, the starting radius of every step (default: a tenth of the widest side of the
         * box, or 1 when a bound is infinite).
         *
         * @param initialRadius r₀, finite and &gt; 0
         * @return this
         */
        public Builder optInitialRadius(double initialRadius) {
            RadiusRule.checkPositive("initial radius", initialRadius);
            this.initialRadius = initialRadius;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the problem
         * @throws IllegalArgumentException on a missing surrogate, start or objective, lengths that
         *     differ from Φ's input dimension, lower_i &gt; upper_i, NaN bounds, or a start point
         *     that is not finite or lies outside the bounds
         */
        public SurrogateProblem build() {
            if (surrogate == null) {
                throw new IllegalArgumentException("surrogate must not be null");
            }
            if (start == null) {
                throw new IllegalArgumentException("start point must be set");
            }
            if (objective == null) {
                throw new IllegalArgumentException("objective must be set");
            }
            int n = surrogate.inputDimension();
            if (start.length != n) {
                throw new IllegalArgumentException(
                        "start point has length "
                                + start.length
                                + " but the surrogate's input dimension is "
                                + n);
            }
            if (lower == null && upper == null) {
                lower = new double[n];
                upper = new double[n];
                Arrays.fill(lower, Double.NEGATIVE_INFINITY);
                Arrays.fill(upper, Double.POSITIVE_INFINITY);
            }
            if (lower == null || upper == null) {
                throw new IllegalArgumentException("bounds need both lower and upper");
            }
            if (lower.length != n || upper.length != n) {
                throw new IllegalArgumentException(
                        "bounds have lengths "
                                + lower.length
                                + " and "
                                + upper.length
                                + " but the surrogate's input dimension is "
                                + n);
            }
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(lower[i]) || Double.isNaN(upper[i])) {
                    throw new IllegalArgumentException("bound " + i + " is NaN");
                }
                if (lower[i] > upper[i]) {
                    throw new IllegalArgumentException(
                            "lower bound must be <= upper bound, got lower["
                                    + i
                                    + "] = "
                                    + lower[i]
                                    + " > upper["
                                    + i
                                    + "] = "
                                    + upper[i]);
                }
                if (!Double.isFinite(start[i])) {
                    throw new IllegalArgumentException(
                            "start point must be finite, got start[" + i + "] = " + start[i]);
                }
                if (start[i] < lower[i] || start[i] > upper[i]) {
                    throw new IllegalArgumentException(
                            "start point must lie within the bounds, got start["
                                    + i
                                    + "] = "
                                    + start[i]
                                    + " outside ["
                                    + lower[i]
                                    + ", "
                                    + upper[i]
                                    + "]");
                }
            }
            if (Double.isNaN(initialRadius)) {
                double widest = 0;
                for (int i = 0; i < n; i++) {
                    widest = Math.max(widest, upper[i] - lower[i]);
                }
                initialRadius = Double.isFinite(widest) && widest > 0 ? widest / 10 : 1;
            }
            return new SurrogateProblem(this);
        }
    }
}
