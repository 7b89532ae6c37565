package dev.descent.solve;

/**
 * f(x) = ½ xᵀQx − cᵀx for a sparse symmetric Q with a positive diagonal: ∇f = Q x − c, the bound
 * and the Hessian are Q itself (H_b = Q_bb), L_i = Q_ii. This is the reference's
 * "BeliefPropagation" loss (label propagation on a graph): Q's off-diagonal non-zeros are the edges
 * of the graph that {@link GaussianBeliefPropagation} and the forest block rules use.
 */
public final class QuadraticObjective implements BlockObjective {

    private final CsrMatrix q;
    private final double[] c;
    private final double[] diagonal;

    private QuadraticObjective(CsrMatrix q, double[] c) {
        this.q = q;
        this.c = c;
        this.diagonal = q.diagonal();
    }

    /**
     * The quadratic ½ xᵀQx − cᵀx.
     *
     * @param q square, symmetric to 1e-12·max|Q_ij|, with Q_ii &gt; 0
     * @param c the linear term, length n, finite; copied
     * @return the objective
     * @throws IllegalArgumentException naming what is wrong
     */
    public static QuadraticObjective of(CsrMatrix q, double[] c) {
        if (q.rows() != q.cols()) {
            throw new IllegalArgumentException(
                    "q must be square, got " + q.rows() + " x " + q.cols());
        }
        if (!q.isSymmetric(1e-12)) {
            throw new IllegalArgumentException("q must be symmetric");
        }
        double[] d = q.diagonal();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] > 0)) {
                throw new IllegalArgumentException(
                        "q[" + i + "][" + i + "] must be > 0 (Q positive definite), got " + d[i]);
            }
        }
        return new QuadraticObjective(q, DenseDesign.finiteCopy("c", c, q.rows()));
    }

    /** Q. */
    public CsrMatrix matrix() {
        return q;
    }

    /** c, a copy. */
    public double[] linearTerm() {
        return c.clone();
    }

    @Override
    public int dimension() {
        return q.rows();
    }

    @Override
    public double value(double[] x) {
        double[] qx = q.multiply(x);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * (0.5 * qx[i] - c[i]);
        }
        return s;
    }

    @Override
    public double[] gradient(double[] x) {
        double[] g = q.multiply(x);
        for (int i = 0; i < g.length; i++) {
            g[i] -= c[i];
        }
        return g;
    }

    @Override
    public double[][] hessian(double[] x, int[] block) {
        return blockBound(block);
    }

    @Override
    public double[][] blockBound(int[] block) {
        double[][] h = new double[block.length][block.length];
        for (int i = 0; i < block.length; i++) {
            for (int j = 0; j < block.length; j++) {
                h[i][j] = q.get(block[i], block[j]);
            }
        }
        return h;
    }

    @Override
    public double[] boundTimes(double[] d) {
        return q.multiply(d);
    }

    @Override
    public double[] coordinateLipschitz() {
        return diagonal.clone();
    }

    @Override
    public double[] boundAbsRowSums() {
        double[] s = new double[q.rows()];
        for (int i = 0; i < s.length; i++) {
            for (int k = q.rowStart[i]; k < q.rowStart[i + 1]; k++) {
                s[i] += Math.abs(q.values[k]);
            }
        }
        return s;
    }
}
