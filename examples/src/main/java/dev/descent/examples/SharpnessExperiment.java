package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.descent.curvature.SafeL2Loss;
import dev.descent.curvature.SharpnessMonitor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The edge-of-stability experiment behind {@code descent sharpness}: the same small network, from
 * the same initial weights, trained with the same learning rate η by full-batch gradient descent
 * and by mini-batch SGD, while a {@link SharpnessMonitor} records λ_max and Tr(H) of the full-batch
 * training loss every {@code interval} updates.
 *
 * <p>Setup (after Cohen et al., "Gradient Descent on Neural Networks Typically Occurs at the Edge
 * of Stability", ICLR 2021, arXiv:2103.00065, who train tanh networks on a 5,000-image CIFAR-10
 * subset with the square loss): a seeded subset of the UCI digits (features in [0, 1]), a
 * perceptron {@code 64 → hidden, tanh → hidden, tanh → 10}, and the square loss on one-hot targets
 * {@code ½·mean_i ‖f(x_i) − y_i‖²} (DJL's L2 loss, which averages over the 10 outputs too, weighted
 * by 10·½). Both runs use plain SGD updates {@code θ ← θ − η∇L} (DJL's {@code sgd}, no momentum, no
 * weight decay); GD's gradient is over the whole subset, SGD's over mini-batches drawn by a seeded
 * shuffle each epoch. The monitor's batch is the whole subset in both runs, so both curves measure
 * the same function's Hessian.
 */
public final class SharpnessExperiment {

    private SharpnessExperiment() {}

    /**
     * The settings of a run.
     *
     * @param samples the size of the digits subset, in [classes, 1797]
     * @param hidden the width of both hidden layers, {@code >= 1}
     * @param steps the number of updates of each run, {@code >= 1}
     * @param learningRate η, finite and {@code > 0}
     * @param batchSize SGD's mini-batch size, in [1, samples)
     * @param interval updates between measurements, {@code >= 1}
     * @param lanczosSteps Lanczos steps per λ_max, {@code >= 1}
     * @param traceSamples Hutchinson probes per trace, {@code >= 2}
     * @param seed the seed of the subset, the initial weights, the batch order and the probes
     * @param threads PyTorch intra-op threads, {@code >= 1}
     */
    public record Settings(
            int samples,
            int hidden,
            int steps,
            double learningRate,
            int batchSize,
            int interval,
            int lanczosSteps,
            int traceSamples,
            int seed,
            int threads) {

        /** Checks the ranges. */
        public Settings {
            if (samples < DigitsDataset.CLASSES || samples > DigitsDataset.ROWS) {
                throw new IllegalArgumentException(
                        "samples must be in ["
                                + DigitsDataset.CLASSES
                                + ", "
                                + DigitsDataset.ROWS
                                + "], got "
                                + samples);
            }
            if (batchSize < 1 || batchSize >= samples) {
                throw new IllegalArgumentException(
                        "batchSize must be in [1, " + samples + "), got " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException(
                        "learningRate must be finite and > 0, got " + learningRate);
            }
            if (hidden < 1 || steps < 1 || interval < 1 || lanczosSteps < 1 || threads < 1) {
                throw new IllegalArgumentException(
                        "hidden, steps, interval, lanczosSteps and threads must be >= 1, got "
                                + hidden
                                + ", "
                                + steps
                                + ", "
                                + interval
                                + ", "
                                + lanczosSteps
                                + " and "
                                + threads);
            }
            if (traceSamples < 2) {
                throw new IllegalArgumentException(
                        "traceSamples must be >= 2, got " + traceSamples);
            }
        }
    }

    /**
     * One training run.
     *
     * @param name "gd" or "sgd"
     * @param batchSize its batch size
     * @param records the monitor's records, in step order
     * @param diverged whether the loss became non-finite (the run stopped there)
     * @param seconds wall time, monitoring included
     */
    public record Run(
            String name,
            int batchSize,
            List<SharpnessMonitor.Sharpness> records,
            boolean diverged,
            double seconds) {}

    /**
     * Both runs.
     *
     * @param settings the settings
     * @param gd full-batch gradient descent
     * @param sgd mini-batch SGD
     * @param parameters the number of trainable parameters
     */
    public record Result(Settings settings, Run gd, Run sgd, long parameters) {}

    /**
     * Runs both trainings.
     *
     * @param settings the settings
     * @param progress told the number of updates done (or skipped after a divergence) as they
     *     happen, {@code 2 × steps} in all
     * @return the records of both
     */
    public static Result run(Settings settings, IntConsumer progress) {
        Engine.getEngine(ClassifierTraining.ENGINE); // loads the native library
        JniUtils.setNumThreads(settings.threads());
        ClassificationData all = DigitsDataset.load();
        int[] order = ClassificationData.shuffledIndices(all.rows(), new Random(settings.seed()));
        ClassificationData data = all.select(Arrays.copyOf(order, settings.samples()));
        Run gd = train("gd", data, data.rows(), settings, progress);
        Run sgd = train("sgd", data, settings.batchSize(), settings, progress);
        return new Result(settings, gd, sgd, parameterCount(data, settings.hidden()));
    }

    private static long parameterCount(ClassificationData data, int hidden) {
        long h = hidden;
        return (data.featureCount() + 1L) * h + (h + 1) * h + (h + 1) * data.classCount();
    }

    private static SequentialBlock network(int hidden, int classes) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * ½·mean_i ‖f(x_i) − y_i‖²: the L2 loss averages over the outputs as well. {@link SafeL2Loss},
     * not {@code Loss.l2Loss}: the loss is differentiated in training and by the monitor.
     */
    static Loss squareLoss(int classes) {
        return new SafeL2Loss("square", 0.5f * classes);
    }

    private static Run train(
            String name,
            ClassificationData data,
            int batchSize,
            Settings settings,
            IntConsumer progress) {
        long start = System.nanoTime();
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE);
        engine.setRandomSeed(settings.seed());
        int rows = data.rows();
        int features = data.featureCount();
        int classes = data.classCount();
        Loss loss = squareLoss(classes);
        Tracker eta = Tracker.fixed((float) settings.learningRate());
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(eta).build())
                        .optDevices(new Device[] {Device.cpu()});
        try (Model model =
                        Model.newInstance(
                                "sharpness-" + name, Device.cpu(), engine.getEngineName());
                NDManager manager =
                        NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            model.setBlock(network(settings.hidden(), classes));
            NDArray x = manager.create(data.features(), new Shape(rows, features));
            float[] oneHot = new float[rows * classes];
            for (int i = 0; i < rows; i++) {
                oneHot[i * classes + data.labels()[i]] = 1;
            }
            NDArray y = manager.create(oneHot, new Shape(rows, classes));
            SharpnessMonitor monitor =
                    SharpnessMonitor.builder()
                            .setBatch(new NDList(x), new NDList(y), loss)
                            .setLearningRate(eta)
                            .optInterval(settings.interval())
                            .optLanczos(settings.lanczosSteps())
                            .optTrace(settings.traceSamples(), 0)
                            .optSeed(settings.seed())
                            .build();
            boolean diverged = false;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, features));
                Random batchOrder = new Random(settings.seed());
                int[] permutation = ClassificationData.shuffledIndices(rows, batchOrder);
                int from = 0;
                int step = 0;
                for (; step < settings.steps() && !diverged; step++) {
                    if (from + batchSize > rows) {
                        permutation = ClassificationData.shuffledIndices(rows, batchOrder);
                        from = 0;
                    }
                    // closes every array the step creates (outputs attach to the inputs' manager)
                    try (NDScope scope = new NDScope()) {
                        NDList input;
                        NDList labels;
                        if (batchSize == rows) {
                            input = new NDList(x);
                            labels = new NDList(y);
                        } else {
                            NDArray index =
                                    manager.create(
                                            Arrays.copyOfRange(
                                                    permutation, from, from + batchSize));
                            input = new NDList(x.get(index));
                            labels = new NDList(y.get(index));
                        }
                        from += batchSize;
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray value = loss.evaluate(labels, trainer.forward(input));
                            if (!Float.isFinite(value.getFloat())) {
                                diverged = true;
                                break;
                            }
                            collector.backward(value);
                        }
                        // Weights after `step` updates, before this one, as under EasyTrain.
                        monitor.onTrainingBatch(trainer, null);
                        trainer.step();
                    }
                    progress.accept(1);
                }
                if (step < settings.steps()) {
                    progress.accept(settings.steps() - step);
                }
                if (!diverged && settings.steps() % settings.interval() == 0) {
                    monitor.measure(model.getBlock(), settings.steps());
                }
            }
            return new Run(
                    name,
                    batchSize,
                    List.copyOf(monitor.records()),
                    diverged,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
