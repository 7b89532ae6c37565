package dev.descent.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hook that feeds {@link Sophia} its curvature: a DJL training listener that, every {@code k}
 * steps, estimates {@code ĥ} on the current batch for every parameter and hands it to {@link
 * Sophia#refreshCurvature}. Attach it to the same {@code TrainingConfig} as the optimizer; {@code
 * EasyTrain.fit} (or any loop that calls {@code EasyTrain.trainBatch} and {@code trainer.step()})
 * then runs Sophia without a loop of your own:
 *
 * <pre>{@code
 * Sophia sophia = Descent.sophia().setBatchSize(256).optLearningRate(3e-4).build();
 * TrainingConfig config =
 *         new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *                 .optOptimizer(sophia)
 *                 .addTrainingListeners(
 *                         new SophiaCurvatureListener(
 *                                 sophia, SophiaEstimator.GAUSS_NEWTON_BARTLETT, 42));
 * }</pre>
 *
 * <p>When: DJL calls {@code onTrainingBatch} after the backward pass and before {@code
 * trainer.step()}. With {@code t} the steps Sophia has taken (the largest per-parameter count), the
 * listener refreshes when {@code t > 0} and {@code t} is a multiple of {@code k}: after steps
 * {@code k, 2k, …}, so steps {@code 1…k} use {@code h = 0} and step {@code k + 1} is the first to
 * see an estimate, as in the reference's {@code train_sophiag.py}. The reference draws a fresh
 * batch for the estimate; this listener uses the training batch (same distribution, no extra data
 * loading).
 *
 * <p>Reproducibility: the probe or the sampled labels of the refresh at step {@code t} come from a
 * generator seeded by {@code (seed, t)}, so a run restored from {@link Sophia#saveState} draws the
 * same estimates as the uninterrupted run; the listener itself holds no state worth saving.
 *
 * <p>Single device only: the estimate needs the whole batch and one copy of the parameters.
 */
public final class SophiaCurvatureListener extends TrainingListenerAdapter {

    private final Sophia sophia;
    private final SophiaEstimator estimator;
    private final long seed;
    private long lastRefresh = -1;

    /**
     * Creates the listener.
     *
     * @param sophia the optimizer of the trainer this listener is attached to
     * @param estimator {@link SophiaEstimator#GAUSS_NEWTON_BARTLETT} (SophiaG) or {@link
     *     SophiaEstimator#HUTCHINSON} (SophiaH)
     * @param seed the seed of the probes or sampled labels
     */
    public SophiaCurvatureListener(Sophia sophia, SophiaEstimator estimator, long seed) {
        this.sophia = Arguments.notNull("sophia", sophia);
        this.estimator = Arguments.notNull("estimator", estimator);
        this.seed = seed;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        Block block = trainer.getModel().getBlock();
        long t = stepsTaken(block);
        if (t == 0 || t % sophia.updateInterval() != 0 || t == lastRefresh) {
            return;
        }
        Device[] devices = trainer.getDevices();
        if (devices.length != 1) {
            throw new UnsupportedOperationException(
                    "SophiaCurvatureListener supports one device, the trainer has "
                            + devices.length);
        }
        Batch batch = batchData.getBatch();
        try (NDManager scratch = trainer.getManager().newSubManager(devices[0])) {
            NDList inputs = onDevice(batch.getData(), devices[0], scratch);
            NDList labels = onDevice(batch.getLabels(), devices[0], scratch);
            refresh(block, trainer.getLoss(), inputs, labels, t);
        }
    }

    /**
     * Estimates {@code ĥ} on a batch and folds it into the optimizer's {@code h}, whatever the
     * step; for loops that do not call DJL's listeners. The parameters and their gradients are not
     * modified.
     *
     * @param block the model whose parameters the optimizer updates
     * @param loss the training loss (for {@link SophiaEstimator#HUTCHINSON})
     * @param inputs the batch's inputs
     * @param labels the batch's labels
     * @param step the optimizer's step count, which seeds this refresh's randomness
     */
    public void refresh(Block block, Loss loss, NDList inputs, NDList labels, long step) {
        SplittableRandom random = new SplittableRandom(mix(seed, step));
        try (NDManager scratch = inputs.head().getManager().newSubManager();
                NDScope temporaries = new NDScope()) {
            Map<String, NDArray> byName =
                    estimator.estimate(
                            block, loss, inputs, labels, sophia.batchSize(), random, scratch);
            Map<String, NDArray> byId = new HashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray estimate = byName.get(p.getKey());
                if (estimate != null) {
                    byId.put(p.getValue().getId(), estimate);
                }
            }
            sophia.refreshCurvature(byId);
        }
        lastRefresh = step;
    }

    private long stepsTaken(Block block) {
        long t = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Sophia.State state = sophia.state(p.getValue().getId());
            if (state != null) {
                t = Math.max(t, state.step());
            }
        }
        return t;
    }

    private static NDList onDevice(NDList list, Device device, NDManager scratch) {
        NDList moved = new NDList(list.size());
        for (NDArray a : list) {
            if (a.getDevice().equals(device)) {
                moved.add(a);
            } else {
                NDArray copy = a.toDevice(device, true);
                copy.attach(scratch);
                moved.add(copy);
            }
        }
        return moved;
    }

    /** MurmurHash3's 64-bit finalizer of the seed combined with the step. */
    private static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
