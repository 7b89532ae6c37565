package dev.descent.solve;

/**
 * The least-squares loss of linear regression, {@code f(beta) = ‖y − X·beta‖² / (2n)}, with {@code
 * ∇f(beta) = −Xᵀ(y − X·beta) / n} (ncvreg's scaling of the Gaussian loss), on a dense design in
 * float64. The design may be rank-deficient (more columns than rows, repeated or zero columns): f
 * is then convex but not strictly, and a penalty decides which minimizer is found.
 */
public final class LeastSquares implements SmoothObjective {

    private final double[][] x;
    private final double[] y;
    private final int n;
    private final int p;

    private LeastSquares(double[][] x, double[] y) {
        this.x = x;
        this.y = y;
        this.n = x.length;
        this.p = x[0].length;
    }

    /**
     * The loss of a design and a response, after checking both.
     *
     * @param x the design, {@code n} rows of {@code p} columns, finite (not copied; do not modify
     *     it while the loss is used)
     * @param y the response, length {@code n}, finite (not copied)
     * @return the loss
     * @throws IllegalArgumentException naming the first ragged row, the mismatched length or the
     *     first non-finite entry
     */
    public static LeastSquares of(double[][] x, double[] y) {
        checkDesign("X", x);
        if (y == null || y.length != x.length) {
            throw new IllegalArgumentException(
                    "y must have one entry per row of X ("
                            + x.length
                            + " rows), got "
                            + (y == null ? "null" : "length " + y.length));
        }
        checkFinite("y", y);
        return new LeastSquares(x, y);
    }

    /**
     * Checks that a design is a non-empty rectangular matrix of finite numbers.
     *
     * @param name its name in messages
     * @param x the design (not modified)
     * @throws IllegalArgumentException naming the first problem
     */
    static void checkDesign(String name, double[][] x) {
        if (x == null || x.length == 0 || x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException(name + " must have at least one row and column");
        }
        int p = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != p) {
                throw new IllegalArgumentException(
                        name
                                + " must be rectangular: row 0 has "
                                + p
                                + " columns, row "
                                + i
                                + " has "
                                + (x[i] == null ? "none (null)" : x[i].length));
            }
            for (int j = 0; j < p; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] is " + x[i][j] + "; expected finite");
                }
            }
        }
    }

    /**
     * Checks that every entry is finite.
     *
     * @param name the vector's name in messages
     * @param v the vector (not modified)
     * @throws IllegalArgumentException naming the first non-finite entry
     */
    static void checkFinite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] is " + v[i] + "; expected finite");
            }
        }
    }

    @Override
    public int dimension() {
        return p;
    }

    /**
     * The number of rows n.
     *
     * @return n
     */
    public int rows() {
        return n;
    }

    @Override
    public double valueAndGradient(double[] beta, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] row = x[i];
            double fit = 0;
            for (int j = 0; j < p; j++) {
                fit += row[j] * beta[j];
            }
            double r = y[i] - fit;
            loss += r * r;
            for (int j = 0; j < p; j++) {
                gradient[j] -= row[j] * r;
            }
        }
        for (int j = 0; j < p; j++) {
            gradient[j] /= n;
        }
        return loss / (2 * n);
    }

    /**
     * The smallest λ at which {@code beta = 0} minimizes {@code f + λ‖beta‖₁} (and is stationary
     * for SCAD and MCP at that λ): {@code max_j |x_jᵀy| / n}, the top of ncvreg's λ path.
     *
     * @return λ_max
     */
    public double lambdaMax() {
        double[] g = new double[p];
        valueAndGradient(new double[p], g);
        double m = 0;
        for (double v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
