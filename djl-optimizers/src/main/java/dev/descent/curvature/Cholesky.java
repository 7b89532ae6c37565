package dev.descent.curvature;

/**
 * Cholesky factors {@code K = L·Lᵀ} of small symmetric positive definite matrices on the host, each
 * an n×n row-major {@code double[]}; only the lower triangle of {@code K} is read.
 *
 * <p>The factor is computed row by row (row i of L needs row i of K and rows 0…i−1 of L), so when
 * only row and column k of K change, rows 0…k−1 of L stay valid and {@link #factorRows} recomputes
 * rows k…n−1 alone: {@code (n³ − k³)/6} multiply-adds instead of {@code n³/6}.
 */
final class Cholesky {

    private Cholesky() {}

    /**
     * Factors rows {@code from…n−1} of {@code K = a + shift·I} into {@code l}.
     *
     * @param a K without its diagonal shift (not modified)
     * @param shift added to the diagonal of {@code a}
     * @param l the factor; rows before {@code from} must hold the factor of the unchanged leading
     *     block (modified: rows from…n−1, lower triangle)
     * @param n the order
     * @param from the first row to recompute
     * @throws IllegalStateException when K is not numerically positive definite
     */
    static void factorRows(double[] a, double shift, double[] l, int n, int from) {
        for (int i = from; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j < i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= l[ri + k] * l[rj + k];
                }
                l[ri + j] = s / l[rj + j];
            }
            double s = a[ri + i] + shift;
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * l[ri + k];
            }
            if (!(s > 0)) {
                throw new IllegalStateException(
                        "the m×m system GGᵀ + λ·m·I is not numerically positive definite (pivot "
                                + s
                                + " at row "
                                + i
                                + "): the damping is too small for gradients of this size");
            }
            l[ri + i] = Math.sqrt(s);
        }
    }

    /**
     * Solves {@code L·Lᵀ·z = b} in place for the n values of {@code b} from {@code offset}.
     *
     * @param l the factor (not modified)
     * @param n the order
     * @param b the right-hand side, replaced by the solution
     * @param offset where it starts in {@code b}
     */
    static void solve(double[] l, int n, double[] b, int offset) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = b[offset + i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * b[offset + k];
            }
            b[offset + i] = s / l[ri + i];
        }
        // Lᵀ·z = y by columns of Lᵀ, which are the rows of L: contiguous reads
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            double z = b[offset + i] / l[ri + i];
            b[offset + i] = z;
            for (int k = 0; k < i; k++) {
                b[offset + k] -= l[ri + k] * z;
            }
        }
    }

    /**
     * Writes {@code L⁻¹} (lower triangular) into {@code out} from {@code offset}, row-major.
     *
     * @param l the factor (not modified)
     * @param n the order
     * @param out receives the n² entries (modified)
     * @param offset where they start in {@code out}
     */
    static void invertLower(double[] l, int n, double[] out, int offset) {
        for (int j = 0; j < n; j++) {
            // column j of L⁻¹ by forward substitution of L·x = e_j (x is zero above row j)
            out[offset + j * n + j] = 1 / l[j * n + j];
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[ri + k] * out[offset + k * n + j];
                }
                out[offset + ri + j] = s / l[ri + i];
            }
        }
    }
}
