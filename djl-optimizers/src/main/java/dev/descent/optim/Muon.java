package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Muon (MomentUm Orthogonalized by Newton–Schulz): SGD with Nesterov momentum whose update of each
 * hidden weight matrix is replaced by an approximately orthogonal matrix, with a built-in AdamW for
 * every other parameter.
 *
 * <p>A hidden matrix ({@code rows = shape[0]}, {@code cols = size/rows}; a convolution kernel is
 * viewed as {@code (out, −1)}), after decoupled decay {@code p ← p(1 − lr·wd)}:
 *
 * <pre>
 * buf ← momentum·buf + (1 − momentum)·g
 * u   = nesterov ? (1 − momentum)·g + momentum·buf : buf
 * O   = NewtonSchulz5(u viewed as rows×cols, nsSteps)        (see {@link NewtonSchulz})
 * p   ← p − lr · max(1, shape[−2]/shape[−1])^½ · O
 * </pre>
 *
 * <p>Every other parameter (one-dimensional ones, embeddings, the output layer; see {@link
 * Builder#optMatrixFilter}) takes an AdamW step ({@link AdamMoments}) at {@code adamLearningRate}
 * with {@code adamBeta1}, {@code adamBeta2}, {@code adamEpsilon} and decoupled decay {@code
 * adamWeightDecay}. With a learning-rate schedule both groups follow it: the AdamW group runs at
 * {@code schedule·adamLearningRate/learningRate}.
 *
 * <p>Which parameters are hidden matrices: by default those with at least two dimensions whose name
 * does not contain "embedding" and that are not the output layer, i.e. the last parameter with at
 * least two dimensions of the block bound with {@link #bind} (DJL's {@code Linear} and {@code
 * Embedding} name their parameters {@code weight} and {@code embedding}). Without a bound block the
 * output layer is not known, so the first update of a parameter with two or more dimensions throws
 * unless a filter is set: train with {@code Descent.trainingConfig(loss, muon)} (or add {@code
 * BindingListener.of(muon)}, or call {@code bind(block)}), or set {@link Builder#optMatrixFilter}.
 *
 * <p>Paper: Jordan et al., "Muon: An optimizer for hidden layers in neural networks" (blog post,
 * kellerjordan.github.io/posts/muon, 2024); Liu et al., "Muon is Scalable for LLM Training",
 * arXiv:2502.16982. Reference implementation: KellerJordan/Muon {@code muon.py} ({@code
 * SingleDeviceMuonWithAuxAdam}); defaults are its: lr 0.02, momentum 0.95, Nesterov, 5
 * Newton–Schulz steps, weight decay 0; AdamW group lr 3e-4, betas (0.9, 0.95), ε 1e-10, weight
 * decay 0.
 *
 * <p>Deviations from the reference: Newton–Schulz runs in the weight's data type instead of
 * bfloat16; the reference treats a 3-D weight as a batch of matrices, here it is viewed as {@code
 * (out, −1)} like a 4-D one; the reference has no learning-rate schedule (the AdamW group's ratio
 * to the Muon learning rate is this class's choice); the split into groups is by this class's rule
 * rather than by hand-made parameter groups.
 */
public final class Muon extends DescentOptimizer<Muon.State> {

    private static final Pattern EMBEDDING = Pattern.compile("(?i)embedding");

    private final double momentum;
    private final boolean nesterov;
    private final int nsSteps;
    private final double adamScale;
    private final double adamBeta1;
    private final double adamBeta2;
    private final double adamEpsilon;
    private final double adamWeightDecay;
    private final Predicate<ParameterInfo> matrixFilter;
    private volatile String outputLayer;
    private volatile boolean outputLayerKnown;

    private Muon(Builder builder) {
        super(builder);
        momentum = builder.momentum;
        nesterov = builder.nesterov;
        nsSteps = builder.nsSteps;
        adamScale = builder.adamLearningRate / builder.learningRate;
        adamBeta1 = builder.adamBeta1;
        adamBeta2 = builder.adamBeta2;
        adamEpsilon = builder.adamEpsilon;
        adamWeightDecay = builder.adamWeightDecay;
        matrixFilter = builder.matrixFilter;
    }

    /** The state of one parameter: Muon's momentum, or AdamW's moments. */
    public sealed interface State extends ParameterState permits MatrixState, AdamState {}

    /**
     * The state of a hidden matrix.
     *
     * @param step the steps taken
     * @param buf the momentum buffer
     */
    public record MatrixState(long step, NDArray buf) implements State {
        @Override
        public List<NDArray> buffers() {
            return List.of(buf);
        }

        @Override
        public List<String> bufferNames() {
            return List.of("buf");
        }
    }

    /**
     * The state of a parameter of the AdamW group.
     *
     * @param step the steps taken
     * @param m the first moment
     * @param v the second moment
     */
    public record AdamState(long step, NDArray m, NDArray v) implements State {
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

    /**
     * Binds the block's parameter names (see {@link DescentOptimizer#bind}); its last parameter
     * with at least two dimensions, the output layer, which the default rule sends to AdamW, is
     * found from the shapes when first needed, so the block need not be initialized yet.
     *
     * @param block the block whose parameters this optimizer updates
     * @return this optimizer
     */
    @Override
    public Muon bind(Block block) {
        super.bind(block);
        outputLayerKnown = false;
        return this;
    }

    /** The bound block's output layer, found once its parameters are initialized. */
    private String outputLayer() {
        if (!outputLayerKnown) {
            outputLayer = lastMatrix(boundParameters());
            outputLayerKnown = true;
        }
        return outputLayer;
    }

    /** Returns the name of the last parameter with at least two dimensions, or {@code null}. */
    static String lastMatrix(List<ParameterInfo> parameters) {
        String last = null;
        for (ParameterInfo p : parameters) {
            if (p.shape().dimension() >= 2) {
                last = p.name();
            }
        }
        return last;
    }

    /**
     * Tells whether a parameter takes the Muon step (else AdamW's).
     *
     * @param info the parameter
     * @return whether it is a hidden matrix
     * @throws IllegalStateException for a parameter with two or more dimensions when neither a
     *     block is bound nor a filter set, as the output layer is then unknown
     */
    public boolean isHiddenMatrix(ParameterInfo info) {
        if (info.shape().dimension() < 2) {
            return false;
        }
        if (matrixFilter != null) {
            return matrixFilter.test(info);
        }
        if (!isBound()) {
            throw new IllegalStateException(
                    "Muon cannot tell whether parameter '"
                            + info.name()
                            + "' "
                            + info.shape()
                            + " is a hidden matrix (Muon step) or the output layer (AdamW) without"
                            + " the model: train with Descent.trainingConfig(loss, muon), add"
                            + " BindingListener.of(muon) to the training config or call"
                            + " muon.bind(block); or choose the hidden matrices with"
                            + " optMatrixFilter(...)");
        }
        return !EMBEDDING.matcher(info.name()).find() && !info.name().equals(outputLayer());
    }

    @Override
    protected Group group(ParameterInfo info, double weightDecay) {
        return isHiddenMatrix(info)
                ? new Group(1, weightDecay)
                : new Group(adamScale, adamWeightDecay);
    }

    @Override
    protected State initialState(NDArray weight) {
        throw new UnsupportedOperationException("Muon's state depends on the parameter's route");
    }

    @Override
    protected State initialState(ParameterInfo info, NDArray weight) {
        if (isHiddenMatrix(info)) {
            return new MatrixState(0, weight.zerosLike());
        }
        return new AdamState(0, weight.zerosLike(), weight.zerosLike());
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return buffers.size() == 1
                ? new MatrixState(step, buffers.get(0))
                : new AdamState(step, buffers.get(0), buffers.get(1));
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        if (state instanceof AdamState s) {
            NDArray delta =
                    AdamMoments.step(s.m(), s.v(), grad, adamBeta1, adamBeta2, adamEpsilon, t, lr);
            return new Step<>(new AdamState(t, s.m(), s.v()), delta);
        }
        MatrixState s = (MatrixState) state;
        NDArray buf = Elementwise.lerp(s.buf(), grad, momentum);
        if (nesterov) {
            grad.subi(buf).muli(1 - momentum).addi(buf);
        } else {
            Elementwise.copy(grad, buf);
        }
        NDArray delta = orthogonalizedUpdate(grad, nsSteps);
        delta.muli(lr * shapeScale(grad.getShape()));
        return new Step<>(new MatrixState(t, buf), delta);
    }

    /**
     * Returns the Newton–Schulz orthogonalization of an update viewed as {@code (shape[0], −1)}, in
     * the update's shape.
     */
    static NDArray orthogonalizedUpdate(NDArray update, int steps) {
        Shape shape = update.getShape();
        try (NDArray matrix = update.reshape(shape.get(0), -1);
                NDArray o = NewtonSchulz.orthogonalize(matrix, steps)) {
            return o.reshape(shape);
        }
    }

    /** The reference's {@code max(1, shape[−2]/shape[−1])^½}, of the weight's own last two axes. */
    static double shapeScale(Shape shape) {
        int d = shape.dimension();
        return Math.sqrt(Math.max(1.0, (double) shape.get(d - 2) / shape.get(d - 1)));
    }

    /** Builds {@link Muon}; defaults are the reference's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private static final double DEFAULT_LEARNING_RATE = 0.02;

        private double learningRate = DEFAULT_LEARNING_RATE;
        private double momentum = 0.95;
        private boolean nesterov = true;
        private int nsSteps = 5;
        private double adamLearningRate = 3e-4;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.95;
        private double adamEpsilon = 1e-10;
        private double adamWeightDecay;
        private Predicate<ParameterInfo> matrixFilter;

        Builder() {
            super(DEFAULT_LEARNING_RATE, WeightDecayMode.DECOUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning rate of the hidden matrices (in units of spectral norm per step),
         * finite and {@code > 0} (default 0.02).
         *
         * @param lr the learning rate
         * @return this builder
         */
        @Override
        public Builder optLearningRate(double lr) {
            learningRate = lr;
            return super.optLearningRate(lr);
        }

        /**
         * Sets the momentum, in [0, 1) (default 0.95).
         *
         * @param momentum the momentum
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets whether the update is the Nesterov look-ahead (default true) or the momentum buffer.
         *
         * @param nesterov whether to use Nesterov momentum
         * @return this builder
         */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * Sets the number of Newton–Schulz iterations, in [1, 100] (default 5).
         *
         * @param steps the iterations
         * @return this builder
         */
        public Builder optNsSteps(int steps) {
            nsSteps = steps;
            return this;
        }

        /**
         * Sets the learning rate of the AdamW group, finite and {@code >= 0} (default 3e-4).
         *
         * @param lr the learning rate
         * @return this builder
         */
        public Builder optAdamLearningRate(double lr) {
            adamLearningRate = lr;
            return this;
        }

        /**
         * Sets β1 of the AdamW group, in [0, 1) (default 0.9).
         *
         * @param beta1 β1
         * @return this builder
         */
        public Builder optAdamBeta1(double beta1) {
            adamBeta1 = beta1;
            return this;
        }

        /**
         * Sets β2 of the AdamW group, in [0, 1) (default 0.95).
         *
         * @param beta2 β2
         * @return this builder
         */
        public Builder optAdamBeta2(double beta2) {
            adamBeta2 = beta2;
            return this;
        }

        /**
         * Sets ε of the AdamW group, finite and {@code >= 0} (default 1e-10).
         *
         * @param epsilon ε
         * @return this builder
         */
        public Builder optAdamEpsilon(double epsilon) {
            adamEpsilon = epsilon;
            return this;
        }

        /**
         * Sets the decoupled weight decay of the AdamW group, finite and {@code >= 0} (default 0);
         * {@link #optWeightDecay} sets that of the hidden matrices.
         *
         * @param weightDecay the weight decay
         * @return this builder
         */
        public Builder optAdamWeightDecay(double weightDecay) {
            adamWeightDecay = weightDecay;
            return this;
        }

        /**
         * Replaces the default choice of hidden matrices: parameters with at least two dimensions
         * for which the filter is true take the Muon step, all others AdamW's. E.g. {@code info ->
         * info.name().contains("hidden")}.
         *
         * @param filter the filter (names need a bound block)
         * @return this builder
         */
        public Builder optMatrixFilter(Predicate<ParameterInfo> filter) {
            matrixFilter = Arguments.notNull("matrixFilter", filter);
            return this;
        }

        @Override
        public Muon build() {
            validateShared();
            Arguments.positive("learningRate", learningRate);
            Arguments.inClosedOpen("momentum", momentum, 0, 1);
            Arguments.inClosed("nsSteps", nsSteps, 1, 100);
            Arguments.nonNegative("adamLearningRate", adamLearningRate);
            Arguments.inClosedOpen("adamBeta1", adamBeta1, 0, 1);
            Arguments.inClosedOpen("adamBeta2", adamBeta2, 0, 1);
            Arguments.nonNegative("adamEpsilon", adamEpsilon);
            Arguments.nonNegative("adamWeightDecay", adamWeightDecay);
            return new Muon(this);
        }
    }
}
