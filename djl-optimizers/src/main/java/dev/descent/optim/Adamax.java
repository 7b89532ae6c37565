package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adamax: Adam with the infinity norm in place of the second moment.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default, as torch's):
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g
 * u ← max(β2·u, |g| + ε)
 * p ← p − lr/(1 − β1^t) · m/u
 * </pre>
 *
 * <p>Paper: Kingma and Ba, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980 (§7.1).
 * Reference implementation: torch.optim.Adamax; defaults are its: lr 2e-3, betas (0.9, 0.999), ε
 * 1e-8, weight decay 0.
 *
 * <p>Deviations from the reference: none.
 */
public final class Adamax extends DescentOptimizer<Adamax.State> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private Adamax(Builder builder) {
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
     * @param u the exponentially weighted infinity norm
     */
    public record State(long step, NDArray m, NDArray u) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(m, u);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("m", "u");
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
        NDArray u = state.u();
        try (NDArray abs = grad.abs()) {
            abs.addi(epsilon);
            try (NDArray max = u.muli(beta2).maximum(abs)) {
                Elementwise.copy(u, max);
            }
        }
        Elementwise.copy(grad, m);
        grad.divi(u).muli(lr / (1 - Math.pow(beta1, t)));
        return new Step<>(new State(t, m, u), grad);
    }

    /** Builds {@link Adamax}; defaults are torch.optim.Adamax's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        Builder() {
            super(2e-3, WeightDecayMode.COUPLED, 1e-8);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Adamax build() {
            validateMoments();
            Arguments.positive("epsilon", epsilon);
            return new Adamax(this);
        }
    }
}
