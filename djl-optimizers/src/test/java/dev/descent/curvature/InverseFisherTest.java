package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * M-FAC's dynamic and static inverse-Fisher algorithms against the explicit inverse of {@code λI +
 * (1/m)·Σ g_i g_iᵀ} built and inverted densely in float64 (EJML).
 */
class InverseFisherTest {

    /**
     * float64 engine and Woodbury against a dense float64 inverse of a matrix whose condition
     * number is at most about |g|²/(mλ) ≈ 1e4 here: rounding times the condition number.
     */
    private static final double F64_RTOL = 1e-9;

    /** float32 engine against the float64 inverse: float32 rounding times the condition number. */
    private static final double F32_RTOL = 2e-3;

    private static final double DAMPING = 1e-3;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The explicit F⁻¹ of the given gradients, block-diagonal over blocks of {@code blockSize}. */
    static SimpleMatrix explicitInverse(
            List<double[]> window, int m, double damping, int blockSize) {
        int d = window.get(0).length;
        SimpleMatrix f = SimpleMatrix.identity(d).scale(damping);
        for (double[] g : window) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    if (i / blockSize == j / blockSize) {
                        f.set(i, j, f.get(i, j) + g[i] * g[j] / m);
                    }
                }
            }
        }
        return f.invert();
    }

    private static double[] times(SimpleMatrix a, double[] v) {
        return HessianVectorProductTest.times(a, v);
    }

    private static double[] gradient(int d, long seed) {
        return HessianVectorProductTest.randomVector(d, seed);
    }

    private static double scaleOf(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private void assertClose(double[] actual, double[] expected, double rtol, String what) {
        assertThat(actual).as(what).containsExactly(expected, within(rtol * scaleOf(expected)));
    }

    @Test
    void productsEqualTheExplicitInverseBeforeAndAfterTheRingBufferWrapsAround() {
        int d = 7;
        int m = 3;
        List<double[]> added = new ArrayList<>();
        double[] x = gradient(d, 100);
        try (InverseFisher fisher =
                InverseFisher.create(d, m, DAMPING, 0, DataType.FLOAT64, manager)) {
            for (int t = 0; t < 2 * m + 1; t++) {
                double[] g = gradient(d, t);
                added.add(g);
                double[] fg = fisher.addAndMultiply(manager.create(g)).toDoubleArray();
                List<double[]> window = added.subList(Math.max(0, added.size() - m), added.size());
                SimpleMatrix inverse = explicitInverse(window, m, DAMPING, d);
                assertClose(fg, times(inverse, g), F64_RTOL, "F⁻¹g after " + (t + 1) + " adds");
                double[] fx = fisher.multiply(manager.create(x)).toDoubleArray();
                assertClose(fx, times(inverse, x), F64_RTOL, "F⁻¹x after " + (t + 1) + " adds");
            }
            assertThat(fisher.position()).isEqualTo(1);
        }
    }

    @Test
    void blockwiseProductsEqualTheBlockDiagonalInverseWithAPaddedLastBlock() {
        int d = 10;
        int m = 2;
        int blockSize = 4;
        List<double[]> added = new ArrayList<>();
        try (InverseFisher fisher =
                InverseFisher.create(d, m, DAMPING, blockSize, DataType.FLOAT64, manager)) {
            for (int t = 0; t < 3; t++) {
                double[] g = gradient(d, 10 + t);
                added.add(g);
                fisher.add(manager.create(g));
            }
            double[] x = gradient(d, 20);
            SimpleMatrix inverse = explicitInverse(added.subList(1, 3), m, DAMPING, blockSize);
            assertClose(
                    fisher.multiply(manager.create(x)).toDoubleArray(),
                    times(inverse, x),
                    F64_RTOL,
                    "blockwise F⁻¹x");
        }
    }

    @Test
    void float32ProductsAgreeWithTheFloat64Inverse() {
        int d = 50;
        int m = 8;
        List<double[]> added = new ArrayList<>();
        try (InverseFisher fisher =
                InverseFisher.create(d, m, DAMPING, 0, DataType.FLOAT32, manager)) {
            for (int t = 0; t < m + 3; t++) {
                double[] g = gradient(d, 30 + t);
                added.add(g);
                fisher.add(manager.create(g).toType(DataType.FLOAT32, false));
            }
            double[] x = gradient(d, 50);
            SimpleMatrix inverse =
                    explicitInverse(added.subList(added.size() - m, added.size()), m, DAMPING, d);
            double[] fx =
                    fisher.multiply(manager.create(x).toType(DataType.FLOAT32, false))
                            .toType(DataType.FLOAT64, false)
                            .toDoubleArray();
            assertClose(fx, times(inverse, x), F32_RTOL, "float32 F⁻¹x");
        }
    }

    @Test
    void staticEntriesDiagonalAndProductsEqualTheExplicitInverse() {
        int d = 9;
        int m = 4;
        for (int blockSize : new int[] {0, 4}) {
            List<double[]> grads = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                grads.add(gradient(d, 40 + i));
            }
            SimpleMatrix inverse =
                    explicitInverse(grads, m, DAMPING, blockSize == 0 ? d : blockSize);
            NDArray matrix = manager.create(grads.toArray(new double[0][]));
            try (StaticInverseFisher fisher = StaticInverseFisher.of(matrix, DAMPING, blockSize)) {
                double[] diagonal = fisher.diagonal(manager).toDoubleArray();
                double[] expectedDiagonal = new double[d];
                for (int q = 0; q < d; q++) {
                    expectedDiagonal[q] = inverse.get(q, q);
                    for (int r = 0; r < d; r++) {
                        assertThat(fisher.entry(q, r))
                                .as("[F⁻¹]_%d,%d with blocks of %d", q, r, blockSize)
                                .isCloseTo(inverse.get(q, r), within(F64_RTOL / DAMPING));
                    }
                }
                assertClose(diagonal, expectedDiagonal, F64_RTOL, "diagonal, blocks " + blockSize);
                double[] x = gradient(d, 60);
                assertClose(
                        fisher.multiply(manager.create(x)).toDoubleArray(),
                        times(inverse, x),
                        F64_RTOL,
                        "static F⁻¹x, blocks " + blockSize);
            }
        }
    }

    @Test
    void theStaticFormOfAWrappedWindowHasTheExplicitDiagonal() {
        int d = 6;
        int m = 2;
        List<double[]> added = new ArrayList<>();
        try (InverseFisher fisher =
                InverseFisher.create(d, m, DAMPING, 0, DataType.FLOAT64, manager)) {
            for (int t = 0; t < 5; t++) {
                double[] g = gradient(d, 70 + t);
                added.add(g);
                fisher.add(manager.create(g));
            }
            SimpleMatrix inverse = explicitInverse(added.subList(3, 5), m, DAMPING, d);
            double[] expected = new double[d];
            for (int q = 0; q < d; q++) {
                expected[q] = inverse.get(q, q);
            }
            try (StaticInverseFisher frozen = fisher.toStatic(manager)) {
                assertClose(
                        frozen.diagonal(manager).toDoubleArray(),
                        expected,
                        F64_RTOL,
                        "diagonal after wrap-around");
            }
        }
    }

    @Test
    void aRestoredWindowContinuesBitIdentically() {
        int d = 12;
        int m = 3;
        try (InverseFisher original =
                InverseFisher.create(d, m, DAMPING, 5, DataType.FLOAT32, manager)) {
            for (int t = 0; t < 4; t++) {
                original.add(manager.create(gradient(d, 80 + t)).toType(DataType.FLOAT32, false));
            }
            try (InverseFisher restored =
                    InverseFisher.restore(
                            d,
                            DAMPING,
                            5,
                            original.gradients().duplicate(),
                            original.position(),
                            original.dots())) {
                for (int t = 0; t < 3; t++) {
                    NDArray g = manager.create(gradient(d, 90 + t)).toType(DataType.FLOAT32, false);
                    assertThat(restored.addAndMultiply(g).toFloatArray())
                            .as("step %d after restore", t)
                            .containsExactly(original.addAndMultiply(g).toFloatArray());
                }
            }
        }
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> InverseFisher.create(5, 0, DAMPING, 0, DataType.FLOAT32, manager))
                .hasMessage("m (the number of gradients) must be >= 1, got 0");
        assertThatThrownBy(() -> InverseFisher.create(5, 2, 0, 0, DataType.FLOAT32, manager))
                .hasMessage("damping must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> InverseFisher.create(5, 2, -1e-5, 0, DataType.FLOAT32, manager))
                .hasMessage("damping must be finite and > 0, got -1.0E-5");
        assertThatThrownBy(
                        () -> InverseFisher.create(5, 2, Double.NaN, 0, DataType.FLOAT32, manager))
                .hasMessage("damping must be finite and > 0, got NaN");
        assertThatThrownBy(() -> InverseFisher.create(5, 2, DAMPING, -3, DataType.FLOAT32, manager))
                .hasMessageContaining("blockSize must be >= 1")
                .hasMessageContaining("got -3");
        try (InverseFisher fisher =
                InverseFisher.create(5, 2, DAMPING, 0, DataType.FLOAT32, manager)) {
            assertThatThrownBy(() -> fisher.add(manager.zeros(new Shape(4))))
                    .hasMessage("gradient must be a 1-D vector of length 5, got shape (4)");
            assertThatThrownBy(() -> fisher.multiply(manager.zeros(new Shape(5), DataType.FLOAT64)))
                    .hasMessage("vector must be float32 like the stored gradients, got float64");
            NDArray bad = manager.create(new float[] {1, 2, Float.NaN, 4, 5});
            assertThatThrownBy(() -> fisher.add(bad))
                    .hasMessage("gradient must be finite, got NaN at index 2");
            NDArray infinite = manager.create(new float[] {1, Float.NEGATIVE_INFINITY, 3, 4, 5});
            assertThatThrownBy(() -> fisher.addAndMultiply(infinite))
                    .hasMessage("gradient must be finite, got -Infinity at index 1");
            assertThat(fisher.position()).as("refused gradients leave the window").isZero();
        }
        NDArray vector = manager.zeros(new Shape(5));
        assertThatThrownBy(() -> StaticInverseFisher.of(vector, DAMPING, 0))
                .hasMessage("gradients must be an m×d matrix, got shape (5)");
        NDArray grads = manager.ones(new Shape(2, 5));
        assertThatThrownBy(() -> StaticInverseFisher.of(grads, -1, 0))
                .hasMessage("damping must be finite and > 0, got -1.0");
        try (StaticInverseFisher fisher = StaticInverseFisher.of(grads, DAMPING, 0)) {
            assertThatThrownBy(() -> fisher.entry(5, 0)).hasMessage("q must be in [0, 5), got 5");
        }
    }
}
