package dev.descent.surrogate.mbo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The static data of an offline optimization run, built the Design-Bench way: draw designs from the
 * task's sampling distribution, score them with the oracle, keep those whose score is at most the
 * {@code keepPercentile}-th percentile of all scores (so the best designs are hidden from the
 * optimizer), and normalize later scores by the minimum and maximum of the <b>full</b> sample:
 * {@code (s − yMin)/(yMax − yMin)}.
 *
 * @param designs the kept designs (rows of length n)
 * @param scores their oracle scores
 * @param fullMin the smallest score of the full sample
 * @param fullMax the largest score of the full sample
 */
public record OfflineDataset(double[][] designs, double[] scores, double fullMin, double fullMax) {

    /** Checks that designs and scores match and the range is not empty. */
    public OfflineDataset {
        if (designs.length != scores.length || designs.length == 0) {
            throw new IllegalArgumentException(
                    "need as many scores as designs, at least one: "
                            + designs.length
                            + " designs, "
                            + scores.length
                            + " scores");
        }
        if (!(fullMax > fullMin)) {
            throw new IllegalArgumentException(
                    "fullMax must exceed fullMin, got " + fullMin + " and " + fullMax);
        }
    }

    /**
     * Samples a task and keeps the bottom of the sample.
     *
     * @param task the task
     * @param samples the size of the full sample, {@code >= 2}
     * @param keepPercentile the percentile of scores at or below which designs are kept, in (0,
     *     100]
     * @param seed the seed of the sample
     * @return the kept designs, with the full sample's range
     */
    public static OfflineDataset sample(
            OfflineTask task, int samples, double keepPercentile, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[samples][];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = task.sample(random);
            y[i] = task.score(x[i]);
        }
        return keepBottom(x, y, keepPercentile);
    }

    /**
     * Keeps the designs whose score is at most the given percentile of all scores (ties at the
     * threshold are kept), in their original order.
     *
     * @param designs the full sample; not modified (rows are shared)
     * @param scores its scores; not modified
     * @param keepPercentile the percentile, in (0, 100]
     * @return the kept part with the full sample's range
     */
    public static OfflineDataset keepBottom(
            double[][] designs, double[] scores, double keepPercentile) {
        if (!(keepPercentile > 0 && keepPercentile <= 100)) {
            throw new IllegalArgumentException(
                    "keepPercentile must be in (0, 100], got " + keepPercentile);
        }
        double threshold = Percentiles.of(scores, keepPercentile);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
            if (scores[i] <= threshold) {
                kept.add(i);
            }
        }
        double[][] x = new double[kept.size()][];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = designs[kept.get(i)];
            y[i] = scores[kept.get(i)];
        }
        return new OfflineDataset(x, y, min, max);
    }

    /**
     * Normalizes a score by the full sample's range.
     *
     * @param score an oracle score
     * @return {@code (score − fullMin)/(fullMax − fullMin)}; 1 is the best design of the full
     *     sample, values above 1 beat it
     */
    public double normalize(double score) {
        return (score - fullMin) / (fullMax - fullMin);
    }

    /**
     * Returns the number of kept designs.
     *
     * @return the size
     */
    public int size() {
        return scores.length;
    }

    /**
     * Returns the indices of the k best kept designs, best first (ties by index).
     *
     * @param k the count, in [1, size()]
     * @return the indices
     */
    public int[] topIndices(int k) {
        if (k < 1 || k > size()) {
            throw new IllegalArgumentException("k must be in [1, " + size() + "], got " + k);
        }
        Integer[] order = new Integer[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }
}
