package dev.descent.solve;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Screening of the columns of a design before a penalized fit: rank the features by a marginal
 * utility and keep the top d.
 *
 * <ul>
 *   <li>{@link #sureIndependence}: sure independence screening (Fan and Lv, JRSS-B 70(5), 2008),
 *       utility {@code |corr(x_j, y)|}, the componentwise regression {@code |x_jᵀy|} on
 *       standardized columns.
 *   <li>{@link #mutualInformation}: the estimated mutual information {@code I(x_j; y)} ({@link
 *       MutualInformation#ksg}, k-nearest neighbours), which also sees non-linear dependence.
 * </ul>
 *
 * Fan and Lv's default size is {@code d = ⌊n / ln n⌋} ({@link #defaultSize}).
 */
public final class FeatureScreening {

    private FeatureScreening() {}

    /**
     * Features ranked by a utility.
     *
     * @param scores the utility of each feature, by column
     * @param order the columns from the highest utility to the lowest (ties: lower column first)
     */
    public record Ranking(double[] scores, int[] order) {

        /**
         * The top d columns, in increasing column order.
         *
         * @param d how many to keep, in [1, p]
         * @return the kept columns
         * @throws IllegalArgumentException when d is out of range
         */
        public int[] top(int d) {
            if (d < 1 || d > order.length) {
                throw new IllegalArgumentException(
                        "d must be in [1, " + order.length + "], got " + d);
            }
            int[] kept = Arrays.copyOf(order, d);
            Arrays.sort(kept);
            return kept;
        }
    }

    /**
     * Fan and Lv's screening size {@code ⌊n / ln n⌋}, at least 1.
     *
     * @param n the number of observations, {@code >= 2}
     * @return d
     */
    public static int defaultSize(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2, got " + n);
        }
        return Math.max(1, (int) Math.floor(n / Math.log(n)));
    }

    /**
     * Ranks the columns by {@code |corr(x_j, y)|}.
     *
     * @param x the design, n ≥ 2 rows, finite, no constant column (not modified)
     * @param y the response, length n, finite, not constant (not modified)
     * @return the ranking
     * @throws IllegalArgumentException naming a non-finite entry, a constant column or response, or
     *     a length mismatch
     */
    public static Ranking sureIndependence(double[][] x, double[] y) {
        StandardizedDesign design = StandardizedDesign.of(x);
        double[] z = standardizedResponse(x, y);
        int n = x.length;
        int p = x[0].length;
        double[] scores = new double[p];
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += design.x()[i][j] * z[i];
            }
            scores[j] = Math.abs(s / n);
        }
        return rank(scores);
    }

    /**
     * Ranks the columns by the KSG estimate of {@code I(x_j; y)}.
     *
     * @param x the design, n rows, finite, no constant column (not modified)
     * @param y the response, length n, finite, not constant (not modified)
     * @param k the estimator's number of neighbours, in [1, n − 1] (3 is scikit-learn's default)
     * @param seed the seed of the estimator's tie-breaking jitter (column j uses {@code seed + j})
     * @return the ranking
     * @throws IllegalArgumentException naming a non-finite entry, a constant column or response, or
     *     a length mismatch
     */
    public static Ranking mutualInformation(double[][] x, double[] y, int k, long seed) {
        LeastSquares.checkDesign("X", x);
        standardizedResponse(x, y);
        int n = x.length;
        int p = x[0].length;
        double[] scores = new double[p];
        double[] column = new double[n];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = x[i][j];
            }
            try {
                scores[j] = MutualInformation.ksg(column, y, k, seed + j);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + j + " of X: " + e.getMessage(), e);
            }
        }
        return rank(scores);
    }

    private static double[] standardizedResponse(double[][] x, double[] y) {
        if (y == null || y.length != x.length) {
            throw new IllegalArgumentException(
                    "y must have one entry per row of X ("
                            + x.length
                            + " rows), got "
                            + (y == null ? "null" : "length " + y.length));
        }
        LeastSquares.checkFinite("y", y);
        double[][] column = new double[y.length][1];
        for (int i = 0; i < y.length; i++) {
            column[i][0] = y[i];
        }
        double[][] z;
        try {
            z = StandardizedDesign.of(column).x();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "y is constant: no feature can be ranked by its dependence on it", e);
        }
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = z[i][0];
        }
        return out;
    }

    private static Ranking rank(double[] scores) {
        int[] order =
                IntStream.range(0, scores.length)
                        .boxed()
                        .sorted(
                                Comparator.comparingDouble((Integer j) -> -scores[j])
                                        .thenComparingInt(j -> j))
                        .mapToInt(Integer::intValue)
                        .toArray();
        return new Ranking(scores, order);
    }
}
