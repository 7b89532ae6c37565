package dev.descent.solve;

/** f(x) = Σ_r log(1 + exp(−b_r (A x)_r)) (see {@link BlockObjective#logistic}). */
final class LogisticObjective extends CachedBounds {

    private final DenseDesign a;
    private final double[] b;

    LogisticObjective(DenseDesign a, double[] b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public int dimension() {
        return a.cols;
    }

    @Override
    public double value(double[] x) {
        double[] z = a.times(x);
        double s = 0;
        for (int r = 0; r < z.length; r++) {
            double t = -b[r] * z[r]; // log(1 + e^t), stable for either sign of t
            s += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
        }
        return s;
    }

    @Override
    public double[] gradient(double[] x) {
        double[] z = a.times(x);
        double[] v = new double[z.length];
        for (int r = 0; r < z.length; r++) {
            v[r] = -b[r] * sigmoid(-b[r] * z[r]);
        }
        return a.transposeTimes(v);
    }

    @Override
    public double[][] hessian(double[] x, int[] block) {
        double[] z = a.times(x);
        double[] w = new double[z.length];
        for (int r = 0; r < z.length; r++) {
            double s = sigmoid(b[r] * z[r]);
            w[r] = s * (1 - s);
        }
        return a.gram(block, w);
    }

    @Override
    public double[][] blockBound(int[] block) {
        double[][] h = a.gram(block, null);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= 0.25;
            }
        }
        return h;
    }

    @Override
    public double[] boundTimes(double[] d) {
        double[] y = a.transposeTimes(a.times(d));
        for (int j = 0; j < y.length; j++) {
            y[j] *= 0.25;
        }
        return y;
    }

    @Override
    public double[] coordinateLipschitz() {
        double[] l = a.columnSquares();
        for (int j = 0; j < l.length; j++) {
            l[j] *= 0.25;
        }
        return l;
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }
}
