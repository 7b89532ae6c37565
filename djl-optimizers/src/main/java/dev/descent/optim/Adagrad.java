package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adagrad, with torch.optim.Adagrad semantics.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default):
 *
 * <pre>
 * S ← S + g²                         (S starts at initialAccumulatorValue)
 * p ← p − lr/(1 + (t − 1)·η) · g/(sqrt(S) + ε)      (η: learning-rate decay)
 * </pre>
 *
 * <p>Paper: Duchi, Hazan, Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 2011. Reference implementation: torch.optim.Adagrad; defaults are its: lr
 * 1e-2, learning-rate decay 0, weight decay 0, initial accumulator 0, ε 1e-10.
 *
 * <p>Deviations from the reference: none. DJL's own {@code Adagrad} throws on the PyTorch engine.
 */
public final class Adagrad extends DescentOptimizer<Adagrad.State> {

    private final double learningRateDecay;
    private final double initialAccumulatorValue;
    private final double epsilon;

    private Adagrad(Builder builder) {
        super(builder);
        learningRateDecay = builder.learningRateDecay;
        initialAccumulatorValue = builder.initialAccumulatorValue;
        epsilon = builder.epsilon;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param sum the accumulated squared gradients S
     */
    public record State(long step, NDArray sum) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(sum);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("sum");
        }
    }

    /**
     * Returns a builder with the reference defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected State initialState(NDArray weight) {
        NDArray sum = weight.zerosLike();
        if (initialAccumulatorValue != 0) {
            sum.addi(initialAccumulatorValue);
        }
        return new State(0, sum);
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, buffers.get(0));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        NDArray sum = state.sum();
        try (NDArray sq = grad.mul(grad)) {
            sum.addi(sq);
        }
        double clr = lr / (1 + (t - 1) * learningRateDecay);
        return new Step<>(
                new State(t, sum), Elementwise.scaledRatio(grad, true, sum, epsilon, clr));
    }

    /** Builds {@link Adagrad}; defaults are torch.optim.Adagrad's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double learningRateDecay;
        private double initialAccumulatorValue;
        private double epsilon = 1e-10;

        Builder() {
            super(1e-2, WeightDecayMode.COUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate decay η, finite and {@code >= 0} (default 0).
         *
         * @param learningRateDecay η
         * @return this builder
         */
        public Builder optLearningRateDecay(double learningRateDecay) {
            this.learningRateDecay = learningRateDecay;
            return this;
        }

        /**
         * Sets the initial value of the accumulator, finite and {@code >= 0} (default 0).
         *
         * @param value the initial value
         * @return this builder
         */
        public Builder optInitialAccumulatorValue(double value) {
            this.initialAccumulatorValue = value;
            return this;
        }

        /**
         * Sets ε, finite and {@code >= 0} (default 1e-10).
         *
         * @param epsilon the term added to the denominator
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        public Adagrad build() {
            validateShared();
            Arguments.nonNegative("learningRateDecay", learningRateDecay);
            Arguments.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            Arguments.nonNegative("epsilon", epsilon);
            return new Adagrad(this);
        }
    }
}
