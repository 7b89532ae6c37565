package dev.descent.solve;

import java.util.HashSet;
import java.util.Set;

/**
 * The multinomial logistic loss over X ∈ ℝ^{p×k}, row-major (see {@link BlockObjective#softmax}).
 */
final class SoftmaxObjective extends CachedBounds {

    private final DenseDesign a;
    private final int[] labels;
    private final int k;

    SoftmaxObjective(DenseDesign a, int[] labels, int classes) {
        this.a = a;
        this.labels = labels;
        this.k = classes;
    }

    @Override
    public int dimension() {
        return a.cols * k;
    }

    /**
     * Row-wise softmax of Z = A X, m × k row-major; also returns Σ_r logsumexp − Z_r,y_r in [0].
     */
    private double[] probabilities(double[] x, double[] lossOut) {
        double[] z = a.times(x, k);
        double loss = 0;
        for (int r = 0; r < a.rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z[r * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[r * k + c] - max);
            }
            loss += max + Math.log(sum) - z[r * k + labels[r]];
            for (int c = 0; c < k; c++) {
                z[r * k + c] = Math.exp(z[r * k + c] - max) / sum;
            }
        }
        if (lossOut != null) {
            lossOut[0] = loss;
        }
        return z;
    }

    @Override
    public double value(double[] x) {
        double[] loss = new double[1];
        probabilities(x, loss);
        return loss[0];
    }

    @Override
    public double[] gradient(double[] x) {
        double[] p = probabilities(x, null);
        for (int r = 0; r < a.rows; r++) {
            p[r * k + labels[r]] -= 1;
        }
        return a.transposeTimes(p, k);
    }

    @Override
    public double[][] hessian(double[] x, int[] block) {
        double[] p = probabilities(x, null);
        int n = block.length;
        double[][] h = new double[n][n];
        double[] row = new double[a.rows];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                int c1 = block[i] % k;
                int c2 = block[j] % k;
                for (int r = 0; r < a.rows; r++) {
                    double p1 = p[r * k + c1];
                    row[r] = c1 == c2 ? p1 * (1 - p1) : -p1 * p[r * k + c2];
                }
                double[][] g = a.gram(new int[] {block[i] / k, block[j] / k}, row);
                h[i][j] = g[0][1];
                h[j][i] = g[0][1];
            }
        }
        return h;
    }

    /** H_(f,c),(f',c') = s(c, c')·(AᵀA)_ff' with the class weights of k' classes. */
    private double[][] bound(int[] block, int kPrime) {
        int n = block.length;
        int[] features = new int[n];
        for (int i = 0; i < n; i++) {
            features[i] = block[i] / k;
        }
        double[][] g = a.gram(features, null);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = block[i] % k == block[j] % k ? 0.5 * (1 - 1.0 / kPrime) : -0.5 / kPrime;
                g[i][j] *= s;
            }
        }
        return g;
    }

    @Override
    public double[][] blockBound(int[] block) {
        Set<Integer> classes = new HashSet<>();
        for (int i : block) {
            classes.add(i % k);
        }
        return bound(block, Math.min(k, classes.size() + 1));
    }

    @Override
    public double[][] globalBound(int[] block) {
        return bound(block, k);
    }

    @Override
    public double[] boundTimes(double[] d) {
        // H d = AᵀA (d S) with S = ½(I − 11ᵀ/k) acting on the class index of d (p × k)
        double[] ds = new double[d.length];
        for (int f = 0; f < a.cols; f++) {
            double mean = 0;
            for (int c = 0; c < k; c++) {
                mean += d[f * k + c];
            }
            mean /= k;
            for (int c = 0; c < k; c++) {
                ds[f * k + c] = 0.5 * (d[f * k + c] - mean);
            }
        }
        return a.transposeTimes(a.times(ds, k), k);
    }

    @Override
    public double[] coordinateLipschitz() {
        double[] columns = a.columnSquares();
        double[] l = new double[a.cols * k];
        for (int i = 0; i < l.length; i++) {
            l[i] = 0.25 * columns[i / k];
        }
        return l;
    }
}
