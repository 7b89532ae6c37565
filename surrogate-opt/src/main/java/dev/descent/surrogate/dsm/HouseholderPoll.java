package dev.descent.surrogate.dsm;

import dev.descent.surrogate.Directions;
import java.util.Random;

/**
 * Poll sets from a random Householder matrix H = I − 2vvᵀ (v uniform on the unit sphere; H is
 * orthogonal, so its columns h_i are a basis), each direction scaled to ‖d‖∞ = r.
 *
 * <p>Deviation from the reference for {@link #N_PLUS_ONE}: the reference also rotates each
 * direction by a random angle up to arccos(1/n), which can break positive spanning; here the set is
 * the minimal positive basis {h_1, …, h_n, −Σh_i} itself.
 */
public enum HouseholderPoll implements PollDirections {
    /** The maximal positive basis {±h_i}: 2n directions (the reference cDSM's default). */
    TWO_N,
    /** The minimal positive basis {h_1, …, h_n, −Σh_i}: n + 1 directions (the hybrid's). */
    N_PLUS_ONE;

    @Override
    public double[][] directions(int n, double radius, Random random) {
        double[] v = Directions.unitEuclidean(n, random);
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = (i == j ? 1 : 0) - 2 * v[i] * v[j];
            }
        }
        double[][] d;
        if (this == TWO_N) {
            d = new double[2 * n][];
            for (int i = 0; i < n; i++) {
                d[i] = h[i].clone();
                d[n + i] = h[i].clone();
                for (int j = 0; j < n; j++) {
                    d[n + i][j] = -d[n + i][j];
                }
            }
        } else {
            d = new double[n + 1][];
            double[] sum = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = h[i].clone();
                for (int j = 0; j < n; j++) {
                    sum[j] -= h[i][j];
                }
            }
            d[n] = sum;
        }
        for (double[] di : d) {
            Directions.scaleToInfinityNorm(di, radius);
        }
        return d;
    }
}
