package dev.descent.surrogate.mbo;

import java.util.SplittableRandom;

/**
 * A classical test function with its optimum moved to a seeded random point, negated so that higher
 * is better: {@code score(x) = −f(clip(x) − shift)} over the box of the function's usual domain,
 * with {@code shift} uniform in the middle 60% of the box (Rosenbrock: {@code f(z + 1)}, so that
 * the optimum is at {@code shift} too).
 *
 * <ul>
 *   <li>Ackley on [−5, 5]ⁿ: {@code f(z) = −20·exp(−0.2·√(mean z²)) − exp(mean cos 2πz) + 20 + e}.
 *   <li>Rastrigin on [−5.12, 5.12]ⁿ: {@code f(z) = 10n + Σ (z² − 10·cos 2πz)}.
 *   <li>Rosenbrock on [−2, 2]ⁿ: {@code f(z) = Σ_{i<n−1} 100(z_{i+1} − z_i²)² + (1 − z_i)²}.
 * </ul>
 *
 * The global maximum score is 0, at {@code x = shift}.
 */
public final class ShiftedFunctionTask extends BoxTask {

    /** The function families. */
    public enum Function {
        /** Ackley: one basin with many shallow local optima. */
        ACKLEY(5),
        /** Rastrigin: a regular grid of local optima. */
        RASTRIGIN(5.12),
        /** Rosenbrock: a curved valley. */
        ROSENBROCK(2);

        private final double halfWidth;

        Function(double halfWidth) {
            this.halfWidth = halfWidth;
        }
    }

    private final Function function;
    private final double[] shift;

    /**
     * Creates a task.
     *
     * @param function the family
     * @param dimension n, {@code >= 2}
     * @param seed the seed of the shift
     */
    public ShiftedFunctionTask(Function function, int dimension, long seed) {
        super(dimension, -function.halfWidth, function.halfWidth);
        if (dimension < 2) {
            throw new IllegalArgumentException("dimension must be >= 2, got " + dimension);
        }
        this.function = function;
        SplittableRandom random = new SplittableRandom(seed);
        shift = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            shift[i] = random.nextDouble(-0.6 * function.halfWidth, 0.6 * function.halfWidth);
        }
    }

    @Override
    public String name() {
        return function.name().toLowerCase(java.util.Locale.ROOT) + "-" + dimension;
    }

    /**
     * Returns the location of the global maximum.
     *
     * @return a copy of the shift
     */
    public double[] optimum() {
        return shift.clone();
    }

    @Override
    public double score(double[] point) {
        double[] x = toDesign(point);
        double[] z = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            z[i] = x[i] - shift[i];
        }
        return -switch (function) {
            case ACKLEY -> ackley(z);
            case RASTRIGIN -> rastrigin(z);
            case ROSENBROCK -> rosenbrock(z);
        };
    }

    private static double ackley(double[] z) {
        double squares = 0;
        double cosines = 0;
        for (double v : z) {
            squares += v * v;
            cosines += Math.cos(2 * Math.PI * v);
        }
        int n = z.length;
        return -20 * Math.exp(-0.2 * Math.sqrt(squares / n)) - Math.exp(cosines / n) + 20 + Math.E;
    }

    private static double rastrigin(double[] z) {
        double sum = 10.0 * z.length;
        for (double v : z) {
            sum += v * v - 10 * Math.cos(2 * Math.PI * v);
        }
        return sum;
    }

    private static double rosenbrock(double[] z) {
        double sum = 0;
        for (int i = 0; i + 1 < z.length; i++) {
            double a = z[i] + 1;
            double b = z[i + 1] + 1;
            sum += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
        }
        return sum;
    }
}
