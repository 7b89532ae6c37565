package dev.descent.solve;

/** A dense float64 design matrix A (m × n, row-major) with the products the BCD losses need. */
final class DenseDesign {

    final int rows;
    final int cols;
    private final double[] a;

    private DenseDesign(int rows, int cols, double[] a) {
        this.rows = rows;
        this.cols = cols;
        this.a = a;
    }

    /** Copies a rectangular, finite matrix with at least one row and column. */
    static DenseDesign of(double[][] matrix) {
        if (matrix.length == 0 || matrix[0].length == 0) {
            throw new IllegalArgumentException("the design a needs at least one row and column");
        }
        int m = matrix.length;
        int n = matrix[0].length;
        double[] data = new double[m * n];
        for (int r = 0; r < m; r++) {
            if (matrix[r].length != n) {
                throw new IllegalArgumentException(
                        "a[" + r + "] has length " + matrix[r].length + ", expected " + n);
            }
            for (int j = 0; j < n; j++) {
                double v = matrix[r][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "a[" + r + "][" + j + "] must be finite, got " + v);
                }
                data[r * n + j] = v;
            }
        }
        return new DenseDesign(m, n, data);
    }

    /** A copy of v after checking its length and that every entry is finite. */
    static double[] finiteCopy(String name, double[] v, int length) {
        if (v.length != length) {
            throw new IllegalArgumentException(
                    name + " must have length " + length + ", got " + v.length);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] must be finite, got " + v[i]);
            }
        }
        return v.clone();
    }

    /** A x. */
    double[] times(double[] x) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                s += a[o + j] * x[j];
            }
            y[r] = s;
        }
        return y;
    }

    /** Aᵀ v. */
    double[] transposeTimes(double[] v) {
        double[] y = new double[cols];
        for (int r = 0; r < rows; r++) {
            double vr = v[r];
            if (vr == 0) {
                continue;
            }
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                y[j] += a[o + j] * vr;
            }
        }
        return y;
    }

    /** A (m × cols) times the row-major matrix x (cols × k): a new m × k row-major matrix. */
    double[] times(double[] x, int k) {
        double[] y = new double[rows * k];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                double arj = a[o + j];
                if (arj == 0) {
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    y[r * k + c] += arj * x[j * k + c];
                }
            }
        }
        return y;
    }

    /** Aᵀ v for a row-major m × k matrix v: a new cols × k row-major matrix. */
    double[] transposeTimes(double[] v, int k) {
        double[] y = new double[cols * k];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                double arj = a[o + j];
                if (arj == 0) {
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    y[j * k + c] += arj * v[r * k + c];
                }
            }
        }
        return y;
    }

    /** Σ_r A_rj² for each column j. */
    double[] columnSquares() {
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double v = a[r * cols + j];
                s[j] += v * v;
            }
        }
        return s;
    }

    /**
     * A_Sᵀ diag(w) A_S for the columns S (repeats allowed), w = null meaning the identity.
     *
     * @return a new |S| × |S| matrix
     */
    double[][] gram(int[] columns, double[] w) {
        int k = columns.length;
        double[][] g = new double[k][k];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double wr = w == null ? 1 : w[r];
            for (int p = 0; p < k; p++) {
                double ap = a[o + columns[p]] * wr;
                if (ap == 0) {
                    continue;
                }
                for (int q = 0; q < k; q++) {
                    g[p][q] += ap * a[o + columns[q]];
                }
            }
        }
        return g;
    }
}
