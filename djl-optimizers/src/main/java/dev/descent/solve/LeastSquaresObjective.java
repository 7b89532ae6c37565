package dev.descent.solve;

/** f(x) = ½‖A x − b‖² (see {@link BlockObjective#leastSquares}). */
final class LeastSquaresObjective extends CachedBounds {

    private final DenseDesign a;
    private final double[] b;

    LeastSquaresObjective(DenseDesign a, double[] b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public int dimension() {
        return a.cols;
    }

    private double[] residual(double[] x) {
        double[] r = a.times(x);
        for (int i = 0; i < r.length; i++) {
            r[i] -= b[i];
        }
        return r;
    }

    @Override
    public double value(double[] x) {
        double s = 0;
        for (double v : residual(x)) {
            s += v * v;
        }
        return 0.5 * s;
    }

    @Override
    public double[] gradient(double[] x) {
        return a.transposeTimes(residual(x));
    }

    @Override
    public double[][] hessian(double[] x, int[] block) {
        return a.gram(block, null);
    }

    @Override
    public double[][] blockBound(int[] block) {
        return a.gram(block, null);
    }

    @Override
    public double[] boundTimes(double[] d) {
        return a.transposeTimes(a.times(d));
    }

    @Override
    public double[] coordinateLipschitz() {
        return a.columnSquares();
    }
}
