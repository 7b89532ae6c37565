package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Lion (EvoLved Sign Momentum): a sign update of an interpolation of momentum and gradient.
 *
 * <p>After decoupled weight decay {@code p ← p(1 − lr·wd)}:
 *
 * <pre>
 * p ← p − lr · sign(β1·m + (1 − β1)·g)
 * m ← β2·m + (1 − β2)·g
 * </pre>
 *
 * <p>Paper: Chen et al., "Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675 (Program
 * 1). Reference implementation: google/automl lion (and lucidrains/lion-pytorch, which agrees);
 * defaults lr 1e-4, betas (0.9, 0.99), weight decay 0. The paper advises a learning rate 3–10×
 * smaller and a weight decay 3–10× larger than AdamW's.
 *
 * <p>Deviations from the reference: none.
 */
public final class Lion extends DescentOptimizer<Lion.State> {

    private final double beta1;
    private final double beta2;

    private Lion(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param m the momentum
     */
    public record State(long step, NDArray m) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(m);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("m");
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
        return new State(0, weight.zerosLike());
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, buffers.get(0));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        NDArray m = state.m();
        // In the gradient's buffer: u = m + (1 − β1)(g − m); then m_new = m + (1 − β2)(g − m)
        // = (1 − k)·m + k·u with k = (1 − β2)/(1 − β1).
        grad.subi(m).muli(1 - beta1).addi(m);
        double k = (1 - beta2) / (1 - beta1);
        m.subi(grad).muli(1 - k).addi(grad);
        grad.signi().muli(lr);
        return new Step<>(new State(state.step() + 1, m), grad);
    }

    /** Builds {@link Lion}; defaults are the reference's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double beta1 = 0.9;
        private double beta2 = 0.99;

        Builder() {
            super(1e-4, WeightDecayMode.DECOUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets β1, the interpolation weight of the momentum in the update, in [0, 1) (default 0.9;
         * 1 would ignore the gradient).
         *
         * @param beta1 the weight
         * @return this builder
         */
        public Builder optBeta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets β2, the decay of the momentum, in [0, 1] (default 0.99).
         *
         * @param beta2 the decay
         * @return this builder
         */
        public Builder optBeta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        @Override
        public Lion build() {
            validateShared();
            Arguments.inClosedOpen("beta1", beta1, 0, 1);
            Arguments.inClosed("beta2", beta2, 0, 1);
            return new Lion(this);
        }
    }
}
