package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.descent.curvature.GraphConstants;

/**
 * A separable sparsity penalty {@code P(x) = Σ_i p(x_i)} and its proximal map, for the composite
 * problems {@code min f(x) + P(x)} of {@link ProximalGradient}, {@link ProximalConjugateGradient}
 * and the optimizer {@code dev.descent.optim.ProximalSgd}. The tuning parameter {@code lambda} is
 * part of the penalty.
 *
 * <p>The proximal map of a step {@code t > 0} is {@code prox(z, t) = argmin_x ½(x − z)² + t·p(x)},
 * with {@code S(z, u) = sign(z)·max(|z| − u, 0)} the soft threshold:
 *
 * <ul>
 *   <li>{@link L1} (Tibshirani 1996): {@code p(x) = lambda·|x|}; {@code prox = S(z, t·lambda)}.
 *   <li>{@link Mcp}, the minimax concave penalty (Zhang 2010, Ann. Statist. 38(2)): {@code p(x) =
 *       lambda·|x| − x²/(2·gamma)} for {@code |x| ≤ gamma·lambda}, else {@code gamma·lambda²/2};
 *       for {@code gamma > t}, {@code prox = S(z, t·lambda)/(1 − t/gamma)} when {@code |z| ≤
 *       gamma·lambda}, else {@code z}.
 *   <li>{@link Scad}, smoothly clipped absolute deviation (Fan and Li 2001, JASA 96(456)): {@code
 *       p(x) = lambda·|x|} for {@code |x| ≤ lambda}, {@code (2·a·lambda·|x| − x² − lambda²)/(2(a −
 *       1))} for {@code |x| ≤ a·lambda}, else {@code (a + 1)·lambda²/2}; for {@code a > 1 + t},
 *       {@code prox = S(z, t·lambda)} when {@code |z| ≤ (1 + t)·lambda}, {@code ((a − 1)·z −
 *       sign(z)·t·a·lambda)/(a − 1 − t)} when {@code |z| ≤ a·lambda}, else {@code z}.
 * </ul>
 *
 * Within those ranges ({@link #maxStep()}) {@code ½(x − z)² + t·p(x)} is strictly convex (the
 * curvature of {@code t·p} is at least {@code −t/gamma}, resp. {@code −t/(a − 1)}), so the closed
 * forms are its unique minimizers and the maps are continuous (no jump at the thresholds); outside
 * them the prox is refused. For {@code t = 1} they are ncvreg's coordinate updates on standardized
 * columns. Defaults: {@code a = 3.7} (Fan and Li's choice, ncvreg's default) and {@code gamma = 3}
 * (ncvreg's default; picasso uses 3 for SCAD too, so pass {@code a} explicitly to match it).
 */
public sealed interface Penalty {

    /** Fan and Li's SCAD parameter {@code a}, ncvreg's default. */
    double SCAD_A = 3.7;

    /** ncvreg's default MCP parameter {@code gamma}. */
    double MCP_GAMMA = 3;

    /**
     * The lasso penalty {@code lambda·|x|}.
     *
     * @param lambda the level, finite and {@code >= 0}
     * @return the penalty
     */
    static Penalty l1(double lambda) {
        return new L1(lambda);
    }

    /**
     * SCAD with {@code a = 3.7}.
     *
     * @param lambda the level, finite and {@code >= 0}
     * @return the penalty
     */
    static Penalty scad(double lambda) {
        return new Scad(lambda, SCAD_A);
    }

    /**
     * MCP with {@code gamma = 3}.
     *
     * @param lambda the level, finite and {@code >= 0}
     * @return the penalty
     */
    static Penalty mcp(double lambda) {
        return new Mcp(lambda, MCP_GAMMA);
    }

    /**
     * The level λ.
     *
     * @return λ
     */
    double lambda();

    /**
     * The same kind of penalty at another level (for a λ path).
     *
     * @param lambda the level, finite and {@code >= 0}
     * @return the penalty
     */
    Penalty withLambda(double lambda);

    /**
     * {@code p(x)} of one coordinate.
     *
     * @param x the coordinate
     * @return the penalty, {@code >= 0}
     */
    double value(double x);

    /**
     * The derivative {@code p'(x)} for {@code x ≠ 0} (the penalty is differentiable there: SCAD and
     * MCP are C¹ across their knots); at {@code x = 0} the value of the right derivative at 0 times
     * 0, i.e. 0.
     *
     * @param x the coordinate
     * @return {@code p'(x)}
     */
    double derivative(double x);

    /**
     * The largest step the proximal map accepts, exclusive: ∞ for L1, {@code gamma} for MCP, {@code
     * a − 1} for SCAD.
     *
     * @return the bound on {@code t}
     */
    double maxStep();

    /**
     * {@code prox(z, t)} of one coordinate.
     *
     * @param z the point
     * @param t the step, in {@code (0, maxStep())}
     * @return the minimizer of {@code ½(x − z)² + t·p(x)}
     * @throws IllegalArgumentException when {@code t} is out of range
     */
    double prox(double z, double t);

    /**
     * {@code prox(z, t)} elementwise on the engine, as a new array of {@code z}'s type and manager;
     * constants are {@link GraphConstants} (no Java-buffer operands), so it may also run inside a
     * recorded graph. In float32 the thresholds and factors are rounded to float32.
     *
     * @param z a floating-point array of DJL's PyTorch engine (not modified)
     * @param t the step, in {@code (0, maxStep())}
     * @return the proximal point
     * @throws IllegalArgumentException when {@code t} is out of range
     */
    NDArray prox(NDArray z, double t);

    /**
     * The sum {@code Σ p(x_i)}.
     *
     * @param x the point (not modified)
     * @return the penalty of x
     */
    default double total(double[] x) {
        double s = 0;
        for (double v : x) {
            s += value(v);
        }
        return s;
    }

    /**
     * {@code prox} of every coordinate.
     *
     * @param z the point (not modified)
     * @param t the step, in {@code (0, maxStep())}
     * @return the proximal point, a new array
     */
    default double[] prox(double[] z, double t) {
        checkStep(t);
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = prox(z[i], t);
        }
        return x;
    }

    /**
     * Refuses a step outside {@code (0, maxStep())}.
     *
     * @param t the step
     * @throws IllegalArgumentException naming the step and the bound
     */
    default void checkStep(double t) {
        if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "proximal step t must be finite and > 0, got " + t + " (" + this + ")");
        }
        if (!(t < maxStep())) {
            throw new IllegalArgumentException(
                    "proximal step t = "
                            + t
                            + " is out of range for "
                            + this
                            + ": "
                            + stepRule()
                            + " (½(x − z)² + t·p(x) is not convex otherwise)");
        }
    }

    /** The step rule in words, for messages. */
    private String stepRule() {
        if (this instanceof Mcp m) {
            return "MCP needs gamma > t, gamma = " + m.gamma();
        }
        if (this instanceof Scad s) {
            return "SCAD needs a > 1 + t, a = " + s.a();
        }
        return "";
    }

    private static void checkLambda(double lambda) {
        if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }

    /** {@code S(z, u)}. */
    private static double soft(double z, double u) {
        double m = Math.abs(z) - u;
        return m > 0 ? Math.copySign(m, z) : 0;
    }

    /** {@code S(z, u)·scale} on the engine; {@code abs} and {@code sign} are z's. */
    private static NDArray soft(NDArray abs, NDArray sign, double u, double scale) {
        try (NDArray shifted = GraphConstants.sub(abs, u);
                NDArray kept = GraphConstants.maximum(shifted, 0);
                NDArray signed = kept.mul(sign)) {
            return GraphConstants.mul(signed, scale);
        }
    }

    /** {@code where(abs ≤ bound, inside, outside)}. */
    private static NDArray below(NDArray abs, double bound, NDArray inside, NDArray outside) {
        try (NDArray b = GraphConstants.scalar(abs, bound);
                NDArray mask = abs.lte(b)) {
            return NDArrays.where(mask, inside, outside);
        }
    }

    /**
     * The lasso penalty {@code lambda·|x|}.
     *
     * @param lambda the level, finite and {@code >= 0}
     */
    record L1(double lambda) implements Penalty {

        /** Validates the level. */
        public L1 {
            checkLambda(lambda);
        }

        @Override
        public Penalty withLambda(double lambda) {
            return new L1(lambda);
        }

        @Override
        public double value(double x) {
            return lambda * Math.abs(x);
        }

        @Override
        public double derivative(double x) {
            return x == 0 ? 0 : Math.copySign(lambda, x);
        }

        @Override
        public double maxStep() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public double prox(double z, double t) {
            checkStep(t);
            return soft(z, t * lambda);
        }

        @Override
        public NDArray prox(NDArray z, double t) {
            checkStep(t);
            try (NDArray abs = z.abs();
                    NDArray sign = z.sign()) {
                return soft(abs, sign, t * lambda, 1);
            }
        }
    }

    /**
     * SCAD (Fan and Li 2001).
     *
     * @param lambda the level, finite and {@code >= 0}
     * @param a the concavity parameter, finite and {@code > 1} (the prox needs {@code a > 1 + t})
     */
    record Scad(double lambda, double a) implements Penalty {

        /** Validates the parameters. */
        public Scad {
            checkLambda(lambda);
            if (!(a > 1 && a < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("SCAD a must be finite and > 1, got " + a);
            }
        }

        @Override
        public Penalty withLambda(double lambda) {
            return new Scad(lambda, a);
        }

        @Override
        public double value(double x) {
            double u = Math.abs(x);
            if (u <= lambda) {
                return lambda * u;
            }
            if (u <= a * lambda) {
                return (2 * a * lambda * u - u * u - lambda * lambda) / (2 * (a - 1));
            }
            return (a + 1) * lambda * lambda / 2;
        }

        @Override
        public double derivative(double x) {
            double u = Math.abs(x);
            double d = u <= lambda ? lambda : u <= a * lambda ? (a * lambda - u) / (a - 1) : 0;
            return x == 0 ? 0 : Math.copySign(d, x);
        }

        @Override
        public double maxStep() {
            return a - 1;
        }

        @Override
        public double prox(double z, double t) {
            checkStep(t);
            double u = Math.abs(z);
            if (u <= (1 + t) * lambda) {
                return soft(z, t * lambda);
            }
            if (u <= a * lambda) {
                return ((a - 1) * z - Math.copySign(t * a * lambda, z)) / (a - 1 - t);
            }
            return z;
        }

        @Override
        public NDArray prox(NDArray z, double t) {
            checkStep(t);
            // middle piece: z·(a − 1)/(a − 1 − t) − sign(z)·t·a·lambda/(a − 1 − t)
            double c = a - 1 - t;
            try (NDArray abs = z.abs();
                    NDArray sign = z.sign();
                    NDArray small = soft(abs, sign, t * lambda, 1);
                    NDArray scaled = GraphConstants.mul(z, (a - 1) / c);
                    NDArray offset = GraphConstants.mul(sign, t * a * lambda / c);
                    NDArray middle = scaled.sub(offset);
                    NDArray outer = below(abs, a * lambda, middle, z)) {
                return below(abs, (1 + t) * lambda, small, outer);
            }
        }
    }

    /**
     * MCP (Zhang 2010).
     *
     * @param lambda the level, finite and {@code >= 0}
     * @param gamma the concavity parameter, finite and {@code > 0} (the prox needs {@code gamma >
     *     t})
     */
    record Mcp(double lambda, double gamma) implements Penalty {

        /** Validates the parameters. */
        public Mcp {
            checkLambda(lambda);
            if (!(gamma > 0 && gamma < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        "MCP gamma must be finite and > 0, got " + gamma);
            }
        }

        @Override
        public Penalty withLambda(double lambda) {
            return new Mcp(lambda, gamma);
        }

        @Override
        public double value(double x) {
            double u = Math.abs(x);
            return u <= gamma * lambda
                    ? lambda * u - u * u / (2 * gamma)
                    : gamma * lambda * lambda / 2;
        }

        @Override
        public double derivative(double x) {
            double d = Math.max(lambda - Math.abs(x) / gamma, 0);
            return x == 0 ? 0 : Math.copySign(d, x);
        }

        @Override
        public double maxStep() {
            return gamma;
        }

        @Override
        public double prox(double z, double t) {
            checkStep(t);
            return Math.abs(z) <= gamma * lambda ? soft(z, t * lambda) / (1 - t / gamma) : z;
        }

        @Override
        public NDArray prox(NDArray z, double t) {
            checkStep(t);
            try (NDArray abs = z.abs();
                    NDArray sign = z.sign();
                    NDArray inner = soft(abs, sign, t * lambda, 1 / (1 - t / gamma))) {
                return below(abs, gamma * lambda, inner, z);
            }
        }
    }
}
