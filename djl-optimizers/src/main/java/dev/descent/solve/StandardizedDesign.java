package dev.descent.solve;

/**
 * A design with centred columns scaled to {@code (1/n)·Σ_i x_ij² = 1} (ncvreg's standardization),
 * with the means and scales needed to map coefficients back: {@code beta_original_j = beta_j /
 * scale_j}, intercept {@code mean(y) − Σ_j means_j·beta_original_j}.
 *
 * @param x the standardized design (a new array)
 * @param means the column means of the original design
 * @param scales the column root-mean-squares after centring
 */
public record StandardizedDesign(double[][] x, double[] means, double[] scales) {

    /**
     * Standardizes a design.
     *
     * @param x the design, n ≥ 2 rows of p columns, finite (not modified)
     * @return the standardized design
     * @throws IllegalArgumentException naming a non-finite entry, or a constant column (zero
     *     variance: it cannot be scaled, and it carries no information beyond an intercept; drop it
     *     first)
     */
    public static StandardizedDesign of(double[][] x) {
        LeastSquares.checkDesign("X", x);
        int n = x.length;
        int p = x[0].length;
        if (n < 2) {
            throw new IllegalArgumentException("X needs at least 2 rows to standardize, got " + n);
        }
        double[] means = new double[p];
        double[] scales = new double[p];
        double[][] z = new double[n][p];
        for (int j = 0; j < p; j++) {
            double m = 0;
            for (double[] row : x) {
                m += row[j];
            }
            m /= n;
            double ss = 0;
            double largest = 0;
            for (double[] row : x) {
                double c = row[j] - m;
                ss += c * c;
                largest = Math.max(largest, Math.abs(row[j]));
            }
            double s = Math.sqrt(ss / n);
            if (!(s > 1e-12 * Math.max(largest, Double.MIN_NORMAL))) {
                throw new IllegalArgumentException(
                        "column "
                                + j
                                + " of X is constant (root-mean-square deviation "
                                + s
                                + "): it cannot be standardized; drop it (the design is rank"
                                + " deficient with an intercept)");
            }
            means[j] = m;
            scales[j] = s;
            for (int i = 0; i < n; i++) {
                z[i][j] = (x[i][j] - m) / s;
            }
        }
        return new StandardizedDesign(z, means, scales);
    }
}
