package dev.descent.solve;

import java.util.Random;

/**
 * The k-nearest-neighbour estimator of the mutual information of two continuous variables of
 * Kraskov, Stögbauer and Grassberger (Phys. Rev. E 69, 066138, 2004, estimator (8), "KSG 1"):
 *
 * <pre>
 * eps_i = distance from (u_i, v_i) to its k-th nearest neighbour, max-norm
 * nu_i  = #{j ≠ i : |u_j − u_i| &lt; eps_i},  nv_i = #{j ≠ i : |v_j − v_i| &lt; eps_i}
 * I     = psi(k) + psi(N) − mean_i(psi(nu_i + 1) + psi(nv_i + 1)),  clipped at 0
 * </pre>
 *
 * in nats, with psi the digamma function. As scikit-learn's {@code mutual_info_regression} does,
 * both variables are first scaled to unit standard deviation and a seeded jitter of {@code 1e-10·
 * max(1, mean|u|)·N(0, 1)} is added to break ties (the counts assume distinct values); the same
 * seed gives the same estimate. Cost O(N²) per pair. Default k = 3 (scikit-learn's {@code
 * n_neighbors}).
 */
public final class MutualInformation {

    /** scikit-learn's default number of neighbours. */
    public static final int DEFAULT_NEIGHBOURS = 3;

    private MutualInformation() {}

    /**
     * Estimates I(u; v).
     *
     * @param u the first variable, N ≥ k + 1 finite values, not constant (not modified)
     * @param v the second variable, same length, finite, not constant (not modified)
     * @param k the number of neighbours, {@code >= 1}
     * @param seed the seed of the tie-breaking jitter
     * @return the estimate in nats, {@code >= 0}
     * @throws IllegalArgumentException naming a length mismatch, a non-finite value, a constant
     *     variable or k out of range
     */
    public static double ksg(double[] u, double[] v, int k, long seed) {
        if (u.length != v.length) {
            throw new IllegalArgumentException(
                    "u and v must have the same length, got " + u.length + " and " + v.length);
        }
        if (k < 1 || k >= u.length) {
            throw new IllegalArgumentException(
                    "k must be in [1, N - 1] = [1, " + (u.length - 1) + "], got " + k);
        }
        Random random = new Random(seed);
        double[] a = scaled("u", u, random);
        double[] b = scaled("v", v, random);
        int n = a.length;
        double[] distances = new double[n - 1];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    distances[m++] = Math.max(Math.abs(a[j] - a[i]), Math.abs(b[j] - b[i]));
                }
            }
            double eps = kth(distances, k);
            int nu = 0;
            int nv = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    if (Math.abs(a[j] - a[i]) < eps) {
                        nu++;
                    }
                    if (Math.abs(b[j] - b[i]) < eps) {
                        nv++;
                    }
                }
            }
            sum += digamma(nu + 1) + digamma(nv + 1);
        }
        return Math.max(0, digamma(k) + digamma(n) - sum / n);
    }

    /** Scales to unit standard deviation and adds the jitter. */
    private static double[] scaled(String name, double[] x, Random random) {
        LeastSquares.checkFinite(name, x);
        int n = x.length;
        double mean = 0;
        for (double d : x) {
            mean += d;
        }
        mean /= n;
        double ss = 0;
        for (double d : x) {
            ss += (d - mean) * (d - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        if (!(sd > 0)) {
            throw new IllegalArgumentException(
                    name
                            + " is constant: its mutual information with anything is 0 by definition"
                            + " and the estimator's distances are undefined");
        }
        double[] s = new double[n];
        double meanAbs = 0;
        for (int i = 0; i < n; i++) {
            s[i] = x[i] / sd;
            meanAbs += Math.abs(s[i]);
        }
        double jitter = 1e-10 * Math.max(1, meanAbs / n);
        for (int i = 0; i < n; i++) {
            s[i] += jitter * random.nextGaussian();
        }
        return s;
    }

    /** The k-th smallest value (1-based) by partial selection; reorders {@code d}. */
    private static double kth(double[] d, int k) {
        int lo = 0;
        int hi = d.length - 1;
        int target = k - 1;
        while (lo < hi) {
            double pivot = d[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (d[i] < pivot) {
                    i++;
                }
                while (d[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = d[i];
                    d[i] = d[j];
                    d[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return d[target];
            }
        }
        return d[target];
    }

    /**
     * The digamma function ψ(x) for x &gt; 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10,
     * then the asymptotic series ln x − 1/(2x) − Σ B_2k/(2k x^2k) to x⁻¹⁰ (truncation error below
     * 1e-14 there).
     *
     * @param x the argument, &gt; 0
     * @return ψ(x)
     */
    static double digamma(double x) {
        double result = 0;
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        double series =
                f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
        return result + Math.log(x) - 0.5 / x - series;
    }
}
