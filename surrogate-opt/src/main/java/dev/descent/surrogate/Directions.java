package dev.descent.surrogate;

import java.util.Random;

/** Random directions and the small vector operations the steps share. */
public final class Directions {

    private Directions() {}

    /**
     * Returns a uniformly random direction scaled to ‖u‖∞ = 1 (a Gaussian vector divided by its
     * largest magnitude, as the reference's hypersphere sample divided by its L∞ norm).
     *
     * @param n the dimension, ≥ 1
     * @param random the source; modified
     * @return u with ‖u‖∞ = 1
     */
    public static double[] unitInfinity(int n, Random random) {
        double[] u = gaussian(n, random);
        return scaleToInfinityNorm(u, 1);
    }

    /**
     * Returns a uniformly random direction with ‖v‖₂ = 1.
     *
     * @param n the dimension, ≥ 1
     * @param random the source; modified
     * @return v with ‖v‖₂ = 1
     */
    public static double[] unitEuclidean(int n, Random random) {
        double[] v = gaussian(n, random);
        double norm = 0;
        for (double vi : v) {
            norm += vi * vi;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            v[i] /= norm;
        }
        return v;
    }

    private static double[] gaussian(int n, Random random) {
        double[] g = new double[n];
        double max;
        do {
            max = 0;
            for (int i = 0; i < n; i++) {
                g[i] = random.nextGaussian();
                max = Math.max(max, Math.abs(g[i]));
            }
        } while (max == 0);
        return g;
    }

    /**
     * Scales d in place to ‖d‖∞ = r.
     *
     * @param d a non-zero vector; modified
     * @param r the target norm
     * @return d
     */
    public static double[] scaleToInfinityNorm(double[] d, double r) {
        double max = infinityNorm(d);
        for (int i = 0; i < d.length; i++) {
            d[i] *= r / max;
        }
        return d;
    }

    /**
     * Returns ‖d‖∞.
     *
     * @param d the vector; not modified
     * @return the largest magnitude
     */
    public static double infinityNorm(double[] d) {
        double max = 0;
        for (double di : d) {
            max = Math.max(max, Math.abs(di));
        }
        return max;
    }

    /**
     * Returns x + d as a new array.
     *
     * @param x the point; not modified
     * @param d the step; not modified
     * @return x + d
     */
    public static double[] add(double[] x, double[] d) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] + d[i];
        }
        return p;
    }

    /**
     * Returns x + r·sign(g) as a new array (sign(0) = 0).
     *
     * @param x the point; not modified
     * @param g the direction whose signs are used; not modified
     * @param r the step per coordinate
     * @return x + r·sign(g)
     */
    public static double[] signStep(double[] x, double[] g, double r) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] + r * Math.signum(g[i]);
        }
        return p;
    }
}
