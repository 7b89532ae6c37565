package dev.descent.surrogate.mbo;

import java.util.SplittableRandom;

/** A continuous task over the box [lower, upper]ⁿ: uniform sampling and clipping. */
abstract class BoxTask implements OfflineTask {

    final int dimension;
    final double lower;
    final double upper;

    BoxTask(int dimension, double lower, double upper) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        this.dimension = dimension;
        this.lower = lower;
        this.upper = upper;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double[] sample(SplittableRandom random) {
        double[] x = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            x[i] = random.nextDouble(lower, upper);
        }
        return x;
    }

    @Override
    public double[] toDesign(double[] point) {
        checkLength(point, dimension);
        double[] x = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            x[i] = Math.min(upper, Math.max(lower, point[i]));
        }
        return x;
    }

    static void checkLength(double[] point, int dimension) {
        if (point.length != dimension) {
            throw new IllegalArgumentException(
                    "design must have length " + dimension + ", got " + point.length);
        }
    }
}
