package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * NAdamW: Adam with Nesterov momentum (Dozat's NAdam with the momentum-decay schedule of
 * torch.optim.NAdam) and decoupled weight decay.
 *
 * <p>After weight decay ({@code p ← p(1 − lr·wd)} by default):
 *
 * <pre>
 * μ_t = β1·(1 − ½·0.96^(t·ψ)),  μ_{t+1} = β1·(1 − ½·0.96^((t+1)·ψ)),  Π_t = Π_{t−1}·μ_t
 * m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   bc2 = 1 − β2^t
 * d = sqrt(v)/sqrt(bc2) + ε
 * p ← p − lr·(1 − μ_t)/(1 − Π_t) · g/d − lr·μ_{t+1}/(1 − Π_t·μ_{t+1}) · m/d
 * </pre>
 *
 * <p>Paper: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop; decoupled
 * decay: Loshchilov and Hutter, arXiv:1711.05101. Reference implementation: torch.optim.NAdam with
 * {@code decoupled_weight_decay=True}; defaults are its: lr 2e-3, betas (0.9, 0.999), ε 1e-8,
 * weight decay 0, momentum decay ψ = 4e-3.
 *
 * <p>Deviations from the reference: the running product Π is kept in float64 (torch keeps it as a
 * float32 tensor). optax's {@code nadamw} is a different variant (no momentum schedule).
 */
public final class NAdamW extends DescentOptimizer<NAdamW.State> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double momentumDecay;

    private NAdamW(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        momentumDecay = builder.momentumDecay;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param muProduct the running product Π of the momentum coefficients
     * @param m the first moment
     * @param v the second moment
     */
    public record State(long step, double muProduct, NDArray m, NDArray v)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(m, v);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("m", "v");
        }

        @Override
        public double[] scalars() {
            return new double[] {muProduct};
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
        return new State(0, 1.0, weight.zerosLike(), weight.zerosLike());
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, scalars[0], buffers.get(0), buffers.get(1));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
        double muProduct = state.muProduct() * mu;
        NDArray m = Elementwise.lerp(state.m(), grad, beta1);
        NDArray v = state.v();
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
        double gradScale = lr * (1 - mu) / (1 - muProduct) * sqrtBc2;
        double momentScale = lr * muNext / (1 - muProduct * muNext) * sqrtBc2;
        try (NDArray scratch = grad.duplicate()) {
            Elementwise.emaOfSquareConsuming(v, scratch, beta2);
            grad.muli(gradScale).addi(Elementwise.scaled(scratch, m, momentScale));
        }
        return new Step<>(
                new State(t, muProduct, m, v),
                Elementwise.scaledRatio(grad, true, v, epsilon * sqrtBc2, 1));
    }

    /** Builds {@link NAdamW}; defaults are torch.optim.NAdam's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        private double momentumDecay = 4e-3;

        Builder() {
            super(2e-3, WeightDecayMode.DECOUPLED, 1e-8);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the momentum decay ψ, finite and {@code >= 0} (default 4e-3).
         *
         * @param momentumDecay ψ
         * @return this builder
         */
        public Builder optMomentumDecay(double momentumDecay) {
            this.momentumDecay = momentumDecay;
            return this;
        }

        @Override
        public NAdamW build() {
            validateMoments();
            Arguments.nonNegative("momentumDecay", momentumDecay);
            return new NAdamW(this);
        }
    }
}
