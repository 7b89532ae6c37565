package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * AdaBelief: Adam whose second moment tracks the "belief" {@code (g − m)²} instead of {@code g²}.
 *
 * <p>Update at the parameter's step {@code t}, after weight decay (decoupled by default, see {@link
 * WeightDecayMode}):
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g
 * s ← β2·s + (1 − β2)·(g − m)² + ε          (ε stays in s)
 * s_max ← max(s_max, s)                      (amsgrad; s_max replaces s below)
 * bc1 = 1 − β1^t,  bc2 = 1 − β2^t
 * rectify = false:  p ← p − lr/bc1 · m / (sqrt(s)/sqrt(bc2) + ε)
 * rectify = true:   N∞ = 2/(1 − β2) − 1,  N_t = N∞ − 2t·β2^t/bc2
 *   N_t ≥ 5:        r = sqrt(bc2·(N_t − 4)/(N∞ − 4)·(N_t − 2)/N_t·N∞/(N∞ − 2)) / bc1
 *                   p ← p − lr·r · m / (sqrt(s) + ε)
 *   N_t &lt; 5:        p ← p − lr/bc1 · m   (degeneratedToSgd), else no change
 * </pre>
 *
 * <p>Paper: Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients", NeurIPS 2020, arXiv:2010.07468. Reference implementation: adabelief_pytorch 0.2.1
 * (juntang-zhuang/Adabelief-Optimizer); defaults are its: lr 1e-3, betas (0.9, 0.999), ε 1e-16,
 * weight decay 0 decoupled, rectify on, degenerated to SGD on, amsgrad off.
 *
 * <p>Deviations from the reference: none in the math. As in the reference, the rectified branch
 * uses {@code s} even when amsgrad is on (the maximum is tracked but only used unrectified). {@code
 * sqrt(s)/sqrt(bc2) + ε} is evaluated as {@code (sqrt(s) + ε·sqrt(bc2))/sqrt(bc2)} to save one pass
 * over memory, which changes results only by float rounding.
 */
public final class AdaBelief extends DescentOptimizer<AdaBelief.State> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean amsgrad;
    private final boolean rectify;
    private final boolean degeneratedToSgd;

    private AdaBelief(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        amsgrad = builder.amsgrad;
        rectify = builder.rectify;
        degeneratedToSgd = builder.degeneratedToSgd;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param m the first moment
     * @param s the belief (second central moment), with ε accumulated
     * @param sMax the running maximum of {@code s} (amsgrad), or {@code null}
     */
    public record State(long step, NDArray m, NDArray s, NDArray sMax) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return sMax == null ? List.of(m, s) : List.of(m, s, sMax);
        }

        @Override
        public List<String> bufferNames() {
            return sMax == null ? List.of("m", "s") : List.of("m", "s", "sMax");
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
                0, weight.zerosLike(), weight.zerosLike(), amsgrad ? weight.zerosLike() : null);
    }

    /** {@code amsgrad} adds {@code sMax} to every state. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of("amsgrad", String.valueOf(amsgrad));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(step, buffers.get(0), buffers.get(1), amsgrad ? buffers.get(2) : null);
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        NDArray m = state.m();
        NDArray s = state.s();
        // In the gradient's buffer: r = g − m_old; m_new = m_old + (1 − β1)·r; g − m_new = β1·r.
        double c = 1 - beta1;
        grad.subi(m).muli(c);
        m.addi(grad);
        grad.muli(grad).muli((1 - beta2) * beta1 * beta1 / (c * c));
        s.muli(beta2).addi(grad).addi(epsilon);
        NDArray second = s;
        if (state.sMax() != null) {
            try (NDArray max = state.sMax().maximum(s)) {
                Elementwise.copy(state.sMax(), max);
            }
            second = state.sMax();
        }
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        State next = new State(t, m, s, state.sMax());
        if (!rectify) {
            double sqrtBc2 = Math.sqrt(bc2);
            return new Step<>(
                    next,
                    Elementwise.scaledRatio(
                            m, false, second, epsilon * sqrtBc2, lr * sqrtBc2 / bc1));
        }
        double nInf = 2 / (1 - beta2) - 1;
        double beta2t = Math.pow(beta2, t);
        double nT = nInf - 2 * t * beta2t / (1 - beta2t);
        if (nT >= 5) {
            double r =
                    Math.sqrt(
                                    (1 - beta2t)
                                            * (nT - 4)
                                            / (nInf - 4)
                                            * (nT - 2)
                                            / nT
                                            * nInf
                                            / (nInf - 2))
                            / bc1;
            return new Step<>(next, Elementwise.scaledRatio(m, false, s, epsilon, lr * r));
        }
        return new Step<>(next, degeneratedToSgd ? Elementwise.scaled(grad, m, lr / bc1) : null);
    }

    /** Builds {@link AdaBelief}; defaults are adabelief_pytorch 0.2.1's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        private boolean amsgrad;
        private boolean rectify = true;
        private boolean degeneratedToSgd = true;

        Builder() {
            super(1e-3, WeightDecayMode.DECOUPLED, 1e-16);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Keeps the running maximum of the belief (default false).
         *
         * @param amsgrad whether to use the AMSGrad maximum
         * @return this builder
         */
        public Builder optAmsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        /**
         * Uses the RAdam rectification (default true).
         *
         * @param rectify whether to rectify
         * @return this builder
         */
        public Builder optRectify(boolean rectify) {
            this.rectify = rectify;
            return this;
        }

        /**
         * Takes SGD-with-momentum steps while the rectification is undefined (default true).
         *
         * @param degeneratedToSgd whether to step before N_t reaches 5
         * @return this builder
         */
        public Builder optDegeneratedToSgd(boolean degeneratedToSgd) {
            this.degeneratedToSgd = degeneratedToSgd;
            return this;
        }

        @Override
        public AdaBelief build() {
            validateMoments();
            return new AdaBelief(this);
        }
    }
}
