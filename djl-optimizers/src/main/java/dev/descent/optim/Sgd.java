package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, with torch.optim.SGD semantics.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default):
 *
 * <pre>
 * μ = 0:           p ← p − lr·g
 * μ &gt; 0:           b ← g at t = 1, else b ← μ·b + (1 − τ)·g     (τ: dampening)
 *   nesterov:      p ← p − lr·(g + μ·b)
 *   otherwise:     p ← p − lr·b
 * </pre>
 *
 * <p>Paper: Sutskever et al., "On the importance of initialization and momentum in deep learning",
 * ICML 2013 (the momentum and Nesterov forms torch uses). Reference implementation:
 * torch.optim.SGD; defaults are its: lr 1e-3, momentum 0, dampening 0, weight decay 0, nesterov
 * off.
 *
 * <p>Deviations from the reference: none. DJL's own {@code Sgd} differs (MXNet form {@code b ← μ·b
 * + lr·g}, no dampening or Nesterov); DJL's {@code Nag} throws on the PyTorch engine.
 */
public final class Sgd extends DescentOptimizer<Sgd.State> {

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;

    private Sgd(Builder builder) {
        super(builder);
        momentum = builder.momentum;
        dampening = builder.dampening;
        nesterov = builder.nesterov;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param buffer the momentum buffer, or {@code null} without momentum
     */
    public record State(long step, NDArray buffer) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return buffer == null ? List.of() : List.of(buffer);
        }

        @Override
        public List<String> bufferNames() {
            return buffer == null ? List.of() : List.of("buffer");
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
        return new State(0, momentum == 0 ? null : weight.zerosLike());
    }

    /** Momentum adds the momentum buffer. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of("momentum > 0", String.valueOf(momentum > 0));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, buffers.isEmpty() ? null : buffers.get(0));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        NDArray b = state.buffer();
        if (b == null) {
            return new Step<>(new State(t, null), grad.muli(lr));
        }
        if (t == 1) {
            b.addi(grad); // the buffer starts as a copy of the first gradient
        } else if (nesterov || dampening == 0) {
            b.muli(momentum).addi(grad);
        } else {
            b.muli(momentum).addi(grad.muli(1 - dampening));
        }
        if (nesterov) {
            // lr·(g + μ·b) = lr·μ·(g/μ + b); μ > 0 is checked by the builder
            grad.divi(momentum).addi(b).muli(lr * momentum);
            return new Step<>(new State(t, b), grad);
        }
        return new Step<>(new State(t, b), Elementwise.scaled(grad, b, lr));
    }

    /** Builds {@link Sgd}; defaults are torch.optim.SGD's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double momentum;
        private double dampening;
        private boolean nesterov;

        Builder() {
            super(1e-3, WeightDecayMode.COUPLED);
        }

        @Override
        protected Builder self() {
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
         * Sets the dampening τ of the gradient in the momentum buffer, in [0, 1] (default 0).
         *
         * @param dampening τ
         * @return this builder
         */
        public Builder optDampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /**
         * Uses Nesterov momentum (default false); needs momentum &gt; 0 and dampening 0.
         *
         * @param nesterov whether to use Nesterov momentum
         * @return this builder
         */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        @Override
        public Sgd build() {
            validateShared();
            Arguments.nonNegative("momentum", momentum);
            Arguments.inClosed("dampening", dampening, 0, 1);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException(
                        "nesterov needs momentum > 0 and dampening = 0, got momentum "
                                + momentum
                                + " and dampening "
                                + dampening);
            }
            return new Sgd(this);
        }
    }
}
