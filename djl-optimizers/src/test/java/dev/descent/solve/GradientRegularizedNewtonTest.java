package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.descent.solve.GradientRegularizedNewton.LinearSolver;
import dev.descent.solve.GradientRegularizedNewton.Result;
import dev.descent.solve.GradientRegularizedNewton.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientRegularizedNewtonTest {

    /** float64 iterates against a float64 re-derivation of the reference algorithm. */
    private static final double PARITY_TOL = 1e-9;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Regularized logistic regression f(w) = mean(softplus(Xw) − y·Xw) + (μ/2)‖w‖². */
    private static final class Logistic {
        final int n = 60;
        final int d = 6;
        final double mu = 1e-3;
        final double[][] x = new double[n][d];
        final double[] y = new double[n];

        Logistic() {
            Random r = new Random(17);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = r.nextGaussian() * 2;
                }
                y[i] = r.nextDouble() < 0.5 ? 1 : 0;
            }
        }

        double value(double[] w) {
            double f = 0;
            for (int i = 0; i < n; i++) {
                double z = dot(x[i], w);
                f += Math.log1p(Math.exp(z)) - y[i] * z;
            }
            return f / n + 0.5 * mu * dot(w, w);
        }

        double[] gradient(double[] w) {
            double[] g = new double[d];
            for (int i = 0; i < n; i++) {
                double s = 1 / (1 + Math.exp(-dot(x[i], w)));
                for (int j = 0; j < d; j++) {
                    g[j] += (s - y[i]) * x[i][j] / n;
                }
            }
            for (int j = 0; j < d; j++) {
                g[j] += mu * w[j];
            }
            return g;
        }

        SimpleMatrix hessian(double[] w) {
            SimpleMatrix h = SimpleMatrix.identity(d).scale(mu);
            for (int i = 0; i < n; i++) {
                double s = 1 / (1 + Math.exp(-dot(x[i], w)));
                SimpleMatrix xi = new SimpleMatrix(d, 1, true, x[i]);
                h = h.plus(xi.mult(xi.transpose()).scale(s * (1 - s) / n));
            }
            return h;
        }

        NDArray engineValue(NDManager m, NDArray w) {
            double[] flat = new double[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x[i], 0, flat, i * d, d);
            }
            NDArray xs = m.create(flat, new Shape(n, d));
            NDArray z = xs.matMul(w);
            return z.exp()
                    .add(1)
                    .log()
                    .sub(m.create(y).mul(z))
                    .mean()
                    .add(w.square().sum().mul(0.5 * mu));
        }

        static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }
    }

    /** The reference algorithm (grad_norm_smooth, B = I) in plain float64. */
    private static List<Double> referenceValues(Logistic p, double[] w0, int iterations) {
        double[] w = w0.clone();
        double gamma = 1.0;
        List<Double> values = new ArrayList<>();
        double f = p.value(w);
        double[] g = p.gradient(w);
        for (int k = 0; k <= iterations; k++) {
            values.add(f);
            if (k == iterations) {
                break;
            }
            double gNorm = Math.sqrt(Logistic.dot(g, g));
            SimpleMatrix h = p.hessian(w);
            double[] step = null;
            double fNew = f;
            double[] gNew = g;
            for (int attempt = 0; attempt < 40; attempt++) {
                double lambda = gNorm / (gamma + 1e-8);
                SimpleMatrix a = h.plus(SimpleMatrix.identity(p.d).scale(lambda));
                SimpleMatrix sol = a.solve(new SimpleMatrix(p.d, 1, true, g).scale(-1));
                step = sol.getDDRM().getData();
                double[] trial = new double[p.d];
                for (int j = 0; j < p.d; j++) {
                    trial[j] = w[j] + step[j];
                }
                fNew = p.value(trial);
                gNew = p.gradient(trial);
                if (f - fNew >= Logistic.dot(gNew, gNew) / (8 * lambda)) {
                    gamma = Math.max(2 * gamma, 1e-9);
                    break;
                }
                gamma *= 0.5;
            }
            for (int j = 0; j < p.d; j++) {
                w[j] += step[j];
            }
            f = fNew;
            g = gNew;
        }
        return values;
    }

    @Test
    void matchesTheReferenceAlgorithmIterateByIterate() {
        Logistic p = new Logistic();
        double[] w0 = new double[p.d];
        java.util.Arrays.fill(w0, 1.5);
        List<Double> expected = referenceValues(p, w0, 12);
        for (LinearSolver solver : LinearSolver.values()) {
            Result result =
                    GradientRegularizedNewton.builder()
                            .optMaxIterations(12)
                            .optLinearSolver(solver, 1e-13)
                            .build()
                            .minimize(manager.create(w0), w -> p.engineValue(manager, w));
            assertThat(result.status()).isEqualTo(Status.ITERATIONS_EXCEEDED);
            for (int k = 0; k < expected.size(); k++) {
                assertThat(result.history().get(k).value())
                        .as("%s f at iteration %d", solver, k)
                        .isCloseTo(expected.get(k), within(PARITY_TOL));
            }
        }
    }

    @Test
    void solvesAStronglyConvexQuadraticToTheLinearSystemSolution() {
        int d = 8;
        Random r = new Random(3);
        SimpleMatrix m = new SimpleMatrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m.set(i, j, r.nextGaussian());
            }
        }
        SimpleMatrix a = m.transpose().mult(m).plus(SimpleMatrix.identity(d));
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            b[i] = r.nextGaussian();
        }
        double[] solution = a.solve(new SimpleMatrix(d, 1, true, b)).getDDRM().getData();
        NDArray am = manager.create(a.getDDRM().getData(), new Shape(d, d));
        NDArray bm = manager.create(b);
        Result result =
                GradientRegularizedNewton.builder()
                        .optGradientTolerance(1e-10)
                        .optLinearSolver(LinearSolver.CONJUGATE_GRADIENT, 1e-12)
                        .build()
                        .minimize(
                                manager.zeros(new Shape(d), ai.djl.ndarray.types.DataType.FLOAT64),
                                x -> x.matMul(am).mul(x).sum().mul(0.5).sub(x.mul(bm).sum()));
        assertThat(result.status()).isEqualTo(Status.GRADIENT_SMALL);
        assertThat(result.x().toDoubleArray()).containsExactly(solution, within(1e-9));
        assertThat(result.history().size()).isLessThan(60);
    }

    @Test
    void convergesWithAnApproximateCurvature() {
        // the logistic problem with its Hessian replaced by 4·diag(H(x)): a crude approximation
        // that keeps the method convergent (the adaptive γ absorbs the mismatch)
        Logistic p = new Logistic();
        double[] w0 = new double[p.d];
        Result result =
                GradientRegularizedNewton.builder()
                        .optGradientTolerance(1e-9)
                        .optMaxIterations(500)
                        .optCurvature(
                                x -> {
                                    SimpleMatrix h = p.hessian(x.toDoubleArray());
                                    double[] diagonal = new double[p.d];
                                    for (int i = 0; i < p.d; i++) {
                                        diagonal[i] = 4 * h.get(i, i);
                                    }
                                    return new DiagonalOperator(diagonal);
                                })
                        .build()
                        .minimize(manager.create(w0), w -> p.engineValue(manager, w));
        assertThat(result.status()).isEqualTo(Status.GRADIENT_SMALL);
        double[] g = p.gradient(result.x().toDoubleArray());
        assertThat(Math.sqrt(Logistic.dot(g, g))).isLessThan(1e-9);
    }

    /** diag(d) as an operator. */
    private record DiagonalOperator(double[] diagonal)
            implements dev.descent.curvature.SymmetricOperator {
        @Override
        public long dimension() {
            return diagonal.length;
        }

        @Override
        public NDArray apply(NDArray v) {
            return v.mul(v.getManager().create(diagonal));
        }

        @Override
        public NDArray zeros(NDManager owner) {
            return owner.zeros(new Shape(diagonal.length), ai.djl.ndarray.types.DataType.FLOAT64);
        }
    }

    @Test
    void listenerSeesEveryIterateOfTheHistoryAsItIsReached() {
        Logistic p = new Logistic();
        double[] w0 = new double[p.d];
        java.util.Arrays.fill(w0, 1.5);
        List<GradientRegularizedNewton.Iterate> seen = new ArrayList<>();
        Result result =
                GradientRegularizedNewton.builder()
                        .optMaxIterations(7)
                        .build()
                        .minimize(manager.create(w0), w -> p.engineValue(manager, w), seen::add);

        // the start and 7 iterations, the same records in the same order
        assertThat(seen).hasSize(8).containsExactlyElementsOf(result.history());
        assertThat(seen)
                .extracting(GradientRegularizedNewton.Iterate::iteration)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> GradientRegularizedNewton.builder().optGamma0(0).build())
                .hasMessage("gamma0 must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> GradientRegularizedNewton.builder().optMaxIterations(-1).build())
                .hasMessage("maxIterations must be >= 0, got -1");
        assertThatThrownBy(
                        () ->
                                GradientRegularizedNewton.builder()
                                        .optLinearSolver(LinearSolver.CONJUGATE_GRADIENT, 1)
                                        .build())
                .hasMessage("cgTolerance must be in (0, 1), got 1.0");
        assertThatThrownBy(
                        () ->
                                GradientRegularizedNewton.builder()
                                        .build()
                                        .minimize(manager.zeros(new Shape(2, 2)), x -> x.sum()))
                .hasMessage("x0 must be a 1-D vector, got shape (2, 2)");
    }
}
