package dev.descent.optim;

/**
 * Dense float64 matrix arithmetic on {@code double[][]} (row-major) for the re-derivations of the
 * matrix optimizers: written plainly, independent of the engine code.
 */
final class Matrices {

    private Matrices() {}

    static double[][] of(double[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, m[i], 0, cols);
        }
        return m;
    }

    static double[] flat(double[][] m) {
        int cols = m[0].length;
        double[] f = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * cols, cols);
        }
        return f;
    }

    static double[][] identity(int n, double scale) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = scale;
        }
        return m;
    }

    static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double x = a[i][l];
                for (int j = 0; j < m; j++) {
                    c[i][j] += x * b[l][j];
                }
            }
        }
        return c;
    }

    /** {@code α·a + β·b}. */
    static double[][] combine(double alpha, double[][] a, double beta, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = alpha * a[i][j] + beta * b[i][j];
            }
        }
        return c;
    }

    static double frobenius(double[][] m) {
        double s = 0;
        for (double[] row : m) {
            for (double x : row) {
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    static double maxAbs(double[][] m) {
        double s = 0;
        for (double[] row : m) {
            for (double x : row) {
                s = Math.max(s, Math.abs(x));
            }
        }
        return s;
    }

    /**
     * Muon's Newton–Schulz-5 (KellerJordan/Muon {@code zeropower_via_newtonschulz5}) in float64.
     */
    static double[][] newtonSchulz(double[][] g, int steps) {
        boolean tall = g.length > g[0].length;
        double[][] x = tall ? transpose(g) : g;
        double norm = frobenius(x) + 1e-7;
        x = combine(1 / norm, x, 0, x);
        for (int s = 0; s < steps; s++) {
            double[][] a = multiply(x, transpose(x));
            double[][] b = combine(-4.7750, a, 2.0315, multiply(a, a));
            x = combine(3.4445, x, 1, multiply(b, x));
        }
        return tall ? transpose(x) : x;
    }

    /** {@code X·U⁻¹} for an upper-triangular U, by forward substitution along each row. */
    static double[][] solveRightUpper(double[][] x, double[][] u) {
        int n = u.length;
        double[][] y = new double[x.length][n];
        for (int r = 0; r < x.length; r++) {
            // y·U = x: y_j = (x_j − Σ_{i<j} y_i·U_ij) / U_jj
            for (int j = 0; j < n; j++) {
                double s = x[r][j];
                for (int i = 0; i < j; i++) {
                    s -= y[r][i] * u[i][j];
                }
                y[r][j] = s / u[j][j];
            }
        }
        return y;
    }
}
