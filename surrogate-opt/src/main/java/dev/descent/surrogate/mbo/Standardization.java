package dev.descent.surrogate.mbo;

/**
 * Per-column z-scoring {@code z = (x − mean)/scale}, with the population standard deviation as the
 * scale (1 for a constant column, which then maps to 0).
 *
 * @param mean the column means
 * @param scale the column scales, all positive
 */
public record Standardization(double[] mean, double[] scale) {

    /**
     * Fits the columns of a table.
     *
     * @param rows at least one row, all of one length; not modified
     * @return the standardization
     */
    public static Standardization fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("need at least one row to standardize");
        }
        int n = rows[0].length;
        double[] mean = new double[n];
        double[] scale = new double[n];
        for (double[] row : rows) {
            for (int j = 0; j < n; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < n; j++) {
            mean[j] /= rows.length;
        }
        for (double[] row : rows) {
            for (int j = 0; j < n; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
        }
        for (int j = 0; j < n; j++) {
            double sd = Math.sqrt(scale[j] / rows.length);
            scale[j] = sd > 0 ? sd : 1;
        }
        return new Standardization(mean, scale);
    }

    /**
     * Fits a single column.
     *
     * @param values at least one value; not modified
     * @return the standardization of one column
     */
    public static Standardization fit(double[] values) {
        return fit(column(values));
    }

    /**
     * Standardizes rows.
     *
     * @param rows rows of the fitted length; not modified
     * @return new rows {@code (x − mean)/scale}
     */
    public double[][] apply(double[][] rows) {
        double[][] z = new double[rows.length][mean.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                z[i][j] = (rows[i][j] - mean[j]) / scale[j];
            }
        }
        return z;
    }

    /**
     * Maps standardized rows back.
     *
     * @param rows standardized rows; not modified
     * @return new rows {@code z·scale + mean}
     */
    public double[][] invert(double[][] rows) {
        double[][] x = new double[rows.length][mean.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                x[i][j] = rows[i][j] * scale[j] + mean[j];
            }
        }
        return x;
    }

    static double[][] column(double[] values) {
        double[][] rows = new double[values.length][1];
        for (int i = 0; i < values.length; i++) {
            rows[i][0] = values[i];
        }
        return rows;
    }
}
