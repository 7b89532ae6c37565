package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Properties of the engine's Newton–Schulz iteration in float64, on matrices {@code U·diag(s)·Vᵀ}
 * with random orthonormal U, V (QR of Gaussian matrices) and singular values spread over a factor
 * of 10 at any overall scale from 1e-3 to 1e3.
 */
class NewtonSchulzTest {

    /**
     * The band of Muon's five quintic steps for normalized singular values down to 0.1/√24 ≈ 0.02
     * (the reference's docstring: "S' ~ Uniform(0.5, 1.5)").
     */
    private static final double BAND_LOW = 0.5;

    private static final double BAND_HIGH = 1.5;

    /** Iterations of the cubic Newton–Schulz that converge from 0.02 to float64 precision. */
    private static final int CUBIC_STEPS = 40;

    private static NDManager manager;

    @BeforeContainer
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterContainer
    static void close() {
        manager.close();
    }

    @Property(tries = 30)
    void quinticStepsLeaveSingularValuesInTheReferenceBand(
            @ForAll @IntRange(min = 1, max = 24) int rows,
            @ForAll @IntRange(min = 1, max = 24) int cols,
            @ForAll @DoubleRange(min = -3, max = 3) double log10Scale,
            @ForAll long seed) {
        double[][] g = spectrum(rows, cols, Math.pow(10, log10Scale), new Random(seed));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(Matrices.flat(g), new Shape(rows, cols));
            double[] o = NewtonSchulz.orthogonalize(x, 5).toDoubleArray();
            for (double s : singularValues(o, rows, cols)) {
                assertThat(s).isBetween(BAND_LOW, BAND_HIGH);
            }
            double[] expected = Matrices.flat(Matrices.newtonSchulz(g, 5));
            assertThat(Tolerance.firstMismatch(o, expected, Tolerance.F64_RTOL, Tolerance.F64_ATOL))
                    .as("engine vs float64 re-derivation")
                    .isEqualTo(-1);
        }
    }

    @Property(tries = 15)
    void convergedCubicIterationIsOrthogonal(
            @ForAll @IntRange(min = 1, max = 24) int rows,
            @ForAll @IntRange(min = 1, max = 24) int cols,
            @ForAll @DoubleRange(min = -3, max = 3) double log10Scale,
            @ForAll long seed) {
        double[][] g = spectrum(rows, cols, Math.pow(10, log10Scale), new Random(seed));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(Matrices.flat(g), new Shape(rows, cols));
            double[][] o =
                    Matrices.of(
                            NewtonSchulz.orthogonalize(x, CUBIC_STEPS, NewtonSchulz.CUBIC)
                                    .toDoubleArray(),
                            rows,
                            cols);
            // XᵀX = I for a tall (or square) X, X·Xᵀ = I for a wide one
            double[][] gram =
                    rows >= cols
                            ? Matrices.multiply(Matrices.transpose(o), o)
                            : Matrices.multiply(o, Matrices.transpose(o));
            double[] identity = Matrices.flat(Matrices.identity(gram.length, 1));
            assertThat(
                            Tolerance.firstMismatch(
                                    Matrices.flat(gram),
                                    identity,
                                    Tolerance.F64_RTOL,
                                    Tolerance.F64_ATOL))
                    .isEqualTo(-1);
        }
    }

    /** {@code scale·U·diag(s)·Vᵀ} with s uniform in [0.1, 1] and random orthonormal U, V. */
    private static double[][] spectrum(int rows, int cols, double scale, Random random) {
        int k = Math.min(rows, cols);
        DMatrixRMaj u = orthonormal(rows, k, random);
        DMatrixRMaj v = orthonormal(cols, k, random);
        for (int j = 0; j < k; j++) {
            double s = scale * (0.1 + 0.9 * random.nextDouble());
            for (int i = 0; i < rows; i++) {
                u.set(i, j, u.get(i, j) * s);
            }
        }
        DMatrixRMaj g = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(u, v, g);
        return Matrices.of(g.getData(), rows, cols);
    }

    private static DMatrixRMaj orthonormal(int n, int k, Random random) {
        DMatrixRMaj a = new DMatrixRMaj(n, k);
        for (int i = 0; i < n * k; i++) {
            a.data[i] = random.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, k);
        qr.decompose(a);
        return qr.getQ(null, true);
    }

    private static double[] singularValues(double[] flat, int rows, int cols) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(rows, cols, false, false, true);
        svd.decompose(new DMatrixRMaj(rows, cols, true, flat));
        double[] s = svd.getSingularValues();
        return java.util.Arrays.copyOf(s, Math.min(rows, cols));
    }
}
