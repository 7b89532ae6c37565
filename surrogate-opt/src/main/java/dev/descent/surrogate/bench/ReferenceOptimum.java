package dev.descent.surrogate.bench;

import dev.descent.onnx.Surrogate;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.SurrogateProblem;
import java.util.List;
import java.util.Random;

/**
 * Estimates the best feasible value f* of a benchmark problem by multistart projected gradient
 * ascent with exact input gradients, all starts advanced together as one batch — a reference for
 * the profiles, not a competitor (its evaluations are not counted against any solver).
 *
 * <p>Starts: x₀, every corner of the box when n ≤ 10, and uniform random points of the box (seeded)
 * up to {@code starts} in all. Each start follows Adam on the merit φ(x) = f(Φ(x)) − {@value
 * #PENALTY}·Σ_i max(0, c_i(Φ(x)))² with learning rate {@code 0.02·(upper − lower)} per coordinate,
 * cosine-decayed to zero over {@code steps} steps, projected onto the box after each step. The
 * estimate is the largest f over the feasible points (all c_i ≤ 0) seen at any step, x₀ included.
 *
 * <p>It is a lower bound on the true maximum; the profiles take the larger of it and the best value
 * any solver found.
 */
public final class ReferenceOptimum {

    /** The penalty weight on squared violations in the ascent merit. */
    public static final double PENALTY = 100;

    /** Adam's first-moment decay. */
    private static final double BETA1 = 0.9;

    /** Adam's second-moment decay. */
    private static final double BETA2 = 0.999;

    /** Adam's denominator guard. */
    private static final double EPSILON = 1e-8;

    /** The initial learning rate as a fraction of each side of the box. */
    private static final double RELATIVE_RATE = 0.02;

    /** Boxes up to this dimension contribute their 2ⁿ corners as starts. */
    private static final int MAX_CORNER_DIMENSION = 10;

    private ReferenceOptimum() {}

    /**
     * Estimates f*.
     *
     * @param problem the problem; its bounds must be finite
     * @param starts the number of starts, ≥ 1
     * @param steps the ascent steps per start, ≥ 1
     * @param seed the seed of the random starts
     * @return the largest feasible objective seen, or −∞ if no feasible point was seen
     */
    public static double estimate(SurrogateProblem problem, int starts, int steps, long seed) {
        if (starts < 1 || steps < 1) {
            throw new IllegalArgumentException(
                    "starts and steps must be >= 1, got " + starts + " and " + steps);
        }
        int n = problem.dimension();
        double[] lower = problem.lower();
        double[] upper = problem.upper();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(lower[i]) || !Double.isFinite(upper[i])) {
                throw new IllegalArgumentException(
                        "the reference optimum needs finite bounds, variable " + i + " has none");
            }
        }
        double[][] x = startPoints(problem, starts, seed);
        int k = x.length;
        double[][] m = new double[k][n];
        double[][] v = new double[k][n];
        Surrogate phi = problem.surrogate();
        double best = Double.NEGATIVE_INFINITY;
        for (int t = 1; t <= steps + 1; t++) {
            double[][] y = phi.evaluate(x);
            double[][] cotangents = new double[k][];
            for (int r = 0; r < k; r++) {
                cotangents[r] = meritCotangent(problem, y[r]);
                if (feasible(problem.constraints(), y[r])) {
                    best = Math.max(best, problem.objective().value(y[r]));
                }
            }
            if (t == steps + 1) {
                break;
            }
            double[][] g = phi.vectorJacobianProduct(x, cotangents);
            double rate = 0.5 * (1 + Math.cos(Math.PI * (t - 1) / steps));
            for (int r = 0; r < k; r++) {
                for (int i = 0; i < n; i++) {
                    m[r][i] = BETA1 * m[r][i] + (1 - BETA1) * g[r][i];
                    v[r][i] = BETA2 * v[r][i] + (1 - BETA2) * g[r][i] * g[r][i];
                    double mHat = m[r][i] / (1 - Math.pow(BETA1, t));
                    double vHat = v[r][i] / (1 - Math.pow(BETA2, t));
                    double step =
                            RELATIVE_RATE
                                    * (upper[i] - lower[i])
                                    * rate
                                    * mHat
                                    / (Math.sqrt(vHat) + EPSILON);
                    x[r][i] = Math.min(upper[i], Math.max(lower[i], x[r][i] + step));
                }
            }
        }
        return best;
    }

    private static double[][] startPoints(SurrogateProblem problem, int starts, long seed) {
        int n = problem.dimension();
        double[] lower = problem.lower();
        double[] upper = problem.upper();
        double[][] x = new double[starts][];
        x[0] = problem.start();
        int next = 1;
        if (n <= MAX_CORNER_DIMENSION) {
            for (int c = 0; c < (1 << n) && next < starts; c++) {
                double[] corner = new double[n];
                for (int i = 0; i < n; i++) {
                    corner[i] = ((c >> i) & 1) == 0 ? lower[i] : upper[i];
                }
                x[next++] = corner;
            }
        }
        Random random = new Random(seed);
        while (next < starts) {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = lower[i] + random.nextDouble() * (upper[i] - lower[i]);
            }
            x[next++] = p;
        }
        return x;
    }

    private static boolean feasible(List<OutputFunction> constraints, double[] y) {
        for (OutputFunction c : constraints) {
            if (c.value(y) > 0) {
                return false;
            }
        }
        return true;
    }

    /** ∇_y of f(y) − PENALTY·Σ max(0, c_i(y))². */
    private static double[] meritCotangent(SurrogateProblem problem, double[] y) {
        double[] u = problem.objective().gradient(y);
        for (OutputFunction c : problem.constraints()) {
            double value = c.value(y);
            if (value > 0) {
                double[] g = c.gradient(y);
                for (int j = 0; j < u.length; j++) {
                    u[j] -= 2 * PENALTY * value * g[j];
                }
            }
        }
        return u;
    }
}
