package dev.descent.surrogate.mbo;

import java.util.Arrays;

/** Percentiles with linear interpolation between order statistics (numpy's default). */
public final class Percentiles {

    private Percentiles() {}

    /**
     * Returns the q-th percentile: with the values sorted ascending as {@code v_0 ≤ … ≤ v_{m−1}}
     * and {@code h = (m − 1)·q/100}, {@code v_⌊h⌋ + (h − ⌊h⌋)(v_⌊h⌋+1 − v_⌊h⌋)}.
     *
     * @param values at least one value; not modified
     * @param q the percentile, in [0, 100]
     * @return the percentile
     */
    public static double of(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("q must be in [0, 100], got " + q);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q / 100;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
