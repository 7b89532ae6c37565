package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.descent.solve.ShiftedLaplacianSequence.OffsetLaw;
import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

class ShiftedLaplacianSequenceTest {

    /**
     * Mean and variance of c = −0.15 + 0.6·Beta(α, β) over N = 20000 draws, within 5 standard
     * errors: SE(mean) = σ/√N, and since |X − μ| ≤ 1 for X ∈ [0, 1], Var((X − μ)²) ≤ σ², so
     * SE(variance) ≤ σ/√N on the Beta scale (times 0.6² for c).
     */
    @Test
    void betaOffsetsHaveTheLawsMeanAndVariance() {
        for (OffsetLaw law : OffsetLaw.values()) {
            ShiftedLaplacianSequence s = new ShiftedLaplacianSequence(10, law, 17);
            int n = 20000;
            double[] x = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                x[i] = (s.nextOffset() + 0.15) / 0.6;
                assertThat(x[i]).isBetween(0.0, 1.0);
                sum += x[i];
            }
            double mean = sum / n;
            double var = 0;
            for (double v : x) {
                var += (v - mean) * (v - mean);
            }
            var /= n - 1;
            double a = law.alpha();
            double b = law.beta();
            double mu = a / (a + b);
            double sigma2 = a * b / ((a + b) * (a + b) * (a + b + 1));
            double se = Math.sqrt(sigma2 / n);
            assertThat(mean).as("%s mean", law).isCloseTo(mu, within(5 * se));
            assertThat(var).as("%s variance", law).isCloseTo(sigma2, within(5 * se));
        }
    }

    @Test
    void rhsIsTruncatedAndSeedsRepeat() {
        ShiftedLaplacianSequence a = new ShiftedLaplacianSequence(10, OffsetLaw.HIGH_VARIANCE, 3);
        ShiftedLaplacianSequence b = new ShiftedLaplacianSequence(10, OffsetLaw.HIGH_VARIANCE, 3);
        for (int t = 0; t < 50; t++) {
            ShiftedLaplacianSequence.Instance x = a.next();
            ShiftedLaplacianSequence.Instance y = b.next();
            assertThat(y.offset()).isEqualTo(x.offset());
            assertThat(y.rhs()).containsExactly(x.rhs());
            assertThat(Residuals.norm(x.rhs())).isLessThanOrEqualTo(10.0);
            assertThat(x.matrix().get(3, 3)).isEqualTo(4 + x.offset());
            assertThat(x.matrix().get(3, 4)).isEqualTo(-1);
        }
    }

    /** β = 4cos(π/11)/(4 + c) against the dense eigenvalues of I − D⁻¹A_t. */
    @Test
    void jacobiRadiusMatchesDenseEigenvalues() {
        ShiftedLaplacianSequence s = new ShiftedLaplacianSequence(10, OffsetLaw.LOW_VARIANCE, 1);
        for (double c : new double[] {-0.15, 0.0, 0.3}) {
            double[][] a = s.laplacian().plusIdentity(c).toDense();
            SimpleMatrix j = SimpleMatrix.identity(100);
            for (int r = 0; r < 100; r++) {
                for (int k = 0; k < 100; k++) {
                    j.set(r, k, (r == k ? 1 : 0) - a[r][k] / a[r][r]);
                }
            }
            SimpleEVD<SimpleMatrix> evd = j.eig();
            double rho = 0;
            for (int k = 0; k < 100; k++) {
                rho = Math.max(rho, Math.abs(evd.getEigenvalue(k).getReal()));
            }
            assertThat(s.jacobiSpectralRadius(c)).isCloseTo(rho, within(1e-12));
        }
    }

    /**
     * ω* against a brute-force search of SOR iteration counts over ω = 1.000, 1.005, …, 1.995 on
     * one instance: ω* is within 0.03 of the count's minimizer and costs at most 10% more.
     */
    @Test
    void optimalOmegaMatchesBruteForce() {
        ShiftedLaplacianSequence s = new ShiftedLaplacianSequence(10, OffsetLaw.HIGH_VARIANCE, 5);
        StoppingRule rule = new StoppingRule(1e-8, 10_000);
        for (int t = 0; t < 2; t++) {
            ShiftedLaplacianSequence.Instance inst = s.next();
            int best = Integer.MAX_VALUE;
            double argBest = 0;
            for (int k = 0; k < 200; k++) {
                double omega = 1 + 0.005 * k;
                int it = new Sor(omega).solve(inst.matrix(), inst.rhs(), rule).iterations();
                if (it < best) {
                    best = it;
                    argBest = omega;
                }
            }
            double star = s.optimalOmega(inst.offset());
            int atStar = new Sor(star).solve(inst.matrix(), inst.rhs(), rule).iterations();
            assertThat(star).as("c = %s", inst.offset()).isCloseTo(argBest, within(0.03));
            assertThat((double) atStar).isLessThanOrEqualTo(1.1 * best);
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new ShiftedLaplacianSequence(1, OffsetLaw.LOW_VARIANCE, 1))
                .hasMessageContaining("grid must be >= 2, got 1");
        ShiftedLaplacianSequence s = new ShiftedLaplacianSequence(10, OffsetLaw.LOW_VARIANCE, 1);
        assertThatThrownBy(() -> s.jacobiSpectralRadius(Double.NaN)).hasMessageContaining("offset");
        assertThatThrownBy(() -> s.optimalOmega(-1))
                .hasMessageContaining("Jacobi spectral radius must be in [0, 1)");
        assertThatThrownBy(() -> new Sor(2.0))
                .hasMessageContaining("omega must be in (0, 2), got 2.0");
        assertThatThrownBy(() -> new Sor(0)).hasMessageContaining("omega must be in (0, 2)");
    }
}
