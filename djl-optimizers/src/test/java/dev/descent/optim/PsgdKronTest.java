package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PSGD-Kron's matrix path against a float64 re-derivation of kron_torch's rule (triangular solves
 * by substitution, where the engine uses inverses), its merging of dimensions, and its refusal to
 * let a failed preconditioner update reach the weights.
 */
class PsgdKronTest {

    /** Steps of the parity tests: 25 preconditioner fits (the default schedule fits every step). */
    private static final int STEPS = 25;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest(name = "{0}x{1} maxTriangular={2} p={3}")
    @CsvSource({"5, 3, 8192, 1.0, 0.0", "6, 3, 4, 1.0, 0.1", "3, 4, 8192, 0.5, 0.1"})
    void matrixMatchesFloat64Rederivation(
            int rows, int cols, int maxTriangular, double probability, double wd) {
        double lr = 0.01;
        PsgdKron kron =
                Descent.psgdKron()
                        .optLearningRate(lr)
                        .optMaxSizeTriangular(maxTriangular)
                        .optUpdateProbability(probability)
                        .optWeightDecay(wd)
                        .build();
        Rederivation expected =
                new Rederivation(rows, cols, maxTriangular, probability, Objects.hash(42L, "w"));
        double[] p = Problems.start(rows * cols);
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(p.clone(), new Shape(rows, cols));
            for (int t = 1; t <= STEPS; t++) {
                double[] g = Problems.gradient(t, rows * cols);
                try (NDArray grad = scope.create(g, new Shape(rows, cols))) {
                    kron.update("w", w, grad);
                }
                double[] u = expected.step(g, t);
                for (int i = 0; i < p.length; i++) {
                    p[i] = p[i] * (1 - lr * wd) - lr * u[i];
                }
                double[] actual = w.toDoubleArray();
                int bad =
                        Tolerance.firstMismatch(actual, p, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
                if (bad >= 0) {
                    fail("step %d element %d: got %s, expected %s", t, bad, actual[bad], p[bad]);
                }
            }
        }
    }

    @Test
    void blockedTriangularInverseInvertsAcrossSeveralLevels() {
        int n = 2 * PsgdKron.INVERSE_BLOCK + 45; // halves of 150 and 151, then 75/76 blocks
        double[][] q = Matrices.identity(n, 1);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                q[i][j] += 0.05 * random.nextGaussian();
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray matrix = scope.create(Matrices.flat(q), new Shape(n, n));
            double[][] inverse =
                    Matrices.of(PsgdKron.upperTriangularInverse(matrix).toDoubleArray(), n, n);
            assertThat(
                            Tolerance.firstMismatch(
                                    Matrices.flat(Matrices.multiply(q, inverse)),
                                    Matrices.flat(Matrices.identity(n, 1)),
                                    Tolerance.F64_RTOL,
                                    Tolerance.F64_ATOL))
                    .isEqualTo(-1);
        }
    }

    @Test
    void mergesDimensionsAsTheReference() {
        assertThat(PsgdKron.preconditionedShape(new Shape(2, 3, 4))).isEqualTo(new Shape(6, 4));
        assertThat(PsgdKron.preconditionedShape(new Shape(4, 3, 2))).isEqualTo(new Shape(12, 2));
        assertThat(PsgdKron.preconditionedShape(new Shape(8, 2, 3, 3))).isEqualTo(new Shape(48, 3));
        assertThat(PsgdKron.preconditionedShape(new Shape(7))).isEqualTo(new Shape(7));
    }

    @Test
    void failedPreconditionerUpdateKeepsOldFactorsAndFiniteWeights() {
        // Factors of 1e-150: their inverses square to infinity, so every fit fails.
        PsgdKron kron = Descent.psgdKron().optPrecondInitScale(1e-300).build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(Problems.start(12), new Shape(4, 3));
            for (int t = 1; t <= 3; t++) {
                try (NDArray grad = scope.create(Problems.gradient(t, 12), new Shape(4, 3))) {
                    kron.update("w", w, grad);
                }
            }
            assertThat(Arrays.stream(w.toDoubleArray()).allMatch(Double::isFinite)).isTrue();
            double[] q0 = kron.state("w").q().get(0).toDoubleArray();
            assertThat(q0).containsExactly(Matrices.flat(Matrices.identity(4, 1e-150)));
        }
    }

    /** kron_torch's step on one matrix, in float64. */
    private static final class Rederivation {
        final int rows, cols;
        final boolean tri0, tri1;
        final double probability;
        final int seed;
        final double[][] m;
        double[][] q0, q1; // triangular: n×n; diagonal: 1×n
        int counter;

        Rederivation(int rows, int cols, int maxTriangular, double probability, int seed) {
            this.rows = rows;
            this.cols = cols;
            this.probability = probability;
            this.seed = seed;
            tri0 = rows > 1 && rows <= maxTriangular;
            tri1 = cols > 1 && cols <= maxTriangular;
            m = new double[rows][cols];
            q0 = tri0 ? Matrices.identity(rows, 1) : ones(rows);
            q1 = tri1 ? Matrices.identity(cols, 1) : ones(cols);
        }

        static double[][] ones(int n) {
            double[][] d = new double[1][n];
            Arrays.fill(d[0], 1);
            return d;
        }

        double[] step(double[] grad, int t) {
            double[][] g = Matrices.of(grad, rows, cols);
            double[][] big = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    m[i][j] = 0.9 * m[i][j] + 0.1 * g[i][j];
                    big[i][j] = m[i][j] / (1 - Math.pow(0.9, t));
                }
            }
            counter++;
            if (counter >= 1 / probability) {
                counter = 0;
                fit(big, t);
            }
            double[][] u = right(left(left(big, q0, false), q0, true), q1, false);
            u = right(u, q1, true);
            double sum = 0;
            for (double[] row : u) {
                for (double x : row) {
                    sum += x * x;
                }
            }
            double clip = Math.min(1, 1.1 / (Math.sqrt(sum / (rows * cols)) + 1e-12));
            return Matrices.flat(Matrices.combine(clip, u, 0, u));
        }

        /** {@code Q·X} ({@code transpose} false) or {@code Qᵀ·X}; diagonal Q scales rows. */
        double[][] left(double[][] x, double[][] q, boolean transpose) {
            if (q.length > 1 || q[0].length == 1 && rows == 1) {
                return Matrices.multiply(transpose ? Matrices.transpose(q) : q, x);
            }
            double[][] y = new double[x.length][x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    y[i][j] = q[0][i] * x[i][j];
                }
            }
            return y;
        }

        /** {@code X·Qᵀ} ({@code transpose} false) or {@code X·Q}; diagonal Q scales columns. */
        double[][] right(double[][] x, double[][] q, boolean transpose) {
            if (q.length > 1) {
                return Matrices.multiply(x, transpose ? q : Matrices.transpose(q));
            }
            double[][] y = new double[x.length][x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    y[i][j] = x[i][j] * q[0][j];
                }
            }
            return y;
        }

        void fit(double[][] g, int t) {
            SplittableRandom random = PsgdKron.generator(seed, t);
            if (random.nextDouble() < 0.01) {
                double n0 = Matrices.maxAbs(q0);
                double n1 = Matrices.maxAbs(q1);
                double gm = Math.sqrt(n0 * n1);
                q0 = Matrices.combine(gm / n0, q0, 0, q0);
                q1 = Matrices.combine(gm / n1, q1, 0, q1);
            }
            double[][] v = new double[rows][cols];
            double meanAbs = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    v[i][j] = random.nextGaussian();
                    meanAbs += Math.abs(g[i][j]) / (rows * cols);
                }
            }
            double noise = Math.sqrt(1.1920928955078125e-7) * meanAbs;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    g[i][j] += noise * v[i][j];
                }
            }
            double[][] a = right(left(g, q0, false), q1, false);
            // B = Q0⁻ᵀ·V·Q1⁻¹ by substitution: (Vᵀ·Q0⁻¹)ᵀ, then ·Q1⁻¹
            double[][] b =
                    tri0
                            ? Matrices.transpose(
                                    Matrices.solveRightUpper(Matrices.transpose(v), q0))
                            : divideRows(v, q0[0]);
            b =
                    tri1
                            ? Matrices.solveRightUpper(b, q1)
                            : Matrices.transpose(divideRows(Matrices.transpose(b), q1[0]));
            double[][] next0 = fitAxis(q0, tri0, gram(a, 0, tri0), gram(b, 0, tri0));
            double[][] next1 = fitAxis(q1, tri1, gram(a, 1, tri1), gram(b, 1, tri1));
            q0 = next0;
            q1 = next1;
        }

        static double[][] divideRows(double[][] x, double[] d) {
            double[][] y = new double[x.length][x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    y[i][j] = x[i][j] / d[i];
                }
            }
            return y;
        }

        static double[][] gram(double[][] x, int axis, boolean triangular) {
            if (triangular) {
                return axis == 0
                        ? Matrices.multiply(x, Matrices.transpose(x))
                        : Matrices.multiply(Matrices.transpose(x), x);
            }
            int n = axis == 0 ? x.length : x[0].length;
            double[][] d = new double[1][n];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    d[0][axis == 0 ? i : j] += x[i][j] * x[i][j];
                }
            }
            return d;
        }

        static double[][] fitAxis(double[][] q, boolean triangular, double[][] ta, double[][] tb) {
            double[][] step = Matrices.combine(0.1, ta, -0.1, tb);
            double[][] total = Matrices.combine(1, ta, 1, tb);
            double norm = Matrices.maxAbs(total);
            if (!triangular) {
                double[][] next = new double[1][q[0].length];
                for (int j = 0; j < q[0].length; j++) {
                    next[0][j] = q[0][j] - step[0][j] * q[0][j] / Math.max(norm, Double.MIN_NORMAL);
                }
                return next;
            }
            double bound = norm > 0 ? lowerBound(total, norm) : 0;
            int n = q.length;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    step[i][j] = 0;
                }
            }
            double[][] change = Matrices.multiply(step, q);
            return Matrices.combine(1, q, -1 / Math.max(bound, Double.MIN_NORMAL), change);
        }

        /** kron_torch's {@code _lb}: one power step from the column of largest norm. */
        static double lowerBound(double[][] t, double maxAbs) {
            int n = t.length;
            double[][] a = Matrices.combine(1 / maxAbs, t, 0, t);
            int best = 0;
            double bestNorm = -1;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += a[i][j] * a[i][j];
                }
                if (s > bestNorm) {
                    bestNorm = s;
                    best = j;
                }
            }
            double[] x = new double[n];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    x[j] += a[k][best] * a[k][j];
                }
            }
            double xn = Math.sqrt(Arrays.stream(x).map(z -> z * z).sum());
            double[] y = new double[n];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    y[k] += x[j] / xn * a[k][j];
                }
            }
            return Math.sqrt(Arrays.stream(y).map(z -> z * z).sum()) * maxAbs;
        }
    }
}
