package dev.descent.solve;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * ChebCB: a contextual bandit for a scalar context that models each arm's cost as a Chebyshev
 * polynomial of the context, fitted by least squares, and picks arms by inverse-gap weighting
 * (Khodak et al., <i>Learning to relax</i>, ICLR 2024; {@code learners/ChebCB.m} of
 * mkhodak/learning-to-relax).
 *
 * <p>With d arms, context range [a, b], degree m − 1 (m = 6 in the reference: T₀..T₅), round t:
 *
 * <pre>
 * φ = (T₀(z), …, T_{m−1}(z)),  z = 2 (c − a)/(b − a) − 1          (features)
 * ŷ_i = θ_i · φ,  i* = argmin ŷ                                     (predicted scaled costs)
 * p_i = 1 / (d + η (ŷ_i − ŷ_{i*})) for i ≠ i*,  p_{i*} = 1 − Σ_{i≠i*} p_i
 * draw I ~ p, observe ℓ;  K = max ℓ,  L = K / (b − a),  N = 2 + 4 (b − a) L / K · (1 + ln m)
 * scale = K N,  ub = (1/N, 2 (b − a) L / scale / k for k = 1 .. m−1)
 * θ_i = minimum-norm least squares of F_i θ ≈ (ℓ_i − 1)/scale over the rounds arm i was played
 *       (every arm when scale changed, else only I); when some |θ_ij| &gt; ub_j, the least squares
 *       refit inside the box −ub ≤ θ ≤ ub, whose squared residual is "resnorm" (0 otherwise)
 * α = (π + (2/π) ln(2m + 1)) / (2 scale (m + 1)) · (b − a) L
 * R = Σ_{s ≤ t} (θ_{I_s} · φ_s − ℓ_s / scale)²   (the prediction at round s, θ as it was then)
 * η = 2 t √(d t / (R − resnorm + 2 α² t))
 * </pre>
 *
 * η starts at 0 (uniform picks). Deviations from the reference: its L = (max ℓ − min ℓ)/(b − a)
 * takes the min over a zero-filled buffer of length T, so it is K / (b − a) in every round but the
 * last; that is the form used here. The box-constrained refit is an exact convex QP solved by
 * cyclic projected coordinate descent on the normal equations (the reference calls {@code lsqlin});
 * the minimum-norm fit is EJML's SVD pseudo-inverse (the reference's {@code lsqminnorm}). When R −
 * resnorm &lt; 0 it is taken as 0. A context outside [a, b] is an error.
 */
public final class ChebCb implements ArmLearner {

    /** The reference's number of Chebyshev features, T₀..T₅. */
    public static final int DEFAULT_FEATURES = 6;

    private static final int MAX_SWEEPS = 20_000;

    private final int arms;
    private final int m;
    private final double low;
    private final double high;
    private final double width;
    private final SplittableRandom random;
    private final double[][] theta;
    private double eta;
    private double scale;
    private int round = 1;
    private double maxCost;
    private double squaredErrors;

    private double[][] features = new double[64][];
    private int[] actions = new int[64];
    private double[] costs = new double[64];
    private double[] predicted = new double[64];
    private int picked = -1;

    /**
     * A ChebCB learner.
     *
     * @param arms d ≥ 1
     * @param features m ≥ 1, the number of Chebyshev polynomials T₀..T_{m−1}
     * @param low a, lower end of the context range
     * @param high b &gt; a
     * @param seed seed of the arm draws
     * @throws IllegalArgumentException naming the argument out of range
     */
    public ChebCb(int arms, int features, double low, double high, long seed) {
        LearnerChecks.requireArms(arms);
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        this.width = LearnerChecks.requireRange(low, high);
        this.arms = arms;
        this.m = features;
        this.low = low;
        this.high = high;
        this.random = new SplittableRandom(seed);
        this.theta = new double[arms][features];
    }

    @Override
    public int arms() {
        return arms;
    }

    /**
     * The Chebyshev features T₀(z)..T_{m−1}(z) of a context, z its image in [−1, 1], by T₀ = 1, T₁
     * = z, T_{j+1} = 2 z T_j − T_{j−1}.
     *
     * @param context a context in [a, b]
     * @return m features
     */
    public double[] features(double context) {
        LearnerChecks.requireInRange(context, low, high);
        return chebyshev(2 * (context - low) / width - 1, m);
    }

    static double[] chebyshev(double z, int m) {
        double[] phi = new double[m];
        phi[0] = 1;
        if (m > 1) {
            phi[1] = z;
        }
        for (int j = 2; j < m; j++) {
            phi[j] = 2 * z * phi[j - 1] - phi[j - 2];
        }
        return phi;
    }

    /** The current coefficients θ_i of arm i (a copy). */
    public double[] coefficients(int arm) {
        return theta[arm].clone();
    }

    /** The current η of the inverse-gap weighting. */
    public double eta() {
        return eta;
    }

    /**
     * The distribution of the pick for a context, by inverse-gap weighting of the predictions.
     *
     * @param context a context in [a, b]
     * @return p over the arms (a new array)
     */
    public double[] probabilities(double context) {
        return weights(predictions(features(context)));
    }

    private double[] predictions(double[] phi) {
        double[] yhat = new double[arms];
        for (int i = 0; i < arms; i++) {
            yhat[i] = dot(theta[i], phi);
        }
        return yhat;
    }

    private double[] weights(double[] yhat) {
        int best = 0;
        for (int i = 1; i < arms; i++) {
            if (yhat[i] < yhat[best]) {
                best = i;
            }
        }
        double[] p = new double[arms];
        double others = 0;
        for (int i = 0; i < arms; i++) {
            if (i != best) {
                p[i] = 1 / (arms + eta * (yhat[i] - yhat[best]));
                others += p[i];
            }
        }
        p[best] = 1 - others;
        return p;
    }

    @Override
    public int select(double context) {
        double[] phi = features(context);
        if (picked >= 0) {
            throw new IllegalStateException("ChebCB: update(cost) must follow each select");
        }
        int i = LearnerChecks.sample(weights(predictions(phi)), random.nextDouble());
        int t = round - 1;
        if (t == actions.length) {
            int grown = 2 * t;
            features = Arrays.copyOf(features, grown);
            actions = Arrays.copyOf(actions, grown);
            costs = Arrays.copyOf(costs, grown);
            predicted = Arrays.copyOf(predicted, grown);
        }
        features[t] = phi;
        actions[t] = i;
        predicted[t] = dot(theta[i], phi);
        picked = i;
        return i;
    }

    @Override
    public void update(double cost) {
        LearnerChecks.requireCost(cost);
        if (picked < 0) {
            throw new IllegalStateException("ChebCB: update(cost) without a select");
        }
        int t = round;
        costs[t - 1] = cost;
        maxCost = Math.max(maxCost, cost);
        double k = maxCost;
        double lipschitz = k / width;
        double n = 2 + 4 * width * lipschitz / k * (1 + Math.log(m));
        boolean rescaled = scale != k * n;
        scale = k * n;
        double[] ub = new double[m];
        ub[0] = 1 / n;
        for (int j = 1; j < m; j++) {
            ub[j] = 2 * width * lipschitz / scale / j;
        }
        double resnorm = 0;
        for (int i = 0; i < arms; i++) {
            if (rescaled || i == picked) {
                double boxed = refit(i, t, ub);
                if (boxed >= 0) {
                    resnorm = boxed;
                }
            }
        }
        double alpha =
                (Math.PI + 2 / Math.PI * Math.log(2.0 * m + 1))
                        / (2 * scale * (m + 1))
                        * width
                        * lipschitz;
        double r = 0;
        for (int s = 0; s < t; s++) {
            double e = predicted[s] - costs[s] / scale;
            r += e * e;
        }
        squaredErrors = r;
        double denominator = Math.max(0, r - resnorm) + 2 * alpha * alpha * t;
        eta = 2.0 * t * Math.sqrt(arms * t / denominator);
        round++;
        picked = -1;
    }

    /** Σ_s (prediction − ℓ_s / scale)² after the last update (the reference's R). */
    double squaredErrors() {
        return squaredErrors;
    }

    /**
     * Refits θ_i on the first t rounds; returns the squared residual of a box-constrained refit, or
     * −1 when none was needed (or the arm was never played).
     */
    private double refit(int arm, int t, double[] ub) {
        int count = 0;
        for (int s = 0; s < t; s++) {
            if (actions[s] == arm) {
                count++;
            }
        }
        if (count == 0) {
            return -1;
        }
        double[][] f = new double[count][];
        double[] y = new double[count];
        int row = 0;
        for (int s = 0; s < t; s++) {
            if (actions[s] == arm) {
                f[row] = features[s];
                y[row] = (costs[s] - 1) / scale;
                row++;
            }
        }
        double[] fit = minimumNormLeastSquares(f, y);
        boolean inside = true;
        for (int j = 0; j < m; j++) {
            inside &= Math.abs(fit[j]) <= ub[j];
        }
        theta[arm] = fit;
        if (inside) {
            return -1;
        }
        double[] lb = new double[m];
        for (int j = 0; j < m; j++) {
            lb[j] = -ub[j];
        }
        theta[arm] = boxLeastSquares(f, y, lb, ub, fit);
        return squaredResidual(f, y, theta[arm]);
    }

    /**
     * The minimum-norm least-squares solution of F θ ≈ y (EJML's SVD pseudo-inverse).
     *
     * @param f rows of F
     * @param y targets
     * @return θ
     */
    static double[] minimumNormLeastSquares(double[][] f, double[] y) {
        int rows = f.length;
        int cols = f[0].length;
        DMatrixRMaj a = new DMatrixRMaj(f);
        DMatrixRMaj rhs = new DMatrixRMaj(rows, 1, true, y);
        DMatrixRMaj x = new DMatrixRMaj(cols, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        if (!solver.setA(a)) {
            throw new IllegalStateException("ChebCB: the SVD of the feature matrix failed");
        }
        solver.solve(rhs, x);
        return x.getData().clone();
    }

    /**
     * min ‖F θ − y‖² subject to lb ≤ θ ≤ ub, by cyclic coordinate minimization on the normal
     * equations G θ = h (G = FᵀF, h = Fᵀy), each coordinate minimized exactly and clipped to its
     * box, from the clipped start; stops when a sweep moves no coordinate by more than 1e-15
     * relative, or after 20000 sweeps. The problem is convex, so the limit is its minimum.
     *
     * @param f rows of F
     * @param y targets
     * @param lb lower bounds
     * @param ub upper bounds, ≥ lb
     * @param start where to start (clipped into the box)
     * @return θ
     */
    static double[] boxLeastSquares(
            double[][] f, double[] y, double[] lb, double[] ub, double[] start) {
        int m = lb.length;
        double[][] g = new double[m][m];
        double[] h = new double[m];
        for (int s = 0; s < f.length; s++) {
            for (int i = 0; i < m; i++) {
                h[i] += f[s][i] * y[s];
                for (int j = 0; j < m; j++) {
                    g[i][j] += f[s][i] * f[s][j];
                }
            }
        }
        double[] x = new double[m];
        for (int j = 0; j < m; j++) {
            x[j] = Math.min(ub[j], Math.max(lb[j], start[j]));
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double moved = 0;
            for (int j = 0; j < m; j++) {
                double target;
                if (g[j][j] > 0) {
                    double gradient = dot(g[j], x) - h[j];
                    target = x[j] - gradient / g[j][j];
                } else {
                    target = 0;
                }
                double clipped = Math.min(ub[j], Math.max(lb[j], target));
                moved = Math.max(moved, Math.abs(clipped - x[j]) / Math.max(1e-300, ub[j] - lb[j]));
                x[j] = clipped;
            }
            if (moved <= 1e-15) {
                break;
            }
        }
        return x;
    }

    static double squaredResidual(double[][] f, double[] y, double[] x) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double e = dot(f[i], x) - y[i];
            s += e * e;
        }
        return s;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
