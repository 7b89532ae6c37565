package dev.descent.solve;

import java.util.SplittableRandom;

/**
 * DCDM's training right-hand sides, made as the reference makes them: random combinations of
 * Lanczos Ritz vectors of A weighted toward the low end of the spectrum.
 *
 * <pre>
 * (θ_j, v_j) = Ritz pairs of A, ascending, those with θ_j &lt; 1e-8 dropped   ({@link RitzVectors})
 * b = Σ_j c_j v_j,  c_j = 9·N(0,1) for the lowest {@code lowModes} kept pairs, N(0,1) above
 * b = b / ‖b‖
 * </pre>
 *
 * <p>Reference: ayano721/2023_DCDM, {@code src/datasetcreate.py}: m = 10,000 Ritz vectors of the
 * 64³/128³ matrix, the lowest m/2 + θ (θ = 500) weighted by 9, 20,000 samples. For a 32² grid the
 * design notes scale this to m = 300 and m/2 + m/20 low modes ({@link #defaultLowModes}).
 */
public final class DcdmTrainingData {

    /** Ritz values below this are dropped (the reference's cut for the singular Neumann matrix). */
    public static final double ZERO_RITZ_VALUE = 1e-8;

    /** The weight of the low modes' coefficients. */
    public static final double LOW_MODE_WEIGHT = 9;

    private DcdmTrainingData() {}

    /**
     * The reference's count of weighted low modes scaled to m: m/2 + θ with θ = m/20 (500 at m =
     * 10,000).
     *
     * @param m the number of Ritz vectors
     * @return m/2 + m/20
     */
    public static int defaultLowModes(int m) {
        return m / 2 + m / 20;
    }

    /**
     * Draws normalized right-hand sides.
     *
     * @param ritz the Ritz pairs, not modified
     * @param samples how many, ≥ 1
     * @param lowModes how many of the lowest kept pairs get the weight 9, ≥ 0
     * @param seed seed of the coefficients
     * @return {@code samples} unit vectors of A's dimension
     * @throws IllegalArgumentException if samples &lt; 1, lowModes &lt; 0, or no Ritz value is
     *     above {@value #ZERO_RITZ_VALUE}
     */
    public static double[][] sample(RitzVectors ritz, int samples, int lowModes, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        if (lowModes < 0) {
            throw new IllegalArgumentException("lowModes must be >= 0, got " + lowModes);
        }
        int first = 0;
        while (first < ritz.size() && ritz.values()[first] < ZERO_RITZ_VALUE) {
            first++;
        }
        if (first == ritz.size()) {
            throw new IllegalArgumentException(
                    "every Ritz value is below " + ZERO_RITZ_VALUE + "; nothing to sample from");
        }
        int n = ritz.vectors()[0].length;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[samples][];
        for (int s = 0; s < samples; s++) {
            double[] b = new double[n];
            for (int j = first; j < ritz.size(); j++) {
                double c = random.nextGaussian();
                if (j - first < lowModes) {
                    c *= LOW_MODE_WEIGHT;
                }
                double[] v = ritz.vectors()[j];
                for (int i = 0; i < n; i++) {
                    b[i] += c * v[i];
                }
            }
            double norm = Residuals.norm(b);
            for (int i = 0; i < n; i++) {
                b[i] /= norm;
            }
            out[s] = b;
        }
        return out;
    }
}
