package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import dev.descent.solve.Penalty;
import java.util.List;

/**
 * Proximal stochastic gradient descent: a gradient step on the loss, then the proximal map of the
 * penalty, elementwise on each parameter:
 *
 * <pre>
 * z = p − lr·g;   p ← penalty.prox(z, lr)        (Δ = p − prox(p − lr·g, lr), p ← p − Δ)
 * </pre>
 *
 * so that training minimizes {@code loss + Σ penalty(p_i)} over the parameters it updates (apply it
 * to the weights you want sparse with {@link ParameterRule}s scaling the others' step, or build one
 * optimizer per group). With {@link Penalty#l1} the prox is the soft threshold, and the iteration
 * is the stochastic proximal gradient method (Duchi and Singer, JMLR 10, 2009, FOBOS; Rosasco et
 * al. 2014 for the SGD setting); with {@link Penalty#scad} / {@link Penalty#mcp} it is the
 * nonconvex proximal step of GIST (Gong et al., ICML 2013). Exact zeros stay exact: a weight whose
 * {@code |z| ≤ lr·lambda} is set to 0.
 *
 * <p>The step {@code lr} (after {@link ParameterRule} scaling and the learning-rate tracker) must
 * be below {@link Penalty#maxStep()}: {@code gamma} for MCP, {@code a − 1} for SCAD. A constant
 * learning rate is checked by the builder; a tracked one at each step ({@code
 * IllegalArgumentException} naming the step and the bound, before the weight moves). The prox runs
 * on the engine ({@link Penalty#prox(NDArray, double)}), outside autograd, in the parameter's data
 * type. Shapes, NaN/Inf gradients ({@link NonFiniteGradientPolicy}), rescaling, clipping and weight
 * decay (coupled by default, as torch.optim.SGD) are the base class's. No state beyond the step
 * count.
 *
 * <p>Defaults: lr 1e-3 (torch.optim.SGD's); the penalty has no default and must be set. There is no
 * momentum: a heavy-ball term would make the step no longer a proximal-gradient step of the
 * composite objective.
 */
public final class ProximalSgd extends DescentOptimizer<ProximalSgd.State> {

    private final Penalty penalty;

    private ProximalSgd(Builder builder) {
        super(builder);
        penalty = builder.penalty;
    }

    /**
     * The state of one parameter: the steps taken.
     *
     * @param step the steps taken
     */
    public record State(long step) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of();
        }

        @Override
        public List<String> bufferNames() {
            return List.of();
        }
    }

    /**
     * Returns a builder with the reference defaults; the penalty must be set.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The penalty whose proximal map each step applies.
     *
     * @return the penalty
     */
    public Penalty penalty() {
        return penalty;
    }

    @Override
    protected State initialState(NDArray weight) {
        return new State(0);
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step);
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        if (lr == 0) {
            return new Step<>(new State(state.step() + 1), null);
        }
        penalty.checkStep(lr);
        grad.muli(lr);
        try (NDArray z = weight.sub(grad);
                NDArray proximal = penalty.prox(z, lr)) {
            Elementwise.copy(grad, weight);
            grad.subi(proximal);
        }
        return new Step<>(new State(state.step() + 1), grad);
    }

    /** Builds {@link ProximalSgd}; defaults are torch.optim.SGD's, the penalty is required. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private Penalty penalty;

        Builder() {
            super(1e-3, WeightDecayMode.COUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the penalty (required): {@link Penalty#l1}, {@link Penalty#scad} or {@link
         * Penalty#mcp}.
         *
         * @param penalty the penalty
         * @return this builder
         */
        public Builder setPenalty(Penalty penalty) {
            this.penalty = penalty;
            return this;
        }

        @Override
        public ProximalSgd build() {
            validateShared();
            if (penalty == null) {
                throw new IllegalArgumentException(
                        "penalty must be set (setPenalty(Penalty.l1(lambda)), Penalty.scad or"
                                + " Penalty.mcp)");
            }
            if (learningRate == null
                    && constantLearningRate() > 0
                    && !(constantLearningRate() < penalty.maxStep())) {
                throw new IllegalArgumentException(
                        "learning rate "
                                + constantLearningRate()
                                + " is too large for "
                                + penalty
                                + ": the proximal step needs lr < "
                                + penalty.maxStep());
            }
            return new ProximalSgd(this);
        }
    }
}
