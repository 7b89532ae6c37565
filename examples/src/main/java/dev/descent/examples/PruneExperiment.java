package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.descent.curvature.ObsPruning;
import dev.descent.optim.Descent;
import dev.descent.optim.DescentOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a one-hidden-layer perceptron on a classification set, then prunes its two weight matrices
 * (biases stay dense) to each target sparsity in three ways, each from the same trained weights and
 * without fine-tuning: by magnitude, by OBS with M-FAC's static inverse Fisher in one step, and by
 * OBS in several geometric steps with gradients recomputed before each ({@link ObsPruning}). The
 * Fisher is built from m mini-batch gradients of the training loss.
 */
final class PruneExperiment {

    private PruneExperiment() {}

    /** The pruning methods compared. */
    enum Method {
        MAGNITUDE("magnitude"),
        OBS_ONE_SHOT("M-FAC OBS, one shot"),
        OBS_GRADUAL("M-FAC OBS, gradual");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /**
     * The shape of a run.
     *
     * @param hidden the hidden width, {@code >= 1}
     * @param epochs training epochs, {@code >= 1}
     * @param batchSize the training mini-batch size, {@code >= 1}
     * @param learningRate AdamW's learning rate, {@code > 0}
     * @param gradients m, mini-batch gradients per Fisher, {@code >= 1}
     * @param gradientBatch the mini-batch size of those gradients, {@code >= 1}
     * @param damping λ of the Fisher, {@code > 0}
     * @param blockSize the Fisher's block size, {@code >= 0} (0: one block)
     * @param gradualSteps the steps of the gradual schedule, {@code >= 1}
     * @param sparsities the targets, each in [0, 1]
     * @param seed the seed of the weights, the batch order and the gradient batches
     * @param threads PyTorch intra-op threads, {@code >= 1}
     */
    record Settings(
            int hidden,
            int epochs,
            int batchSize,
            double learningRate,
            int gradients,
            int gradientBatch,
            double damping,
            long blockSize,
            int gradualSteps,
            double[] sparsities,
            int seed,
            int threads) {

        Settings {
            if (hidden < 1
                    || epochs < 1
                    || batchSize < 1
                    || gradients < 1
                    || gradientBatch < 1
                    || gradualSteps < 1
                    || threads < 1) {
                throw new IllegalArgumentException(
                        "hidden, epochs, batch size, gradients, gradient batch, gradual steps and"
                                + " threads must be >= 1, got "
                                + List.of(
                                        hidden,
                                        epochs,
                                        batchSize,
                                        gradients,
                                        gradientBatch,
                                        gradualSteps,
                                        threads));
            }
            if (!(learningRate > 0) || !(damping > 0) || blockSize < 0) {
                throw new IllegalArgumentException(
                        "learning rate and damping must be > 0 and the block size >= 0, got "
                                + learningRate
                                + ", "
                                + damping
                                + " and "
                                + blockSize);
            }
            for (double s : sparsities) {
                ObsPruning.prunedCount(s, 1); // checks the range
            }
        }
    }

    /** The validation accuracy and loss of one pruned model. */
    record Row(double sparsity, Method method, double accuracy, double loss, double seconds) {}

    /**
     * What a run measured.
     *
     * @param denseAccuracy the validation accuracy before pruning
     * @param denseLoss the validation loss before pruning
     * @param prunable the number of weights pruning chooses from (the weight matrices)
     * @param parameters all parameters of the model
     * @param rows one per sparsity and method
     */
    record Result(
            double denseAccuracy,
            double denseLoss,
            int prunable,
            long parameters,
            List<Row> rows) {}

    /**
     * Trains the model, then prunes it to every sparsity by every method.
     *
     * @param s the settings
     * @param data the training and validation sets
     * @param progress told of every epoch and every pruning as it ends: {@link #steps(Settings)} in
     *     all
     * @return what was measured
     */
    static Result run(Settings s, ClassificationData.Split data, Runnable progress) {
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE); // loads the native library
        JniUtils.setNumThreads(s.threads());
        engine.setRandomSeed(s.seed());
        ClassificationData train = data.train();
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(s.hidden()).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(train.classCount()).build());
        DescentOptimizer<?> adamW = Descent.adamW().optLearningRate(s.learningRate()).build();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(adamW)
                        .optDevices(new Device[] {Device.cpu()});
        try (Model model = Model.newInstance("prune-mlp", Device.cpu(), ClassifierTraining.ENGINE);
                Trainer trainer = newTrainer(model, block, config, train.featureCount())) {
            adamW.bind(block);
            Random order = new Random(s.seed());
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                String divergence =
                        ClassifierTraining.trainEpoch(trainer, train, s.batchSize(), order);
                if (!divergence.isEmpty()) {
                    throw new IllegalStateException("training diverged: " + divergence);
                }
                progress.run();
            }
            List<Parameter> prunable = new ArrayList<>();
            long parameters = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                parameters += p.getValue().getArray().size();
                if (p.getKey().endsWith("weight")) {
                    prunable.add(p.getValue());
                }
            }
            double[] trained = read(prunable);
            ClassifierTraining.Measure dense =
                    ClassifierTraining.measure(trainer, data.validation());
            ObsPruning.GradientSource source =
                    weights -> gradients(trainer, prunable, weights, train, s);
            List<Row> rows = new ArrayList<>();
            for (double sparsity : s.sparsities()) {
                for (Method method : Method.values()) {
                    long start = System.nanoTime();
                    double[] w = trained.clone();
                    boolean[] alive = new boolean[w.length];
                    java.util.Arrays.fill(alive, true);
                    switch (method) {
                        case MAGNITUDE -> ObsPruning.pruneByMagnitude(w, alive, sparsity);
                        case OBS_ONE_SHOT, OBS_GRADUAL -> {
                            int steps = method == Method.OBS_ONE_SHOT ? 1 : s.gradualSteps();
                            ObsPruning.prune(
                                    w,
                                    alive,
                                    ObsPruning.geometricSchedule(0, sparsity, steps),
                                    source,
                                    s.damping(),
                                    s.blockSize());
                        }
                    }
                    write(prunable, w);
                    ClassifierTraining.Measure m =
                            ClassifierTraining.measure(trainer, data.validation());
                    rows.add(
                            new Row(
                                    sparsity,
                                    method,
                                    m.accuracy(),
                                    m.loss(),
                                    (System.nanoTime() - start) / 1e9));
                    progress.run();
                }
            }
            write(prunable, trained);
            return new Result(dense.accuracy(), dense.loss(), trained.length, parameters, rows);
        }
    }

    /**
     * Returns the number of progress steps of {@link #run}: the epochs, then one per sparsity and
     * method.
     *
     * @param s the settings
     * @return the count
     */
    static long steps(Settings s) {
        return s.epochs() + (long) s.sparsities().length * Method.values().length;
    }

    private static Trainer newTrainer(
            Model model, SequentialBlock block, DefaultTrainingConfig config, int features) {
        model.setBlock(block);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1, features));
        return trainer;
    }

    /**
     * The m×d matrix of mini-batch gradients of the prunable weights at {@code weights}: batch i
     * holds samples {@code i·b … i·b + b − 1} of a seeded permutation (wrapping around).
     */
    private static NDArray gradients(
            Trainer trainer,
            List<Parameter> prunable,
            double[] weights,
            ClassificationData train,
            Settings s) {
        write(prunable, weights);
        int features = train.featureCount();
        int[] order = ClassificationData.shuffledIndices(train.rows(), new Random(s.seed() + 1));
        double[][] rows = new double[s.gradients()][];
        for (int i = 0; i < s.gradients(); i++) {
            float[] x = new float[s.gradientBatch() * features];
            float[] y = new float[s.gradientBatch()];
            for (int j = 0; j < s.gradientBatch(); j++) {
                int row = order[(i * s.gradientBatch() + j) % order.length];
                System.arraycopy(train.features(), row * features, x, j * features, features);
                y[j] = train.labels()[row];
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList output =
                            trainer.forward(
                                    new NDList(
                                            batch.create(
                                                    x, new Shape(s.gradientBatch(), features))));
                    collector.backward(
                            trainer.getLoss().evaluate(new NDList(batch.create(y)), output));
                }
                rows[i] = readGradients(prunable);
            }
        }
        return trainer.getManager().create(rows);
    }

    /** The flat weights of the parameters, as doubles. */
    private static double[] read(List<Parameter> parameters) {
        List<float[]> parts = new ArrayList<>();
        for (Parameter p : parameters) {
            parts.add(p.getArray().toFloatArray());
        }
        return concat(parts);
    }

    /** The flat gradients of the parameters, as doubles; the gradients are zeroed after. */
    private static double[] readGradients(List<Parameter> parameters) {
        List<float[]> parts = new ArrayList<>();
        for (Parameter p : parameters) {
            NDArray array = p.getArray();
            try (NDArray g = array.getGradient()) {
                parts.add(g.toFloatArray());
            }
            JniUtils.zeroGrad((PtNDArray) array);
        }
        return concat(parts);
    }

    private static double[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        double[] all = new double[n];
        int at = 0;
        for (float[] p : parts) {
            for (float v : p) {
                all[at++] = v;
            }
        }
        return all;
    }

    /** Writes flat weights back into the parameters. */
    private static void write(List<Parameter> parameters, double[] weights) {
        int at = 0;
        for (Parameter p : parameters) {
            NDArray array = p.getArray();
            float[] part = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < part.length; i++) {
                part[i] = (float) weights[at++];
            }
            array.set(part);
        }
    }
}
