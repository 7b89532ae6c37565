package dev.descent.examples;

import java.util.Arrays;
import java.util.Random;

/**
 * A small in-memory classification data set: {@code rows} samples of {@code features} floats each,
 * stored row-major, with an integer label in {@code [0, classes)} per sample.
 *
 * @param name a short name for reports
 * @param features the samples, row-major, {@code rows × featureCount} values (not copied: callers
 *     must not modify it)
 * @param labels the label of each sample (not copied)
 * @param featureCount the number of features per sample
 * @param classCount the number of classes
 */
public record ClassificationData(
        String name, float[] features, int[] labels, int featureCount, int classCount) {

    /** Checks that the arrays agree with the counts and every label is a class. */
    public ClassificationData {
        if (featureCount < 1 || classCount < 2) {
            throw new IllegalArgumentException(
                    "need at least 1 feature and 2 classes, got "
                            + featureCount
                            + " and "
                            + classCount);
        }
        if (features.length != (long) labels.length * featureCount) {
            throw new IllegalArgumentException(
                    "features hold "
                            + features.length
                            + " values, expected "
                            + labels.length
                            + " rows × "
                            + featureCount);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException(
                        "label of row "
                                + i
                                + " is "
                                + labels[i]
                                + ", not in [0, "
                                + classCount
                                + ")");
            }
        }
    }

    /**
     * Returns the number of samples.
     *
     * @return the number of rows
     */
    public int rows() {
        return labels.length;
    }

    /**
     * Returns the samples at the given row indices, in that order, as a new data set.
     *
     * @param indices the rows to take (not modified)
     * @return the selected rows
     */
    public ClassificationData select(int[] indices) {
        float[] x = new float[indices.length * featureCount];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(
                    features, indices[i] * featureCount, x, i * featureCount, featureCount);
            y[i] = labels[indices[i]];
        }
        return new ClassificationData(name, x, y, featureCount, classCount);
    }

    /**
     * Splits the rows at random into a training and a validation part: the row indices are shuffled
     * with {@code new Random(seed)} (Fisher–Yates) and the first {@code round(rows ·
     * trainFraction)} go to training.
     *
     * @param trainFraction the share of rows for training, in (0, 1)
     * @param seed the seed of the shuffle
     * @return the two parts
     */
    public Split split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(
                    "trainFraction must be in (0, 1), got " + trainFraction);
        }
        int[] order = shuffledIndices(rows(), new Random(seed));
        int trainRows = (int) Math.round(rows() * trainFraction);
        if (trainRows == 0 || trainRows == rows()) {
            throw new IllegalArgumentException(
                    rows() + " rows are too few to split at " + trainFraction);
        }
        return new Split(
                select(Arrays.copyOfRange(order, 0, trainRows)),
                select(Arrays.copyOfRange(order, trainRows, rows())));
    }

    /**
     * Returns {@code 0, 1, …, n − 1} in an order drawn from {@code random} (Fisher–Yates).
     *
     * @param n the number of indices
     * @param random the source of randomness (advanced)
     * @return the permutation
     */
    static int[] shuffledIndices(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * A training / validation split.
     *
     * @param train the rows to train on
     * @param validation the held-out rows
     */
    public record Split(ClassificationData train, ClassificationData validation) {}
}
