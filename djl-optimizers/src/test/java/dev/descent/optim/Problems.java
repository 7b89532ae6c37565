package dev.descent.optim;

/** Deterministic inputs and test functions shared by the optimizer tests. */
final class Problems {

    private Problems() {}

    /** The starting point of the parity tests: {@code p0[i] = 0.5·cos(0.3i + 0.1)}. */
    static double[] start(int n) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.5 * StrictMath.cos(0.3 * i + 0.1);
        }
        return p;
    }

    /** The gradient at step t of the parity tests: {@code sin(0.7t + 1.3i)·(1 + 0.1i)}. */
    static double[] gradient(int t, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = StrictMath.sin(0.7 * t + 1.3 * i) * (1 + 0.1 * i);
        }
        return g;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Ill-conditioned quadratic {@code ½Σ (i+1)·x_i²}, minimum 0 at the origin. */
    static double quadratic(double[] x) {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            f += 0.5 * (i + 1) * x[i] * x[i];
        }
        return f;
    }

    static double[] quadraticGradient(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = (i + 1) * x[i];
        }
        return g;
    }

    /** Rosenbrock {@code (1 − x)² + 100(y − x²)²}, minimum 0 at (1, 1). */
    static double rosenbrock(double[] p) {
        double x = p[0];
        double y = p[1];
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    static double[] rosenbrockGradient(double[] p) {
        double x = p[0];
        double y = p[1];
        return new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
    }
}
