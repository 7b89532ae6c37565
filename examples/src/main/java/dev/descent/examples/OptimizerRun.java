package dev.descent.examples;

import java.util.List;

/**
 * The outcome of training one model with one optimizer.
 *
 * @param name the optimizer's name
 * @param learningRate the learning rate it ran at
 * @param curve one record per evaluated epoch, from epoch 0 (the initial model); a diverged run
 *     stops at the last finite one
 * @param diverged whether training stopped because a loss or gradient became NaN or infinite
 * @param divergence what went wrong, or an empty string
 * @param wallSeconds the wall time of the run: model set-up, training and per-epoch evaluation
 * @param stateBytes the bytes of optimizer state after training
 * @param stateBytesComputed whether {@code stateBytes} was computed from the model (the optimizer
 *     does not report its state) rather than read from the optimizer
 * @param parameterCount the number of trainable scalars of the model
 */
public record OptimizerRun(
        String name,
        double learningRate,
        List<EpochRecord> curve,
        boolean diverged,
        String divergence,
        double wallSeconds,
        long stateBytes,
        boolean stateBytesComputed,
        long parameterCount) {

    /** Copies the curve. */
    public OptimizerRun {
        curve = List.copyOf(curve);
    }

    /**
     * Returns the optimizer state per trainable scalar: 8 for AdamW's two float32 moments.
     *
     * @return {@code stateBytes / parameterCount}
     */
    public double stateBytesPerParameter() {
        return (double) stateBytes / parameterCount;
    }

    /**
     * Returns the first record: the model before training.
     *
     * @return epoch 0
     */
    public EpochRecord initial() {
        return curve.get(0);
    }

    /**
     * Returns the last record: the model after training (or the last finite one).
     *
     * @return the last epoch evaluated
     */
    public EpochRecord last() {
        return curve.get(curve.size() - 1);
    }
}
