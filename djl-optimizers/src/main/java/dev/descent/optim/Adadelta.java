package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adadelta, with torch.optim.Adadelta semantics.
 *
 * <p>After weight decay (coupled {@code g ← g + wd·p} by default):
 *
 * <pre>
 * v ← ρ·v + (1 − ρ)·g²
 * Δx = sqrt((u + ε)/(v + ε)) · g
 * u ← ρ·u + (1 − ρ)·Δx²
 * p ← p − lr·Δx
 * </pre>
 *
 * <p>Paper: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701. Reference
 * implementation: torch.optim.Adadelta; defaults are its: lr 1.0, ρ 0.9, ε 1e-6, weight decay 0.
 *
 * <p>Deviations from the reference: none. DJL's own {@code Adadelta} throws on the PyTorch engine.
 */
public final class Adadelta extends DescentOptimizer<Adadelta.State> {

    private final double rho;
    private final double epsilon;

    private Adadelta(Builder builder) {
        super(builder);
        rho = builder.rho;
        epsilon = builder.epsilon;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param squareAverage v, the average of squared gradients
     * @param deltaAverage u, the average of squared updates
     */
    public record State(long step, NDArray squareAverage, NDArray deltaAverage)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(squareAverage, deltaAverage);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("squareAverage", "deltaAverage");
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
        NDArray v = state.squareAverage();
        NDArray u = state.deltaAverage();
        try (NDArray scratch = grad.duplicate()) {
            Elementwise.emaOfSquareConsuming(v, scratch, rho);
            // Δx = sqrt((u + ε)/(v + ε))·g, in the gradient's buffer
            Elementwise.copy(scratch, u);
            try (NDArray vEps = v.add(epsilon)) {
                scratch.addi(epsilon).divi(vEps);
            }
            try (NDArray root = scratch.sqrt()) {
                grad.muli(root);
            }
            Elementwise.copy(scratch, grad);
            Elementwise.emaOfSquareConsuming(u, scratch, rho);
        }
        return new Step<>(new State(state.step() + 1, v, u), grad.muli(lr));
    }

    /** Builds {@link Adadelta}; defaults are torch.optim.Adadelta's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double rho = 0.9;
        private double epsilon = 1e-6;

        Builder() {
            super(1.0, WeightDecayMode.COUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the decay ρ of both averages, in [0, 1] (default 0.9).
         *
         * @param rho ρ
         * @return this builder
         */
        public Builder optRho(double rho) {
            this.rho = rho;
            return this;
        }

        /**
         * Sets ε, finite and {@code > 0} (default 1e-6; it starts the update from zero state).
         *
         * @param epsilon the term inside both square roots
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        public Adadelta build() {
            validateShared();
            Arguments.inClosed("rho", rho, 0, 1);
            Arguments.positive("epsilon", epsilon);
            return new Adadelta(this);
        }
    }
}
