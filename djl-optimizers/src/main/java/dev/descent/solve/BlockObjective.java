package dev.descent.solve;

/**
 * A smooth objective f: ℝⁿ → ℝ as block coordinate descent sees it: values, full gradients, the
 * true Hessian on a block (for Newton updates) and a constant upper bound H ⪰ ∇²f(x) for all x (the
 * "Lipschitz matrix" of Nutini, Laradji and Schmidt, arXiv 1712.08580): its block H_b gives the
 * block Lipschitz constant L_b = λ_max(H_b) and the matrix update, its diagonal-type constants L_i
 * the GSD rule and the sorted partition.
 *
 * <p>The four objectives of the reference (IssamLaradji/BlockCoordinateDescent, {@code
 * src/losses.py}) are built by {@link #leastSquares}, {@link #logistic}, {@link #softmax} and
 * {@link QuadraticObjective#of}. Arrays passed to the methods are not modified.
 */
public interface BlockObjective {

    /** n, the number of coordinates. */
    int dimension();

    /**
     * f(x).
     *
     * @param x a point of length n
     * @return f(x)
     */
    double value(double[] x);

    /**
     * ∇f(x).
     *
     * @param x a point of length n
     * @return a new vector of length n
     */
    double[] gradient(double[] x);

    /**
     * The true Hessian on a block, ∇²_bb f(x).
     *
     * @param x a point of length n
     * @param block distinct coordinates
     * @return a new |b| × |b| matrix
     */
    double[][] hessian(double[] x, int[] block);

    /**
     * H_b, the bound matrix used for L_b = λ_max(H_b) and for the matrix update H_b⁻¹ g_b. For
     * every objective but softmax this is the block of the global bound H; softmax uses a tighter
     * bound per block (see {@link #softmax}).
     *
     * @param block distinct coordinates
     * @return a new |b| × |b| symmetric positive semi-definite matrix
     */
    double[][] blockBound(int[] block);

    /**
     * The block of the global bound H itself (what the reference's GSQ rule inverts). Defaults to
     * {@link #blockBound}.
     *
     * @param block distinct coordinates
     * @return a new |b| × |b| matrix
     */
    default double[][] globalBound(int[] block) {
        return blockBound(block);
    }

    /**
     * H d for the global bound H (the variable-block GSQ rule's hard-thresholding iteration).
     *
     * @param d a vector of length n
     * @return a new vector of length n
     */
    double[] boundTimes(double[] d);

    /**
     * The per-coordinate Lipschitz constants L_i of the reference ({@code loss.lipschitz}): Σ_r
     * A_ri² for least squares, a quarter of it for the logistic and softmax losses, Q_ii for a
     * quadratic. Entries are finite and ≥ 0; 0 only for a coordinate f does not depend on.
     *
     * @return a new vector of length n
     */
    double[] coordinateLipschitz();

    /**
     * Σ_j |H_ij| for the global bound H (the reference's "GSDHb" scores); by default one {@link
     * #boundTimes} per coordinate.
     *
     * @return a new vector of length n
     */
    default double[] boundAbsRowSums() {
        int n = dimension();
        double[] sums = new double[n];
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = 1;
            double[] column = boundTimes(e);
            e[j] = 0;
            for (int i = 0; i < n; i++) {
                sums[i] += Math.abs(column[i]);
            }
        }
        return sums;
    }

    /**
     * f(x) = ½‖A x − b‖², H = AᵀA = ∇²f, L_i = Σ_r A_ri².
     *
     * @param a the design, m rows of length n, finite; copied
     * @param b the targets, length m, finite; copied
     * @return the objective
     * @throws IllegalArgumentException naming the first ragged row or non-finite entry
     */
    static BlockObjective leastSquares(double[][] a, double[] b) {
        return new LeastSquaresObjective(
                DenseDesign.of(a), DenseDesign.finiteCopy("b", b, a.length));
    }

    /**
     * f(x) = Σ_r log(1 + exp(−b_r (A x)_r)) with labels b_r ∈ {−1, +1}, H = ¼ AᵀA, L_i = ¼ Σ_r
     * A_ri², true Hessian Aᵀ diag(σ(1 − σ)) A with σ_r = 1 / (1 + exp(−b_r (A x)_r)).
     *
     * @param a the design, m rows of length n, finite; copied
     * @param labels −1 or +1 per row; copied
     * @return the objective
     * @throws IllegalArgumentException naming a ragged row, non-finite entry or label not ±1
     */
    static BlockObjective logistic(double[][] a, double[] labels) {
        double[] b = DenseDesign.finiteCopy("labels", labels, a.length);
        for (int r = 0; r < b.length; r++) {
            if (b[r] != 1 && b[r] != -1) {
                throw new IllegalArgumentException(
                        "labels[" + r + "] must be -1 or +1, got " + b[r]);
            }
        }
        return new LogisticObjective(DenseDesign.of(a), b);
    }

    /**
     * The multinomial logistic loss f(X) = Σ_r [logsumexp_c (A X)_rc − (A X)_r,y_r] over X ∈
     * ℝ^{p×k} stored row-major (coordinate f·k + c is feature f, class c). The reference's bounds:
     * L_i = ¼ Σ_r A_rf²; global H_(f,c),(f',c') = s(c, c')·(AᵀA)_ff' with s = ½(1 − 1/k) when c =
     * c' and −1/(2k) otherwise; the block bound uses k' = min(k, (distinct classes in the block) +
     * 1) in place of k.
     *
     * @param a the design, m rows of length p, finite; copied
     * @param labels class of each row, in [0, classes); copied
     * @param classes k ≥ 2
     * @return the objective over p·k coordinates
     * @throws IllegalArgumentException naming a ragged row, non-finite entry or label out of range
     */
    static BlockObjective softmax(double[][] a, int[] labels, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        if (labels.length != a.length) {
            throw new IllegalArgumentException(
                    "labels must have one entry per row of a ("
                            + a.length
                            + "), got "
                            + labels.length);
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException(
                        "labels[" + r + "] must be in [0, " + classes + "), got " + labels[r]);
            }
        }
        return new SoftmaxObjective(DenseDesign.of(a), labels.clone(), classes);
    }
}
