package dev.descent.examples;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Trains the same model on the same data once per optimizer, from the same initial weights and with
 * the same batch order, and collects the curves: what {@code descent compare} runs.
 */
public final class OptimizerComparison {

    /** The share of the data set used for training; the rest is the validation set. */
    public static final double TRAIN_FRACTION = 0.8;

    private OptimizerComparison() {}

    /**
     * What to compare.
     *
     * @param optimizers the optimizers, in the order to run and report them (non-empty, distinct)
     * @param learningRates learning rates that replace {@link OptimizerChoice#learningRate()}
     * @param dataset the data set
     * @param setup the model width, epochs, batch size and seed
     * @param threads the number of PyTorch intra-op threads, {@code >= 1}
     */
    public record Settings(
            List<OptimizerChoice> optimizers,
            Map<OptimizerChoice, Double> learningRates,
            DatasetChoice dataset,
            ClassifierTraining.Setup setup,
            int threads) {

        /** Copies the collections and checks the values. */
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            optimizers = List.copyOf(optimizers);
            learningRates = Map.copyOf(learningRates);
            if (optimizers.isEmpty()
                    || optimizers.stream().distinct().count() < optimizers.size()) {
                throw new IllegalArgumentException(
                        "optimizers must be non-empty and distinct, got " + optimizers);
            }
            for (Map.Entry<OptimizerChoice, Double> e : learningRates.entrySet()) {
                if (!(e.getValue() > 0) || Double.isInfinite(e.getValue())) {
                    throw new IllegalArgumentException(
                            "learning rate of "
                                    + e.getKey().cliName()
                                    + " must be finite and > 0, got "
                                    + e.getValue());
                }
            }
        }

        /**
         * Returns the learning rate an optimizer runs at.
         *
         * @param choice the optimizer
         * @return the override, or its {@link OptimizerChoice#learningRate()}
         */
        public double learningRate(OptimizerChoice choice) {
            return learningRates.getOrDefault(choice, choice.learningRate());
        }
    }

    /**
     * The runs of one comparison.
     *
     * @param settings what was compared
     * @param featureCount the number of features of the data set
     * @param classCount the number of classes of the data set
     * @param trainRows the number of training samples
     * @param validationRows the number of validation samples
     * @param runs one run per optimizer, in the order of {@code settings.optimizers()}
     */
    public record Result(
            Settings settings,
            int featureCount,
            int classCount,
            int trainRows,
            int validationRows,
            List<OptimizerRun> runs) {

        /** Copies the runs. */
        public Result {
            runs = List.copyOf(runs);
        }

        /**
         * Tells whether every run started from the same initial training loss, bit for bit: the
         * check that the seeding gave every optimizer the same initial weights.
         *
         * @return whether the initial losses agree
         */
        public boolean sameInitialLoss() {
            return runs.stream().mapToDouble(r -> r.initial().trainLoss()).distinct().count() <= 1;
        }
    }

    /**
     * Runs the comparison. Sets the number of PyTorch intra-op threads of the process to {@code
     * settings.threads()} first (it stays so afterwards).
     *
     * @param settings what to compare
     * @param progress told the number of epochs finished as they happen, {@code optimizers ×
     *     epochs} in all
     * @return the runs
     */
    public static Result run(Settings settings, IntConsumer progress) {
        Engine.getEngine(ClassifierTraining.ENGINE);
        JniUtils.setNumThreads(settings.threads());
        ClassifierTraining.Setup setup = settings.setup();
        ClassificationData.Split split =
                settings.dataset().load(setup.seed()).split(TRAIN_FRACTION, setup.seed());
        List<OptimizerRun> runs = new ArrayList<>();
        for (OptimizerChoice choice : settings.optimizers()) {
            double lr = settings.learningRate(choice);
            runs.add(
                    ClassifierTraining.train(
                            choice.cliName(), lr, choice.create(lr), split, setup, progress));
        }
        ClassificationData train = split.train();
        return new Result(
                settings,
                train.featureCount(),
                train.classCount(),
                train.rows(),
                split.validation().rows(),
                runs);
    }
}
