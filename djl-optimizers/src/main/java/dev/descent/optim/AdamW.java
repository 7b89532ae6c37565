package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * AdamW: Adam with decoupled weight decay, as a Descent optimizer (so that it has the library's
 * checkpoints, parameter rules, NaN policy and state accounting; DJL's own fused {@code Adam} is
 * faster and is the baseline of the benchmarks).
 *
 * <p>After weight decay ({@code p ← p(1 − lr·wd)} by default):
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 * p ← p − lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + ε)
 * </pre>
 *
 * <p>Papers: Kingma and Ba, "Adam", arXiv:1412.6980; Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", arXiv:1711.05101. Reference implementation: torch.optim.AdamW; defaults are its:
 * lr 1e-3, betas (0.9, 0.999), ε 1e-8, weight decay 1e-2.
 *
 * <p>Deviations from the reference: no {@code amsgrad} option.
 */
public final class AdamW extends DescentOptimizer<AdamW.State> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private AdamW(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param m the first moment
     * @param v the second moment
     */
    public record State(long step, NDArray m, NDArray v) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(m, v);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("m", "v");
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
        return new State(0, weight.zerosLike(), weight.zerosLike());
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, buffers.get(0), buffers.get(1));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        NDArray delta = AdamMoments.step(state.m(), state.v(), grad, beta1, beta2, epsilon, t, lr);
        return new Step<>(new State(t, state.m(), state.v()), delta);
    }

    /** Builds {@link AdamW}; defaults are torch.optim.AdamW's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        Builder() {
            super(1e-3, WeightDecayMode.DECOUPLED, 1e-8);
            optWeightDecay(1e-2);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public AdamW build() {
            validateMoments();
            return new AdamW(this);
        }
    }
}
