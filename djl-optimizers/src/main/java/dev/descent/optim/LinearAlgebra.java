package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.HostArrays;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRDecomposition_DDRB_to_DDRM;
import org.ejml.dense.row.decomposition.qr.QRDecomposition_FDRB_to_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F32;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The dense decompositions the matrix-preconditioned optimizers need and DJL's NDArray API lacks:
 * the eigenvectors of a symmetric matrix, the orthogonal factor of a QR decomposition, and the
 * inverse root of a symmetric positive definite matrix.
 *
 * <p>Each is tried in this order until one succeeds (a failure is a decomposition that does not
 * converge, raises, or returns NaN or infinities):
 *
 * <ol>
 *   <li>in the engine, by libtorch's LAPACK-backed {@code torch.linalg} ({@link
 *       EngineLinearAlgebra}), in the matrix's own type;
 *   <li>on the host with EJML, in float32 for a float32 matrix;
 *   <li>on the host with EJML in float64 (rounded back to float32 for a float32 matrix).
 * </ol>
 *
 * <p>The host attempts copy the matrix to the CPU and their result back to the matrix's device,
 * type and manager ({@link HostArrays}), so they hold for a matrix on a GPU too.
 *
 * <p>When every attempt fails the methods return {@code null}, and the caller keeps what it had
 * (SOAP and Shampoo keep their previous basis or root and log a warning): a failed decomposition
 * never reaches a weight.
 *
 * <p>Why the engine first: {@code descent bench-matrix} ({@code docs/benchmarks.md}) measured
 * torch.linalg's QR (the operation of every SOAP refresh) of 1024×1024 float32 matrices 1.6–2.2×
 * faster than EJML's and its eigendecomposition 1.2–1.9× faster on the shared 2-core machine
 * (LAPACK uses the engine's threads, EJML one); an in-engine Gram–Schmidt QR built from matrix
 * products was slower than both. On an accelerator the engine path also keeps the statistics on the
 * device. EJML stays as the fallback and the float64 retry.
 */
public final class LinearAlgebra {

    private LinearAlgebra() {}

    /**
     * Returns the eigenvectors of a symmetric matrix as the columns of an orthogonal matrix, in
     * descending order of their eigenvalues.
     *
     * @param a a square float32 or float64 matrix, symmetric (only its values are read; not
     *     modified)
     * @return a new array of {@code a}'s shape, type and manager, or {@code null} when the
     *     decomposition failed in every precision tried
     */
    public static NDArray symmetricEigenvectors(NDArray a) {
        NDArray engine = EngineLinearAlgebra.symmetricEigenvectors(a);
        return engine != null ? engine : hostSymmetricEigenvectors(a);
    }

    /**
     * Returns the eigenvectors as {@link #symmetricEigenvectors} does, with EJML only (float32,
     * then float64).
     *
     * @param a a square float32 or float64 matrix, symmetric (not modified)
     * @return a new array of {@code a}'s shape, type and manager, or {@code null}
     */
    public static NDArray hostSymmetricEigenvectors(NDArray a) {
        Eigen eigen = decompose(a);
        return eigen == null ? null : create(a, eigen.vectors());
    }

    /**
     * Returns {@code a^(−1/root)} of a symmetric matrix known to be {@code ⪰ floor·I}, {@code
     * Q·diag(max(λ, floor)^(−1/root))·Qᵀ}: the eigendecomposition tried in the order above, the
     * product in the engine. Raising the eigenvalues to {@code floor} changes nothing in exact
     * arithmetic; it repairs the rounding of a float32 statistic whose smallest eigenvalues sit
     * below the rounding of its largest (Shampoo's {@code ε·I + Σ G·Gᵀ} after many steps).
     *
     * @param a a square float32 or float64 symmetric matrix (not modified)
     * @param root the root, {@code > 0}
     * @param floor the smallest eigenvalue {@code a} has in exact arithmetic, {@code > 0}
     * @return a new array of {@code a}'s shape, type and manager, or {@code null} when every
     *     decomposition failed
     */
    public static NDArray inverseRoot(NDArray a, double root, double floor) {
        NDList engine = EngineLinearAlgebra.symmetricEigen(a);
        NDList parts;
        if (engine != null) {
            parts = engine;
        } else {
            Eigen eigen = decompose(a);
            if (eigen == null) {
                return null;
            }
            parts = new NDList(create(a, eigen.values()), create(a, eigen.vectors()));
        }
        try (parts;
                NDArray raised = parts.get(0).maximum(floor);
                NDArray scale = raised.pow(-1 / root);
                NDArray scaled = parts.get(1).mul(scale);
                NDArray qt = parts.get(1).transpose()) {
            return scaled.matMul(qt);
        }
    }

    /** Eigenvalues (descending) and eigenvectors (columns of a row-major matrix). */
    private record Eigen(double[] values, double[] vectors) {}

    private static Eigen decompose(NDArray a) {
        int n = squareSize(a);
        double[] f64;
        if (a.getDataType() == DataType.FLOAT32) {
            float[] values = HostArrays.toFloats(a);
            Eigen f32 = eigen(values, n);
            if (f32 != null) {
                return f32;
            }
            f64 = toDouble(values);
        } else {
            f64 = HostArrays.toDoubles(a);
        }
        Eigen eigen = eigen(f64, n);
        return eigen;
    }

    /** Host values in {@code like}'s type, on its device and manager: its shape, or a vector. */
    private static NDArray create(NDArray like, double[] values) {
        Shape shape =
                values.length == like.getShape().size()
                        ? like.getShape()
                        : new Shape(values.length);
        return HostArrays.fromHost(values, shape, like);
    }

    /**
     * Eigen-decomposes a symmetric row-major {@code n×n} matrix in float32.
     *
     * @return the eigenvalues in descending order and the eigenvectors as columns (widened to
     *     double), or {@code null} when EJML fails or returns non-finite values
     */
    private static Eigen eigen(float[] a, int n) {
        if (!allFinite(a)) {
            return null;
        }
        EigenDecomposition_F32<FMatrixRMaj> eig = DecompositionFactory_FDRM.eig(n, true, true);
        if (!eig.decompose(new FMatrixRMaj(n, n, true, a))) {
            return null;
        }
        return sorted(
                n,
                i -> eig.getEigenvalue(i).getReal(),
                i -> {
                    FMatrixRMaj v = eig.getEigenVector(i);
                    return v == null ? null : row -> v.get(row, 0);
                });
    }

    /** The float64 form of {@link #eigen(float[], int)}. */
    private static Eigen eigen(double[] a, int n) {
        if (!allFinite(a)) {
            return null;
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, a))) {
            return null;
        }
        return sorted(
                n,
                i -> eig.getEigenvalue(i).getReal(),
                i -> {
                    DMatrixRMaj v = eig.getEigenVector(i);
                    return v == null ? null : row -> v.get(row, 0);
                });
    }

    /**
     * Orders a decomposition's eigenpairs by descending eigenvalue, in either precision.
     *
     * @param n the size
     * @param eigenvalue the i-th eigenvalue (real part)
     * @param eigenvector the i-th eigenvector as a function of the row, or {@code null} when the
     *     decomposition has none
     * @return the ordered pairs, eigenvectors as the columns of a row-major matrix, or {@code null}
     *     when a vector is missing or a value is not finite
     */
    private static Eigen sorted(
            int n, IntToDoubleFunction eigenvalue, IntFunction<IntToDoubleFunction> eigenvector) {
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = eigenvalue.applyAsDouble(i);
        }
        int[] order = descending(lambda);
        double[] values = new double[n];
        double[] q = new double[n * n];
        for (int col = 0; col < n; col++) {
            values[col] = lambda[order[col]];
            IntToDoubleFunction v = eigenvector.apply(order[col]);
            if (v == null) {
                return null;
            }
            for (int row = 0; row < n; row++) {
                q[row * n + col] = v.applyAsDouble(row);
            }
        }
        return allFinite(q) && allFinite(values) ? new Eigen(values, q) : null;
    }

    /**
     * Returns the orthogonal factor {@code Q} of {@code a = Q·R} (Householder QR; the signs of the
     * columns are EJML's, which may differ from LAPACK's).
     *
     * @param a a square float32 or float64 matrix (not modified)
     * @return a new array of {@code a}'s shape, type and manager, or {@code null} when the
     *     decomposition failed in every precision tried
     */
    public static NDArray orthogonalFactor(NDArray a) {
        NDArray engine = EngineLinearAlgebra.orthogonalFactor(a);
        return engine != null ? engine : hostOrthogonalFactor(a);
    }

    /**
     * Returns {@code Q} as {@link #orthogonalFactor} does, with EJML only (float32, then float64).
     *
     * @param a a square float32 or float64 matrix (not modified)
     * @return a new array of {@code a}'s shape, type and manager, or {@code null}
     */
    public static NDArray hostOrthogonalFactor(NDArray a) {
        int n = squareSize(a);
        if (a.getDataType() == DataType.FLOAT32) {
            float[] values = HostArrays.toFloats(a);
            float[] f32 = orthogonalFactor(values, n);
            if (f32 != null) {
                // widening is exact, so the result holds f32's values
                return create(a, toDouble(f32));
            }
            double[] f64 = orthogonalFactor(toDouble(values), n);
            return f64 == null ? null : create(a, f64);
        }
        double[] f64 = orthogonalFactor(HostArrays.toDoubles(a), n);
        return f64 == null ? null : create(a, f64);
    }

    /**
     * The orthogonal factor of the QR decomposition of a row-major {@code n×n} matrix in float32
     * (EJML's blocked Householder QR).
     *
     * @param a the matrix (not modified)
     * @param n its size
     * @return {@code Q}, row-major, or {@code null} when EJML fails or returns non-finite values
     */
    static float[] orthogonalFactor(float[] a, int n) {
        if (!allFinite(a)) {
            return null;
        }
        QRDecomposition_FDRB_to_FDRM qr = new QRDecomposition_FDRB_to_FDRM();
        if (!qr.decompose(new FMatrixRMaj(n, n, true, a))) {
            return null;
        }
        float[] q = qr.getQ(null, false).data;
        return allFinite(q) ? q : null;
    }

    /** The float64 form of {@link #orthogonalFactor(float[], int)}. */
    static double[] orthogonalFactor(double[] a, int n) {
        if (!allFinite(a)) {
            return null;
        }
        QRDecomposition_DDRB_to_DDRM qr = new QRDecomposition_DDRB_to_DDRM();
        if (!qr.decompose(new DMatrixRMaj(n, n, true, a))) {
            return null;
        }
        double[] q = qr.getQ(null, false).data;
        return allFinite(q) ? q : null;
    }

    private static int squareSize(NDArray a) {
        Shape shape = a.getShape();
        if (shape.dimension() != 2 || shape.get(0) != shape.get(1)) {
            throw new IllegalArgumentException("expected a square matrix, got shape " + shape);
        }
        DataType type = a.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("expected float32 or float64, got " + type);
        }
        return Math.toIntExact(shape.get(0));
    }

    /**
     * Returns the indices of {@code values} in descending order of value (ties in index order).
     *
     * @param values the values (not modified)
     * @return the permutation
     */
    static int[] descending(double[] values) {
        return IntStream.range(0, values.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -values[i]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinite(double[] values) {
        return Arrays.stream(values).allMatch(Double::isFinite);
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
