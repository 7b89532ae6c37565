package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
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
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.descent.optim.Descent;
import dev.descent.optim.NonFiniteGradientException;
import dev.descent.optim.StatefulOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Trains a one-hidden-layer perceptron ({@code features → hidden, ReLU → classes}) with softmax
 * cross-entropy through DJL's {@link Trainer} on the PyTorch engine, with a given optimizer.
 *
 * <p>Reproducibility: the engine's seed is set before the model is built, so the same seed gives
 * the same initial weights whatever the optimizer; the mini-batch order of each epoch comes from
 * {@code new Random(seed)} created per run, so every optimizer sees the same batches.
 *
 * <p>After each epoch both losses are evaluated over the whole training and validation sets with
 * the weights of that moment (not averaged over the epoch's mini-batches), so curves of different
 * optimizers are comparable point by point.
 */
public final class ClassifierTraining {

    /** The name of the engine the training runs on. */
    public static final String ENGINE = "PyTorch";

    private ClassifierTraining() {}

    /**
     * The shape of a run.
     *
     * @param hidden the width of the hidden layer, {@code >= 1}
     * @param epochs the number of passes over the training set, {@code >= 1}
     * @param batchSize the mini-batch size, {@code >= 1} (the last batch of an epoch may be
     *     smaller)
     * @param seed the seed of the initial weights and of the batch order
     */
    public record Setup(int hidden, int epochs, int batchSize, int seed) {

        /** Checks the ranges. */
        public Setup {
            if (hidden < 1 || epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException(
                        "hidden, epochs and batchSize must be >= 1, got "
                                + hidden
                                + ", "
                                + epochs
                                + " and "
                                + batchSize);
            }
        }
    }

    /**
     * Trains a fresh model.
     *
     * @param name the optimizer's name, for the report
     * @param learningRate the optimizer's learning rate, for the report
     * @param optimizer a new optimizer, used by this run only
     * @param data the training and validation sets
     * @param setup the model width, epochs, batch size and seed
     * @param progress told the number of epochs finished (or skipped after a divergence) as they
     *     happen; the counts add up to {@code setup.epochs()}
     * @return the curves and measurements
     */
    public static OptimizerRun train(
            String name,
            double learningRate,
            Optimizer optimizer,
            ClassificationData.Split data,
            Setup setup,
            IntConsumer progress) {
        long start = System.nanoTime();
        Engine engine = Engine.getEngine(ENGINE);
        engine.setRandomSeed(setup.seed());
        ClassificationData train = data.train();
        int features = train.featureCount();
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(setup.hidden()).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(train.classCount()).build());
        // binds a Descent optimizer to the model when the trainer is created
        DefaultTrainingConfig config =
                Descent.trainingConfig(Loss.softmaxCrossEntropyLoss(), optimizer)
                        .optDevices(new Device[] {Device.cpu()});
        try (Model model = Model.newInstance("mlp-" + name, Device.cpu(), ENGINE)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, features));
                List<EpochRecord> curve = new ArrayList<>();
                curve.add(evaluate(trainer, data, 0, start));
                String divergence = curve.get(0).isFinite() ? "" : "initial loss is not finite";
                Random batchOrder = new Random(setup.seed());
                int epoch = 1;
                for (; epoch <= setup.epochs() && divergence.isEmpty(); epoch++) {
                    divergence = trainEpoch(trainer, train, setup.batchSize(), batchOrder);
                    if (divergence.isEmpty()) {
                        EpochRecord record = evaluate(trainer, data, epoch, start);
                        if (record.isFinite()) {
                            curve.add(record);
                        } else {
                            divergence = "loss is not finite after epoch " + epoch;
                        }
                    }
                    progress.accept(1);
                }
                if (epoch <= setup.epochs()) {
                    progress.accept(setup.epochs() - epoch + 1);
                }
                long parameterBytes = 0;
                long parameterCount = 0;
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray array = p.getValue().getArray();
                    parameterCount += array.size();
                    parameterBytes += array.size() * array.getDataType().getNumOfBytes();
                }
                boolean reported = optimizer instanceof StatefulOptimizer;
                long stateBytes =
                        reported
                                ? ((StatefulOptimizer) optimizer).stateBytes()
                                : 2 * parameterBytes; // AdamW: first and second moment
                return new OptimizerRun(
                        name,
                        learningRate,
                        curve,
                        !divergence.isEmpty(),
                        divergence,
                        (System.nanoTime() - start) / 1e9,
                        stateBytes,
                        !reported,
                        parameterCount);
            }
        }
    }

    /** Runs one epoch of mini-batch steps; returns why training diverged, or an empty string. */
    static String trainEpoch(
            Trainer trainer, ClassificationData train, int batchSize, Random batchOrder) {
        int rows = train.rows();
        int features = train.featureCount();
        int[] order = ClassificationData.shuffledIndices(rows, batchOrder);
        for (int from = 0; from < rows; from += batchSize) {
            int size = Math.min(batchSize, rows - from);
            float[] x = new float[size * features];
            float[] y = new float[size];
            for (int i = 0; i < size; i++) {
                int row = order[from + i];
                System.arraycopy(train.features(), row * features, x, i * features, features);
                y[i] = train.labels()[row];
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDList input = new NDList(batch.create(x, new Shape(size, features)));
                NDList labels = new NDList(batch.create(y, new Shape(size)));
                float loss;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList output = trainer.forward(input);
                    NDArray lossArray = trainer.getLoss().evaluate(labels, output);
                    loss = lossArray.getFloat();
                    if (!Float.isFinite(loss)) {
                        return "mini-batch loss is " + loss;
                    }
                    collector.backward(lossArray);
                }
                try {
                    trainer.step();
                } catch (NonFiniteGradientException e) {
                    return e.getMessage();
                }
            }
        }
        return "";
    }

    private static EpochRecord evaluate(
            Trainer trainer, ClassificationData.Split data, int epoch, long start) {
        Measure train = measure(trainer, data.train());
        Measure validation = measure(trainer, data.validation());
        return new EpochRecord(
                epoch,
                train.loss,
                validation.loss,
                validation.accuracy,
                (System.nanoTime() - start) / 1e9);
    }

    record Measure(double loss, double accuracy) {}

    static Measure measure(Trainer trainer, ClassificationData set) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray x = manager.create(set.features(), new Shape(set.rows(), set.featureCount()));
            float[] y = new float[set.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = set.labels()[i];
            }
            NDArray labels = manager.create(y);
            NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
            double loss =
                    trainer.getLoss().evaluate(new NDList(labels), new NDList(logits)).getFloat();
            NDArray predicted = logits.argMax(1).toType(DataType.FLOAT32, false);
            double correct = predicted.eq(labels).sum().getLong();
            return new Measure(loss, correct / set.rows());
        }
    }
}
