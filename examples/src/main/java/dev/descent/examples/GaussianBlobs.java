package dev.descent.examples;

import java.util.Random;

/**
 * A synthetic classification task: isotropic Gaussian blobs, one per class, as scikit-learn's
 * {@code make_blobs}.
 *
 * <p>With {@code r = new Random(seed)}: each class centre is drawn uniformly from {@code [−c,
 * c]^d}; then sample {@code i} gets label {@code i mod classes} and features {@code centre + σ·N(0,
 * I)}. The defaults (10 classes, 64 features, 1,797 samples, {@code c = 1}, {@code σ = 2}) give the
 * same shapes as the digits and classes that overlap enough for the task not to be trivial.
 */
public final class GaussianBlobs {

    /** The number of samples of the default task (as many as the digits). */
    public static final int ROWS = 1797;

    /** The number of features of the default task. */
    public static final int FEATURES = 64;

    /** The number of classes of the default task. */
    public static final int CLASSES = 10;

    static final double CENTRE_BOX = 1.0;
    static final double SPREAD = 2.0;

    private GaussianBlobs() {}

    /**
     * Draws the default task.
     *
     * @param seed the seed
     * @return 1,797 rows of 64 features, 10 classes
     */
    public static ClassificationData generate(long seed) {
        return generate(ROWS, FEATURES, CLASSES, CENTRE_BOX, SPREAD, seed);
    }

    /**
     * Draws a task.
     *
     * @param rows the number of samples, {@code >= classes}
     * @param features the number of features, {@code >= 1}
     * @param classes the number of classes, {@code >= 2}
     * @param centreBox half the side of the box the centres are drawn from, {@code > 0}
     * @param spread the standard deviation σ of each blob, {@code > 0}
     * @param seed the seed
     * @return the samples
     */
    public static ClassificationData generate(
            int rows, int features, int classes, double centreBox, double spread, long seed) {
        if (classes < 2 || rows < classes || features < 1) {
            throw new IllegalArgumentException(
                    "need classes >= 2, rows >= classes and features >= 1, got "
                            + classes
                            + ", "
                            + rows
                            + " and "
                            + features);
        }
        if (!(centreBox > 0) || !(spread > 0)) {
            throw new IllegalArgumentException(
                    "centreBox and spread must be > 0, got " + centreBox + " and " + spread);
        }
        Random random = new Random(seed);
        double[][] centres = new double[classes][features];
        for (double[] centre : centres) {
            for (int j = 0; j < features; j++) {
                centre[j] = centreBox * (2 * random.nextDouble() - 1);
            }
        }
        float[] x = new float[rows * features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
            for (int j = 0; j < features; j++) {
                x[i * features + j] = (float) (centres[y[i]][j] + spread * random.nextGaussian());
            }
        }
        return new ClassificationData("synthetic", x, y, features, classes);
    }
}
