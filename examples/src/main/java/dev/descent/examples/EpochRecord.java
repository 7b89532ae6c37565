package dev.descent.examples;

/**
 * The state of one training run after an epoch; epoch 0 is the initial model, before any step.
 *
 * @param epoch the number of epochs done
 * @param trainLoss the mean softmax cross-entropy over the whole training set, weights fixed
 * @param validationLoss the mean softmax cross-entropy over the validation set
 * @param validationAccuracy the share of validation samples classified correctly, in [0, 1]
 * @param elapsedSeconds the wall time since the run started
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double validationLoss,
        double validationAccuracy,
        double elapsedSeconds) {

    /**
     * Tells whether both losses are finite.
     *
     * @return whether the losses are finite
     */
    public boolean isFinite() {
        return Double.isFinite(trainLoss) && Double.isFinite(validationLoss);
    }
}
