package dev.descent.surrogate.mbo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.descent.curvature.HessianVectorProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Trains an MLP surrogate on offline data: designs and scores z-scored, a seeded validation split
 * held out, then epochs of shuffled mini-batches with Adam on the head's loss — and, when given,
 * IGNITE's sharpness term added to each batch's gradient ({@link IgniteRegularizer}).
 *
 * <p>Network: {@code layers} × (Linear(hidden), leaky ReLU with slope {@value #LEAKY_SLOPE}), then
 * Linear(head outputs) — the reference's Gaussian MLP (2 × 2048, leaky ReLU) by default. Per batch
 * with parameters β: {@code grad = ∇_β loss(β) [+ IGNITE term]}, then Adam's update with {@code
 * grad} for every parameter. Gradients are computed by {@code torch.autograd.grad} through {@link
 * HessianVectorProduct} and handed to the optimizer directly, so parameter {@code .grad} buffers
 * play no part and nothing accumulates between steps.
 *
 * <p>Reproducibility: the engine's seed is set to {@code seed} before the weights are drawn, and
 * the validation split and the batch order come from {@code new Random(seed)}.
 *
 * <p>Reference defaults (cuong-dm/IGNITE gradient ascent): hidden 2048, 2 layers, batch 128, 100
 * epochs, Adam lr 3e-4, 200 validation points, Gaussian head. Deviations from the reference: the
 * Gaussian head's σ bounds are fixed, not trained (see {@link SurrogateHead#GAUSSIAN}); no input
 * noise and no bootstrap weights (the reference uses neither in its gradient-ascent runs).
 */
public final class SurrogateTraining {

    /** Negative slope of the hidden activations (Keras' LeakyReLU default). */
    public static final double LEAKY_SLOPE = 0.3;

    private final SurrogateHead head;
    private final int hidden;
    private final int layers;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final int validationSize;
    private final DataType dataType;
    private final Supplier<IgniteRegularizer> regularizer;

    private SurrogateTraining(Builder b) {
        this.head = b.head;
        this.hidden = b.hidden;
        this.layers = b.layers;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.validationSize = b.validationSize;
        this.dataType = b.dataType;
        this.regularizer = b.regularizer;
    }

    /**
     * Starts a configuration with the reference's defaults and no regularizer.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the head.
     *
     * @return the head
     */
    public SurrogateHead head() {
        return head;
    }

    /**
     * Returns whether IGNITE regularizes the training.
     *
     * @return true when a regularizer is configured
     */
    public boolean regularized() {
        return regularizer != null;
    }

    /**
     * Trains a surrogate on offline data with the head's plain loss.
     *
     * @param data the offline data; not modified
     * @param seed the seed of the weights, the split and the batch order
     * @return the trained surrogate (close it)
     */
    public TrainedSurrogate train(OfflineDataset data, long seed) {
        return train(data, seed, BatchObjective.fit(head));
    }

    TrainedSurrogate train(OfflineDataset data, long seed, BatchObjective objective) {
        int rows = data.size();
        if (rows - validationSize < 1) {
            throw new IllegalArgumentException(
                    "validationSize " + validationSize + " leaves no training rows out of " + rows);
        }
        Standardization designScale = Standardization.fit(data.designs());
        Standardization scoreScale = Standardization.fit(data.scores());
        double[][] x = designScale.apply(data.designs());
        double[] y = column(scoreScale.apply(Standardization.column(data.scores())));
        Random random = new Random(seed);
        int[] order = shuffled(rows, random);
        int trainRows = rows - validationSize;
        double[][] trainX = new double[trainRows][];
        double[] trainY = new double[trainRows];
        for (int i = 0; i < trainRows; i++) {
            trainX[i] = x[order[i]];
            trainY[i] = y[order[i]];
        }
        int n = x[0].length;
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        NDManager manager = engine.newBaseManager();
        try {
            SequentialBlock block = network();
            block.initialize(manager, dataType, new Shape(1, n));
            IgniteRegularizer ignite = regularizer == null ? null : regularizer.get();
            Optimizer adam =
                    Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) learningRate))
                            .build();
            List<Pair<String, NDArray>> parameters = trainable(block);
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] batchOrder = shuffled(trainRows, random);
                for (int from = 0; from < trainRows; from += batchSize) {
                    int size = Math.min(batchSize, trainRows - from);
                    double[] bx = new double[size * n];
                    double[] by = new double[size];
                    for (int i = 0; i < size; i++) {
                        int row = batchOrder[from + i];
                        System.arraycopy(trainX[row], 0, bx, i * n, n);
                        by[i] = trainY[row];
                    }
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray xb = create(batch, bx, new Shape(size, n), dataType);
                        NDArray yb = create(batch, by, new Shape(size), dataType);
                        NDArray grad;
                        try (HessianVectorProduct h =
                                HessianVectorProduct.ofParameters(
                                        block,
                                        objective.inputs(block, xb),
                                        out -> objective.loss(out, yb),
                                        HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
                            grad = h.gradient(batch);
                        }
                        if (ignite != null) {
                            ignite.addTo(block, new NDList(xb), grad);
                        }
                        long offset = 0;
                        for (Pair<String, NDArray> p : parameters) {
                            NDArray w = p.getValue();
                            NDArray part =
                                    grad.get(offset + ":" + (offset + w.size()))
                                            .reshape(w.getShape());
                            adam.update(p.getKey(), w, part);
                            offset += w.size();
                        }
                    }
                    objective.afterStep();
                }
            }
            double validationLoss = Double.NaN;
            if (validationSize > 0) {
                try (NDManager scope = manager.newSubManager()) {
                    double[] vx = new double[validationSize * n];
                    double[] vy = new double[validationSize];
                    for (int i = 0; i < validationSize; i++) {
                        System.arraycopy(x[order[trainRows + i]], 0, vx, i * n, n);
                        vy[i] = y[order[trainRows + i]];
                    }
                    NDList out =
                            block.forward(
                                    new ai.djl.training.ParameterStore(scope, false),
                                    new NDList(
                                            create(
                                                    scope,
                                                    vx,
                                                    new Shape(validationSize, n),
                                                    dataType)),
                                    false);
                    validationLoss =
                            head.loss(out, create(scope, vy, new Shape(validationSize), dataType))
                                    .toType(DataType.FLOAT64, false)
                                    .getDouble();
                }
            }
            return new TrainedSurrogate(
                    manager,
                    block,
                    head,
                    n,
                    designScale,
                    scoreScale,
                    trainX,
                    validationLoss,
                    ignite == null ? Double.NaN : ignite.lambda());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private SequentialBlock network() {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            block.add(Linear.builder().setUnits(hidden).build())
                    .add(Activation.leakyReluBlock((float) LEAKY_SLOPE));
        }
        return block.add(Linear.builder().setUnits(head.outputs()).build());
    }

    private static List<Pair<String, NDArray>> trainable(SequentialBlock block) {
        List<Pair<String, NDArray>> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                list.add(new Pair<>(p.getValue().getId(), p.getValue().getArray()));
            }
        }
        return list;
    }

    static NDArray create(NDManager manager, double[] values, Shape shape, DataType type) {
        NDArray a = manager.create(values, shape);
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
    }

    private static int[] shuffled(int count, Random random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double[] column(double[][] rows) {
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i][0];
        }
        return values;
    }

    /** Settings of the training; {@link #build()} validates them. */
    public static final class Builder {
        private SurrogateHead head = SurrogateHead.GAUSSIAN;
        private int hidden = 2048;
        private int layers = 2;
        private int epochs = 100;
        private int batchSize = 128;
        private double learningRate = 3e-4;
        private int validationSize = 200;
        private DataType dataType = DataType.FLOAT32;
        private Supplier<IgniteRegularizer> regularizer;

        private Builder() {}

        /**
         * Sets the head (default GAUSSIAN).
         *
         * @param head the head
         * @return this builder
         */
        public Builder optHead(SurrogateHead head) {
            this.head = head;
            return this;
        }

        /**
         * Sets the width ≥ 1 and number ≥ 1 of hidden layers (default 2048 × 2).
         *
         * @param hidden the width
         * @param layers the number of hidden layers
         * @return this builder
         */
        public Builder optHidden(int hidden, int layers) {
            this.hidden = hidden;
            this.layers = layers;
            return this;
        }

        /**
         * Sets the number of epochs ≥ 0 (default 100).
         *
         * @param epochs the epochs
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the mini-batch size ≥ 1 (default 128).
         *
         * @param batchSize the batch size
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets Adam's learning rate > 0 (default 3e-4).
         *
         * @param learningRate the learning rate
         * @return this builder
         */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the number ≥ 0 of rows held out for validation (default 200).
         *
         * @param validationSize the validation rows
         * @return this builder
         */
        public Builder optValidationSize(int validationSize) {
            this.validationSize = validationSize;
            return this;
        }

        /**
         * Sets the data type of weights and data, FLOAT32 (default) or FLOAT64.
         *
         * @param dataType the data type
         * @return this builder
         */
        public Builder optDataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /**
         * Regularizes with IGNITE; the factory makes a fresh regularizer (with its own multiplier)
         * for every model trained.
         *
         * @param regularizer makes the regularizer, or null for none
         * @return this builder
         */
        public Builder optIgnite(Supplier<IgniteRegularizer> regularizer) {
            this.regularizer = regularizer;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming a setting out of its range
         */
        public SurrogateTraining build() {
            if (head == null) {
                throw new IllegalArgumentException("head must not be null");
            }
            if (hidden < 1 || layers < 1) {
                throw new IllegalArgumentException(
                        "hidden and layers must be >= 1, got " + hidden + " and " + layers);
            }
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException(
                        "learningRate must be finite and > 0, got " + learningRate);
            }
            if (validationSize < 0) {
                throw new IllegalArgumentException(
                        "validationSize must be >= 0, got " + validationSize);
            }
            if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
                throw new IllegalArgumentException(
                        "dataType must be FLOAT32 or FLOAT64, got " + dataType);
            }
            return new SurrogateTraining(this);
        }
    }
}
