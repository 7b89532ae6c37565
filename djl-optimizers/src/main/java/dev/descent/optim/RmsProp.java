package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, plain or centered, with optional momentum, with torch.optim.RMSprop semantics.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default):
 *
 * <pre>
 * v ← α·v + (1 − α)·g²
 * centered:  a ← α·a + (1 − α)·g,   d = sqrt(v − a²) + ε
 * otherwise: d = sqrt(v) + ε
 * μ &gt; 0:     b ← μ·b + g/d,   p ← p − lr·b
 * otherwise: p ← p − lr·g/d
 * </pre>
 *
 * <p>Paper: Tieleman and Hinton, Lecture 6.5, COURSERA: Neural Networks for Machine Learning
 * (2012); centered form: Graves, arXiv:1308.0850. Reference implementation: torch.optim.RMSprop;
 * defaults are its: lr 1e-2, α 0.99, ε 1e-8, weight decay 0, momentum 0, centered off.
 *
 * <p>Deviations from the reference: none. DJL's own {@code RmsProp} throws on the PyTorch engine.
 */
public final class RmsProp extends DescentOptimizer<RmsProp.State> {

    private final double alpha;
    private final double epsilon;
    private final double momentum;
    private final boolean centered;

    private RmsProp(Builder builder) {
        super(builder);
        alpha = builder.alpha;
        epsilon = builder.epsilon;
        momentum = builder.momentum;
        centered = builder.centered;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param squareAverage v
     * @param gradAverage a (centered), or {@code null}
     * @param buffer b (momentum), or {@code null}
     */
    public record State(long step, NDArray squareAverage, NDArray gradAverage, NDArray buffer)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            if (gradAverage == null) {
                return buffer == null ? List.of(squareAverage) : List.of(squareAverage, buffer);
            }
            return buffer == null
                    ? List.of(squareAverage, gradAverage)
                    : List.of(squareAverage, gradAverage, buffer);
        }

        @Override
        public List<String> bufferNames() {
            List<String> names = new ArrayList<>(List.of("squareAverage"));
            if (gradAverage != null) {
                names.add("gradAverage");
            }
            if (buffer != null) {
                names.add("buffer");
            }
            return names;
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
        return new State(
                0,
                weight.zerosLike(),
                centered ? weight.zerosLike() : null,
                momentum > 0 ? weight.zerosLike() : null);
    }

    /** {@code centered} adds the gradient average, momentum the momentum buffer. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of(
                "centered", String.valueOf(centered), "momentum > 0", String.valueOf(momentum > 0));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        int i = 0;
        NDArray v = buffers.get(i++);
        NDArray a = centered ? buffers.get(i++) : null;
        NDArray b = momentum > 0 ? buffers.get(i) : null;
        return new State(step, v, a, b);
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        NDArray v = state.squareAverage();
        NDArray a = state.gradAverage();
        NDArray b = state.buffer();
        NDArray denom;
        try (NDArray scratch = grad.duplicate()) {
            Elementwise.emaOfSquareConsuming(v, scratch, alpha);
            if (a != null) {
                Elementwise.lerp(a, grad, alpha);
                Elementwise.copy(scratch, a);
                scratch.muli(scratch).negi().addi(v); // v − a²
                denom = scratch.sqrt();
            } else {
                denom = v.sqrt();
            }
        }
        try (NDArray d = denom) {
            grad.divi(d.addi(epsilon));
        }
        State next = new State(state.step() + 1, v, a, b);
        if (b != null) {
            b.muli(momentum).addi(grad);
            return new Step<>(next, Elementwise.scaled(grad, b, lr));
        }
        return new Step<>(next, grad.muli(lr));
    }

    /** Builds {@link RmsProp}; defaults are torch.optim.RMSprop's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double alpha = 0.99;
        private double epsilon = 1e-8;
        private double momentum;
        private boolean centered;

        Builder() {
            super(1e-2, WeightDecayMode.COUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the smoothing constant α, in [0, 1] (default 0.99).
         *
         * @param alpha α
         * @return this builder
         */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets ε, finite and {@code >= 0} (default 1e-8).
         *
         * @param epsilon the term added to the denominator
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets the momentum μ, finite and {@code >= 0} (default 0).
         *
         * @param momentum μ
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Normalizes by the estimated variance instead of the second moment (default false).
         *
         * @param centered whether to center
         * @return this builder
         */
        public Builder optCentered(boolean centered) {
            this.centered = centered;
            return this;
        }

        @Override
        public RmsProp build() {
            validateShared();
            Arguments.inClosed("alpha", alpha, 0, 1);
            Arguments.nonNegative("epsilon", epsilon);
            Arguments.nonNegative("momentum", momentum);
            return new RmsProp(this);
        }
    }
}
