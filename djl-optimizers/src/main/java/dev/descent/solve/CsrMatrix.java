package dev.descent.solve;

import java.util.Arrays;

/**
 * A sparse float64 matrix in compressed sparse row (CSR) form: the non-zeros of row i are {@code
 * values[rowStart[i] .. rowStart[i+1])} in columns {@code columns[...]}, sorted by column with no
 * duplicates. Immutable; built from (row, column, value) triplets by {@link #fromTriplets}.
 *
 * <p>This is the host-side type the linear solvers of this package work on; the products run in
 * plain Java loops over the arrays (C2 compiles them to tight scalar code).
 */
public final class CsrMatrix {

    private final int rows;
    private final int cols;
    final int[] rowStart;
    final int[] columns;
    final double[] values;

    private CsrMatrix(int rows, int cols, int[] rowStart, int[] columns, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
    }

    /**
     * Builds a matrix from triplets; entries at the same position are summed, zeros are kept as
     * stored entries only if given explicitly.
     *
     * @param rows number of rows, ≥ 1
     * @param cols number of columns, ≥ 1
     * @param row row index of each entry, not modified
     * @param col column index of each entry, not modified
     * @param value value of each entry (finite), not modified
     * @throws IllegalArgumentException naming the first entry out of range or not finite
     */
    public static CsrMatrix fromTriplets(int rows, int cols, int[] row, int[] col, double[] value) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "a matrix needs at least one row and column, got " + rows + " x " + cols);
        }
        if (row.length != col.length || row.length != value.length) {
            throw new IllegalArgumentException(
                    "triplet arrays differ in length: rows "
                            + row.length
                            + ", columns "
                            + col.length
                            + ", values "
                            + value.length);
        }
        int[] count = new int[rows + 1];
        for (int k = 0; k < row.length; k++) {
            if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException(
                        "entry "
                                + k
                                + " at ("
                                + row[k]
                                + ", "
                                + col[k]
                                + ") lies outside the "
                                + rows
                                + " x "
                                + cols
                                + " matrix");
            }
            if (!Double.isFinite(value[k])) {
                throw new IllegalArgumentException(
                        "entry " + k + " at (" + row[k] + ", " + col[k] + ") is " + value[k]);
            }
            count[row[k] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            count[i + 1] += count[i];
        }
        // Bucket by row, then sort each row by column and merge duplicates.
        int[] order = new int[row.length];
        int[] next = Arrays.copyOf(count, rows);
        for (int k = 0; k < row.length; k++) {
            order[next[row[k]]++] = k;
        }
        int[] start = new int[rows + 1];
        int[] cs = new int[row.length];
        double[] vs = new double[row.length];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            start[i] = n;
            int from = count[i];
            int to = count[i + 1];
            long[] keyed = new long[to - from];
            for (int k = from; k < to; k++) {
                keyed[k - from] = ((long) col[order[k]] << 32) | order[k];
            }
            Arrays.sort(keyed);
            for (long key : keyed) {
                int c = (int) (key >>> 32);
                double v = value[(int) key];
                if (n > start[i] && cs[n - 1] == c) {
                    vs[n - 1] += v;
                } else {
                    cs[n] = c;
                    vs[n] = v;
                    n++;
                }
            }
        }
        start[rows] = n;
        return new CsrMatrix(rows, cols, start, Arrays.copyOf(cs, n), Arrays.copyOf(vs, n));
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nonZeros() {
        return rowStart[rows];
    }

    /**
     * The row pointers: row i's entries are at {@code [rowPointers()[i], rowPointers()[i + 1])} of
     * {@link #columnIndices()} and {@link #values()}.
     *
     * @return a copy, of length {@link #rows()} + 1
     */
    public int[] rowPointers() {
        return rowStart.clone();
    }

    /**
     * The column of each stored entry, ascending within a row.
     *
     * @return a copy, of length {@link #nonZeros()}
     */
    public int[] columnIndices() {
        return columns.clone();
    }

    /**
     * The value of each stored entry, in the order of {@link #columnIndices()}.
     *
     * @return a copy, of length {@link #nonZeros()}
     */
    public double[] values() {
        return values.clone();
    }

    /**
     * The stored value at (i, j), 0 where nothing is stored.
     *
     * @param i row, in [0, rows)
     * @param j column, in [0, cols)
     * @return A[i, j]
     * @throws IndexOutOfBoundsException naming the position when it lies outside the matrix
     */
    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException(
                    "(" + i + ", " + j + ") lies outside the " + rows + " x " + cols + " matrix");
        }
        int k = Arrays.binarySearch(columns, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? values[k] : 0;
    }

    /**
     * y = A x.
     *
     * @param x vector of length {@link #cols()}, not modified
     * @param y vector of length {@link #rows()}, overwritten
     */
    public void multiply(double[] x, double[] y) {
        if (x.length != cols || y.length != rows) {
            throw new IllegalArgumentException(
                    "multiply: a "
                            + rows
                            + " x "
                            + cols
                            + " matrix needs x of length "
                            + cols
                            + " and y of length "
                            + rows
                            + ", got "
                            + x.length
                            + " and "
                            + y.length);
        }
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                s += values[k] * x[columns[k]];
            }
            y[i] = s;
        }
    }

    /**
     * A x as a new vector.
     *
     * @param x vector of length {@link #cols()}, not modified
     * @return A x
     */
    public double[] multiply(double[] x) {
        double[] y = new double[rows];
        multiply(x, y);
        return y;
    }

    /** The main diagonal, of length min(rows, cols); 0 where nothing is stored. */
    public double[] diagonal() {
        double[] d = new double[Math.min(rows, cols)];
        for (int i = 0; i < d.length; i++) {
            d[i] = get(i, i);
        }
        return d;
    }

    /**
     * A + c·I, for a square matrix.
     *
     * @param c the shift, finite
     * @return a new matrix
     */
    public CsrMatrix plusIdentity(double c) {
        requireSquare("plusIdentity");
        if (!Double.isFinite(c)) {
            throw new IllegalArgumentException("the shift c must be finite, got " + c);
        }
        int n = nonZeros();
        int[] r = new int[n + rows];
        int[] cc = new int[n + rows];
        double[] v = new double[n + rows];
        for (int i = 0; i < rows; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                r[k] = i;
                cc[k] = columns[k];
                v[k] = values[k];
            }
            r[n + i] = i;
            cc[n + i] = i;
            v[n + i] = c;
        }
        return fromTriplets(rows, cols, r, cc, v);
    }

    /**
     * Whether A = Aᵀ entry by entry within a tolerance.
     *
     * @param tolerance largest |A[i,j] − A[j,i]| allowed, relative to max |A[i,j]|
     * @return true for a square matrix that is symmetric within the tolerance
     */
    public boolean isSymmetric(double tolerance) {
        if (rows != cols) {
            return false;
        }
        double scale = 0;
        for (double v : values) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < rows; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                if (Math.abs(values[k] - get(columns[k], i)) > tolerance * scale) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A dense row-major copy (rows × cols), for tests and small direct solves. */
    public double[][] toDense() {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                a[i][columns[k]] = values[k];
            }
        }
        return a;
    }

    void requireSquare(String operation) {
        if (rows != cols) {
            throw new IllegalArgumentException(
                    operation + " needs a square matrix, got " + rows + " x " + cols);
        }
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + " x " + cols + ", " + nonZeros() + " non-zeros]";
    }
}
