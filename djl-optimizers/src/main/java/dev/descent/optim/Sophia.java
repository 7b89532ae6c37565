package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Sophia: sign momentum whose step is shrunk, element by element, where a running estimate of the
 * diagonal curvature is large; a clipped diagonal Newton step.
 *
 * <p>Update at each step, after decoupled weight decay {@code p ← p(1 − lr·wd)}:
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g
 * p ← p − lr · clip(m / (ρ·bs·max(h, 0) + 1e-15), −1, 1)
 *   = p − lr · sign(m) · min(|m| / (ρ·bs·max(h, 0) + 1e-15), 1)
 * </pre>
 *
 * <p>and, every {@code k} steps, with a curvature estimate {@code ĥ} handed to {@link
 * #refreshCurvature}: {@code h ← β2·h + (1 − β2)·ĥ}. No bias correction. {@code h} starts at 0, so
 * until the first estimate every update is {@code lr·sign(m)}. {@code h} is kept in the reference
 * implementation's units: {@code bs·h} is the diagonal-curvature estimate of the paper, so the
 * Gauss–Newton–Bartlett estimate is {@code ĥ = ĝ⊙ĝ} exactly as the reference's {@code
 * update_hessian} (the paper's {@code B·ĝ⊙ĝ} appears as {@code bs·h}), and the Hutchinson estimate
 * is {@code ĥ = u⊙(Hu)/bs} (see {@link SophiaEstimator}).
 *
 * <p>DJL's {@code update()} sees one parameter and no batch, so the estimate comes from a training
 * listener that owns the batch: {@link SophiaCurvatureListener}. Attach it with the optimizer and
 * train as usual:
 *
 * <pre>{@code
 * Sophia sophia = Descent.sophia().setBatchSize(256).optLearningRate(3e-4).build();
 * TrainingConfig config =
 *         new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *                 .optOptimizer(sophia)
 *                 .addTrainingListeners(
 *                         new SophiaCurvatureListener(
 *                                 sophia, SophiaEstimator.GAUSS_NEWTON_BARTLETT, 42));
 * try (Trainer trainer = model.newTrainer(config)) {
 *     trainer.initialize(inputShape);
 *     EasyTrain.fit(trainer, epochs, trainingSet, validationSet); // no loop of your own
 * }
 * }</pre>
 *
 * <p>Paper: Liu, Li, Hall, Liang, Ma, "Sophia: A Scalable Stochastic Second-order Optimizer for
 * Language Model Pre-training", arXiv:2305.14342 (SophiaG: Gauss–Newton–Bartlett estimator;
 * SophiaH: Hutchinson). Reference implementation: Liuhong99/Sophia {@code sophia.py} ({@code
 * SophiaG}) and {@code train_sophiag.py}; defaults are its: lr 1e-4, betas (0.965, 0.99), ρ 0.04,
 * weight decay 0.1 (decoupled), curvature refreshed every k = 10 steps. {@code bs}, the reference's
 * {@code step(bs=...)} (examples or tokens per step), has no default here: it sets the scale of the
 * curvature term and must be given.
 *
 * <p>Deviations from the reference: the curvature term of the denominator is {@code max(h, 0)}: the
 * reference only ever has {@code h ≥ 0} (Gauss–Newton–Bartlett), where this changes nothing, but a
 * Hutchinson estimate can be negative, and then the reference's formula would step uphill; the
 * clamp gives the paper's {@code max(ρ·h, ε)}. {@code ρ = 0}, which the reference accepts (it is
 * then sign momentum), is refused.
 */
public final class Sophia extends DescentOptimizer<Sophia.State> {

    /** The constant of the denominator that keeps it away from zero (the reference's). */
    public static final double DENOMINATOR_EPSILON = 1e-15;

    private final double beta1;
    private final double beta2;
    private final double rho;
    private final double batchSize;
    private final int updateInterval;

    private Sophia(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        rho = builder.rho;
        batchSize = builder.batchSize;
        updateInterval = builder.updateInterval;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param m the momentum
     * @param h the running curvature estimate, in the reference's units ({@code bs·h} estimates the
     *     Hessian diagonal); 0 until the first {@link #refreshCurvature}
     */
    public record State(long step, NDArray m, NDArray h) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return List.of(m, h);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("m", "h");
        }
    }

    /**
     * Returns a builder with the reference defaults; {@link Builder#setBatchSize} is required.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns β2, the decay of the running curvature estimate.
     *
     * @return β2
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Returns {@code bs}, the examples or tokens per step.
     *
     * @return bs
     */
    public double batchSize() {
        return batchSize;
    }

    /**
     * Returns {@code k}: the curvature is refreshed after every {@code k} steps.
     *
     * @return k
     */
    public int updateInterval() {
        return updateInterval;
    }

    /**
     * Folds one curvature estimate per parameter into the running estimate: {@code h ← β2·h + (1 −
     * β2)·ĥ}. {@link SophiaCurvatureListener} calls this every {@code k} steps; call it yourself
     * only when training without DJL's listeners.
     *
     * @param estimates {@code ĥ} by parameter id (the id DJL passes to {@code update}), each of the
     *     parameter's shape, data type and device, in the units of {@link State#h} (not modified)
     * @throws IllegalStateException when a parameter has taken no step yet (it has no state)
     * @throws IllegalArgumentException when an estimate does not match its parameter's state
     */
    public void refreshCurvature(Map<String, NDArray> estimates) {
        // Check everything first, so that a bad map leaves the state unchanged.
        for (Map.Entry<String, NDArray> e : estimates.entrySet()) {
            State s = state(e.getKey());
            if (s == null) {
                throw new IllegalStateException(
                        "parameter '"
                                + e.getKey()
                                + "' has taken no step yet, so it has no curvature to refresh"
                                + " (the first refresh comes after k steps)");
            }
            NDArray estimate = Arguments.notNull("estimate of '" + e.getKey() + "'", e.getValue());
            if (!estimate.getShape().equals(s.h().getShape())
                    || estimate.getDataType() != s.h().getDataType()
                    || !estimate.getDevice().equals(s.h().getDevice())) {
                throw new IllegalArgumentException(
                        "curvature estimate of parameter '"
                                + e.getKey()
                                + "' is "
                                + describe(estimate)
                                + ", expected "
                                + describe(s.h()));
            }
        }
        for (Map.Entry<String, NDArray> e : estimates.entrySet()) {
            NDArray h = state(e.getKey()).h();
            try (NDArray scaled = e.getValue().mul(1 - beta2)) {
                h.muli(beta2).addi(scaled);
            }
        }
    }

    private static String describe(NDArray a) {
        return a.getShape() + " " + a.getDataType() + " on " + a.getDevice();
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
        NDArray m = Elementwise.lerp(state.m(), grad, beta1);
        // Δ = lr·clip(m/d, −1, 1), which is lr·sign(m)·min(|m|/d, 1) exactly (|m|/d = |m/d|).
        NDArray delta;
        try (NDArray curvature = state.h().mul(rho * batchSize);
                NDArray denominator = curvature.maximum(0)) {
            denominator.addi(DENOMINATOR_EPSILON);
            Elementwise.copy(grad, m);
            grad.divi(denominator);
            delta = Elementwise.clip(grad, -1, 1).muli(lr);
        }
        return new Step<>(new State(state.step() + 1, m, state.h()), delta);
    }

    /** Builds {@link Sophia}; defaults are the reference's, {@code bs} has none. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double beta1 = 0.965;
        private double beta2 = 0.99;
        private double rho = 0.04;
        private double batchSize = Double.NaN;
        private int updateInterval = 10;

        Builder() {
            super(1e-4, WeightDecayMode.DECOUPLED);
            optWeightDecay(0.1);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets {@code bs}, the examples (or tokens, for sequence models) per optimizer step: the
         * reference's {@code step(bs=...)}. Required; finite and {@code > 0}.
         *
         * @param batchSize bs
         * @return this builder
         */
        public Builder setBatchSize(double batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets β1, the decay of the momentum, in [0, 1) (default 0.965).
         *
         * @param beta1 β1
         * @return this builder
         */
        public Builder optBeta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets β2, the decay of the curvature estimate, in [0, 1) (default 0.99).
         *
         * @param beta2 β2
         * @return this builder
         */
        public Builder optBeta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ρ, the scale of the curvature in the denominator, finite and {@code > 0} (default
         * 0.04).
         *
         * @param rho ρ
         * @return this builder
         */
        public Builder optRho(double rho) {
            this.rho = rho;
            return this;
        }

        /**
         * Sets {@code k}: the curvature is refreshed after every {@code k} steps, {@code >= 1}
         * (default 10).
         *
         * @param updateInterval k
         * @return this builder
         */
        public Builder optUpdateInterval(int updateInterval) {
            this.updateInterval = updateInterval;
            return this;
        }

        @Override
        public Sophia build() {
            validateShared();
            if (Double.isNaN(batchSize)) {
                throw new IllegalArgumentException(
                        "batchSize must be set: the examples or tokens per step (the reference's"
                                + " bs)");
            }
            Arguments.positive("batchSize", batchSize);
            Arguments.inClosedOpen("beta1", beta1, 0, 1);
            Arguments.inClosedOpen("beta2", beta2, 0, 1);
            Arguments.positive("rho", rho);
            if (updateInterval < 1) {
                throw new IllegalArgumentException(
                        "updateInterval must be >= 1, got " + updateInterval);
            }
            return new Sophia(this);
        }
    }
}
