package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Seeded probe vectors and scalar reductions shared by the estimators. */
final class Vectors {

    private Vectors() {}

    /** A Rademacher vector (entries ±1 with equal probability) in the operator's image. */
    static NDArray rademacher(SymmetricOperator op, NDManager manager, SplittableRandom random) {
        double[] v = new double[Math.toIntExact(op.dimension())];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextBoolean() ? 1 : -1;
        }
        return like(op, manager, v);
    }

    /** A standard normal vector in the operator's image. */
    static NDArray gaussian(SymmetricOperator op, NDManager manager, SplittableRandom random) {
        double[] v = new double[Math.toIntExact(op.dimension())];
        for (int i = 0; i < v.length; i += 2) {
            // Box–Muller: two independent normals from two uniforms
            double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            double phi = 2 * Math.PI * random.nextDouble();
            v[i] = r * Math.cos(phi);
            if (i + 1 < v.length) {
                v[i + 1] = r * Math.sin(phi);
            }
        }
        return like(op, manager, v);
    }

    private static NDArray like(SymmetricOperator op, NDManager manager, double[] values) {
        try (NDArray zeros = op.zeros(manager)) {
            return HostArrays.fromHost(values, new Shape(values.length), zeros);
        }
    }

    /** The inner product as a double. */
    static double dot(NDArray a, NDArray b) {
        try (NDArray product = a.mul(b);
                NDArray sum = product.sum()) {
            return HostArrays.scalar(sum);
        }
    }

    /** The Euclidean norm as a double. */
    static double norm(NDArray a) {
        return Math.sqrt(dot(a, a));
    }

    /** The entries of an array of any floating type, widened to double on the host. */
    static double[] toHost(NDArray a) {
        return HostArrays.toDoubles(a);
    }

    /** Host values as an array of the given shape with the data type and device of {@code like}. */
    static NDArray fromHost(double[] values, Shape shape, NDArray like) {
        return HostArrays.fromHost(values, shape, like);
    }

    /**
     * Requires every entry to be finite: one reduction, and on failure a scan on the host that
     * names the first bad entry.
     */
    static void requireFinite(String what, NDArray v) {
        try (NDArray sum = v.sum()) {
            if (Double.isFinite(HostArrays.scalar(sum))) {
                return;
            }
        }
        double[] values = toHost(v);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        what + " must be finite, got " + values[i] + " at index " + i);
            }
        }
    }
}
