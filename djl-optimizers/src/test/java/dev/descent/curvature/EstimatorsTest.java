package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.HessianVectorProduct.Method;
import java.util.Arrays;
import java.util.Random;
import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The estimators on the exact Hessian of a quadratic ½xᵀAx (through {@link HessianVectorProduct})
 * whose spectrum is known: A = Q·diag(λ)·Qᵀ with a random orthogonal Q, eigendecomposed
 * independently by EJML in float64.
 */
class EstimatorsTest {

    private static final int N = 30;
    private static NDManager manager;
    private static SimpleMatrix a;
    private static double[] eigenvalues;
    private static HessianVectorProduct hessian;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Random r = new Random(42);
        SimpleMatrix g = new SimpleMatrix(N, N);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                g.set(i, j, r.nextGaussian());
            }
        }
        SimpleMatrix q = g.svd().getU();
        double[] spectrum = new double[N];
        for (int i = 0; i < N; i++) {
            // well separated at the top (20, 14, 9, 6, ...), a negative tail at the bottom
            spectrum[i] = i < 4 ? new double[] {20, 14, 9, 6}[i] : 3.0 - 0.2 * i;
        }
        a = q.mult(SimpleMatrix.diag(spectrum)).mult(q.transpose());
        SimpleEVD<SimpleMatrix> evd = a.eig();
        eigenvalues = new double[N];
        for (int i = 0; i < N; i++) {
            eigenvalues[i] = evd.getEigenvalue(i).getReal();
        }
        Arrays.sort(eigenvalues);
        NDArray matrix = manager.create(a.getDDRM().getData(), new Shape(N, N));
        hessian =
                HessianVectorProduct.ofFunction(
                        new NDList(
                                manager.zeros(new Shape(N), ai.djl.ndarray.types.DataType.FLOAT64)),
                        x -> x.head().matMul(matrix).mul(x.head()).sum().mul(0.5),
                        Method.EXACT);
    }

    @AfterAll
    static void tearDown() {
        hessian.close();
        manager.close();
    }

    @Test
    void hutchinsonTraceIsUnbiasedWithinItsStandardError() {
        double trace = a.trace();
        int seeds = 200;
        int covered = 0;
        double sumOfMeans = 0;
        double sumOfSquaredMeans = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Estimate e = Hutchinson.trace(hessian, seed, 30, 0);
            assertThat(e.samples()).isEqualTo(30);
            if (Math.abs(e.mean() - trace) <= 2 * e.standardError()) {
                covered++;
            }
            sumOfMeans += e.mean();
            sumOfSquaredMeans += e.mean() * e.mean();
        }
        // two standard errors cover about 95% of the estimates
        assertThat(covered).as("estimates within 2 SE of Tr(A) = %s", trace).isGreaterThan(176);
        double mean = sumOfMeans / seeds;
        double sdOfMeans = Math.sqrt((sumOfSquaredMeans - seeds * mean * mean) / (seeds - 1));
        // the grand mean is within 4 standard errors of the truth
        assertThat(mean).isCloseTo(trace, within(4 * sdOfMeans / Math.sqrt(seeds)));
    }

    @Test
    void hutchinsonStopsByItsRuleAndIsReproducible() {
        Estimate first = Hutchinson.trace(hessian, 7);
        Estimate again = Hutchinson.trace(hessian, 7);
        assertThat(again).isEqualTo(first);
        assertThat(first.samples()).isBetween(2, Hutchinson.DEFAULT_MAX_SAMPLES);
    }

    @Test
    void hutchinsonDiagonalConvergesToTheDiagonal() {
        Hutchinson.Diagonal d = Hutchinson.diagonal(hessian, manager, 3, 3000, 0);
        double[] mean = d.mean().toDoubleArray();
        double[] se = d.standardError().toDoubleArray();
        int within = 0;
        for (int i = 0; i < N; i++) {
            if (Math.abs(mean[i] - a.get(i, i)) <= 3 * se[i]) {
                within++;
            }
        }
        assertThat(within).as("elements within 3 SE of diag(A)").isGreaterThanOrEqualTo(N - 1);
    }

    @Test
    void powerIterationFindsTheTopEigenvaluesWithDeflation() {
        Eigenvalues.Power p = Eigenvalues.power(hessian, 3, manager, 1, 1e-10, 2000);
        double[] expected = {eigenvalues[N - 1], eigenvalues[N - 2], eigenvalues[N - 3]};
        for (int i = 0; i < 3; i++) {
            assertThat(p.values()[i]).isCloseTo(expected[i], within(1e-6 * expected[i]));
        }
        // the eigenvectors are orthonormal; a vector converges like the square root of its
        // eigenvalue (the stopping rule watches λ), so 1e-10 on λ leaves ~1e-5 on the vector
        assertThat(Vectors.dot(p.vectors().get(0), p.vectors().get(1))).isCloseTo(0, within(1e-4));
        assertThat(Vectors.norm(p.vectors().get(2))).isCloseTo(1, within(1e-9));
    }

    @Test
    void lanczosRitzValuesMatchDenseEigenvalues() {
        Eigenvalues.Lanczos full = Eigenvalues.lanczos(hessian, N, 5);
        assertThat(full.ritzValues()).containsExactly(eigenvalues, within(1e-8));
        Eigenvalues.Lanczos partial = Eigenvalues.lanczos(hessian, 15, 5);
        assertThat(partial.top(2))
                .containsExactly(
                        new double[] {eigenvalues[N - 1], eigenvalues[N - 2]}, within(1e-6));
        // the low end is a cluster spaced 0.2 apart, which 15 steps resolve only roughly
        assertThat(partial.ritzValues()[0]).isCloseTo(eigenvalues[0], within(1e-2));
    }

    @Test
    void spectralDensityIsANormalizedQuadratureOfTheSpectrum() {
        SpectralDensity sld = SpectralDensity.estimate(hessian, N, 40, 11);
        double total = Arrays.stream(sld.weights()).sum();
        assertThat(total).isCloseTo(40, within(1e-8)); // each probe's weights sum to 1
        double integral = 0;
        for (double t = -10; t <= 30; t += 0.01) {
            integral += sld.density(t, 0.5) * 0.01;
        }
        assertThat(integral).isCloseTo(1, within(1e-3));
        // E[Σ τ_k θ_k] = E[vᵀAv]/N = Tr(A)/N for Rademacher probes
        double firstMoment = 0;
        for (int k = 0; k < sld.nodes().length; k++) {
            firstMoment += sld.weights()[k] * sld.nodes()[k];
        }
        firstMoment /= sld.probes();
        assertThat(firstMoment)
                .isCloseTo(a.trace() / N, within(0.15 * Math.abs(a.trace() / N) + 0.2));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Eigenvalues.power(hessian, 0, manager, 1, 1e-3, 10))
                .hasMessage("k must be in [1, 30], got 0");
        assertThatThrownBy(() -> Eigenvalues.lanczos(hessian, 31, 1))
                .hasMessage("steps must be in [1, 30], got 31");
        assertThatThrownBy(() -> Hutchinson.trace(hessian, 1, 0, 1e-3))
                .hasMessage("maxSamples must be >= 1, got 0");
        assertThatThrownBy(() -> SpectralDensity.estimate(hessian, 5, 0, 1))
                .hasMessage("probes must be >= 1, got 0");
    }
}
