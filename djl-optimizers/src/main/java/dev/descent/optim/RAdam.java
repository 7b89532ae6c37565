package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * RAdam: Adam with the variance of the adaptive learning rate rectified, and momentum SGD while
 * that variance is intractable.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default, as torch's):
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   bc1 = 1 − β1^t,  bc2 = 1 − β2^t
 * ρ∞ = 2/(1 − β2) − 1,   ρ_t = ρ∞ − 2t·β2^t/bc2
 * ρ_t &gt; 5:  r = sqrt((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *           p ← p − lr·r·sqrt(bc2)/bc1 · m/(sqrt(v) + ε)
 * else:     p ← p − lr/bc1 · m
 * </pre>
 *
 * <p>Paper: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020,
 * arXiv:1908.03265. Reference implementation: torch.optim.RAdam; defaults are its: lr 1e-3, betas
 * (0.9, 0.999), ε 1e-8, weight decay 0 (coupled; {@link WeightDecayMode#DECOUPLED} gives torch's
 * {@code decoupled_weight_decay=True}).
 *
 * <p>Deviations from the reference: none.
 */
public final class RAdam extends DescentOptimizer<RAdam.State> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private RAdam(Builder builder) {
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
        NDArray m = Elementwise.lerp(state.m(), grad, beta1);
        NDArray v = Elementwise.emaOfSquareConsuming(state.v(), grad, beta2);
        State next = new State(t, m, v);
        double bc1 = 1 - Math.pow(beta1, t);
        double beta2t = Math.pow(beta2, t);
        double bc2 = 1 - beta2t;
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * beta2t / bc2;
        if (rhoT > 5) {
            double rect =
                    Math.sqrt(
                            (rhoT - 4)
                                    * (rhoT - 2)
                                    * rhoInf
                                    / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            return new Step<>(
                    next,
                    Elementwise.scaledRatio(
                            m, false, v, epsilon, lr * rect * Math.sqrt(bc2) / bc1));
        }
        return new Step<>(next, Elementwise.scaled(grad, m, lr / bc1));
    }

    /** Builds {@link RAdam}; defaults are torch.optim.RAdam's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        Builder() {
            super(1e-3, WeightDecayMode.COUPLED, 1e-8);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public RAdam build() {
            validateMoments();
            return new RAdam(this);
        }
    }
}
