package dev.descent.solve;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.descent.curvature.GraphConstants;
import dev.descent.optim.Descent;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Trains a DCDM network ({@link DcdmNetwork}) on right-hand sides ({@link DcdmTrainingData}) with
 * {@link DcdmLoss}, through DJL's {@link Trainer} with any optimizer (a Descent one is bound by
 * {@link Descent#trainingConfig}). The data are split as the reference splits them: the first 90%
 * trained on in a seeded shuffled order each epoch, the last 10% held out; mini-batches of {@link
 * Setup#batchSize}.
 *
 * <p>Reproducibility: the engine's seed is set to {@link Setup#seed} before the block is
 * initialized, so the same seed, data and optimizer give the same weights on the same machine.
 *
 * <p>Reference: ayano721/2023_DCDM, {@code src/train.py}: Adam at 1e-4, batch 10, a 90/10 split.
 */
public final class DcdmTraining {

    private DcdmTraining() {}

    /**
     * How to train.
     *
     * @param epochs passes over the training part, ≥ 1
     * @param batchSize right-hand sides per step, ≥ 1
     * @param seed seed of the initial weights and the batch order
     */
    public record Setup(int epochs, int batchSize, long seed) {

        /**
         * Validates the setup.
         *
         * @throws IllegalArgumentException naming the value out of range
         */
        public Setup {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
        }
    }

    /**
     * The losses of a run.
     *
     * @param trainingLoss the mean mini-batch loss of each epoch
     * @param validationLoss the held-out loss before training (entry 0) and after each epoch
     */
    public record History(double[] trainingLoss, double[] validationLoss) {}

    /**
     * Initializes the model's block for an nx × ny grid and trains it.
     *
     * @param model a model whose block is a DCDM network, uninitialized; trained in place
     * @param rhs the right-hand sides, each of length nx·ny (at least 2: one is held out)
     * @param nx grid points along x
     * @param ny grid points along y
     * @param optimizer the optimizer
     * @param setup epochs, batch size and seed
     * @param stepDone called after each mini-batch step
     * @return the losses
     * @throws IllegalArgumentException if a right-hand side does not fit the grid or a loss is not
     *     finite
     */
    public static History train(
            Model model,
            double[][] rhs,
            int nx,
            int ny,
            Optimizer optimizer,
            Setup setup,
            IntConsumer stepDone) {
        if (rhs.length < 2) {
            throw new IllegalArgumentException(
                    "rhs needs at least 2 right-hand sides (one is held out), got " + rhs.length);
        }
        for (int i = 0; i < rhs.length; i++) {
            if (rhs[i].length != nx * ny) {
                throw new IllegalArgumentException(
                        "rhs["
                                + i
                                + "] has length "
                                + rhs[i].length
                                + ", the "
                                + nx
                                + " x "
                                + ny
                                + " grid has "
                                + nx * ny
                                + " points");
            }
        }
        int validation = Math.max(1, rhs.length / 10);
        int training = rhs.length - validation;
        Engine.getEngine(model.getNDManager().getEngine().getEngineName())
                .setRandomSeed((int) setup.seed());
        try (Trainer trainer =
                model.newTrainer(Descent.trainingConfig(new DcdmLoss(), optimizer))) {
            trainer.initialize(new Shape(1, 1, ny, nx));
            double[] trainLoss = new double[setup.epochs()];
            double[] heldOut = new double[setup.epochs() + 1];
            heldOut[0] = validationLoss(trainer, rhs, training, nx, ny, setup.batchSize());
            SplittableRandom order = new SplittableRandom(setup.seed());
            for (int epoch = 0; epoch < setup.epochs(); epoch++) {
                int[] perm = permutation(training, order);
                double sum = 0;
                int steps = 0;
                for (int from = 0; from < training; from += setup.batchSize()) {
                    int size = Math.min(setup.batchSize(), training - from);
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray b = batch(batch, rhs, perm, from, size, nx, ny);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray q = trainer.forward(new NDList(b)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(b), new NDList(q));
                            double value = loss.getFloat();
                            if (!Double.isFinite(value)) {
                                throw new IllegalArgumentException(
                                        "DCDM training: the loss is "
                                                + value
                                                + " at epoch "
                                                + (epoch + 1)
                                                + "; lower the learning rate");
                            }
                            sum += value;
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                    steps++;
                    stepDone.accept(1);
                }
                trainLoss[epoch] = sum / steps;
                heldOut[epoch + 1] =
                        validationLoss(trainer, rhs, training, nx, ny, setup.batchSize());
            }
            return new History(trainLoss, heldOut);
        }
    }

    /** The mean loss over rhs[from..] in inference mode. */
    private static double validationLoss(
            Trainer trainer, double[][] rhs, int from, int nx, int ny, int batchSize) {
        int[] all = new int[rhs.length];
        Arrays.setAll(all, i -> i);
        double sum = 0;
        for (int start = from; start < rhs.length; start += batchSize) {
            int size = Math.min(batchSize, rhs.length - start);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray b = batch(batch, rhs, all, start, size, nx, ny);
                NDArray q =
                        trainer.getModel()
                                .getBlock()
                                .forward(new ParameterStore(batch, false), new NDList(b), false)
                                .singletonOrThrow();
                sum += trainer.getLoss().evaluate(new NDList(b), new NDList(q)).getFloat() * size;
            }
        }
        return sum / (rhs.length - from);
    }

    private static NDArray batch(
            NDManager manager, double[][] rhs, int[] order, int from, int size, int nx, int ny) {
        int n = nx * ny;
        float[] values = new float[size * n];
        for (int i = 0; i < size; i++) {
            double[] b = rhs[order[from + i]];
            for (int k = 0; k < n; k++) {
                values[i * n + k] = (float) b[k];
            }
        }
        // the labels enter the differentiated loss: libtorch must own them
        return GraphConstants.owned(manager.create(values, new Shape(size, 1, ny, nx)));
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
