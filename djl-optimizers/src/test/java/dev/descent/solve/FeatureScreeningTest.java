package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sure independence and mutual-information screening; the KSG estimator against a closed form. */
class FeatureScreeningTest {

    /**
     * An easy design (n = 400, p = 200, independent columns, 3 nonzeros 1, −1.5, 2, noise 0.5):
     * both screens keep every true feature in their top ⌊n/ln n⌋ = 66.
     */
    @Test
    void bothScreensKeepTheTrueSupportOnAnEasyDesign() {
        SparseDesigns.Problem problem = SparseDesigns.ar1(400, 200, 3, 0, 0.5, 21);
        int d = FeatureScreening.defaultSize(400);
        assertThat(d).isEqualTo(66);
        int[] truth = {0, 66, 132};
        FeatureScreening.Ranking sis = FeatureScreening.sureIndependence(problem.x(), problem.y());
        FeatureScreening.Ranking mi =
                FeatureScreening.mutualInformation(problem.x(), problem.y(), 3, 5);
        for (FeatureScreening.Ranking ranking : new FeatureScreening.Ranking[] {sis, mi}) {
            assertThat(ranking.top(d)).contains(truth);
        }
        // the scores are |corr| on standardized columns: the same as a direct computation
        double c = 0;
        double yy = 0;
        double mean = java.util.Arrays.stream(problem.y()).average().orElseThrow();
        for (int i = 0; i < 400; i++) {
            c += problem.x()[i][0] * (problem.y()[i] - mean);
            yy += (problem.y()[i] - mean) * (problem.y()[i] - mean);
        }
        assertThat(sis.scores()[0]).isCloseTo(Math.abs(c) / Math.sqrt(400 * yy), within(1e-12));
    }

    /**
     * KSG on bivariate Gaussians against {@code I = −½ ln(1 − rho²)}: N = 1000, k = 3, five seeds
     * per rho; the mean within 0.02 nats and every seed within 0.06 (the estimator's spread at this
     * N is about 0.02, Kraskov et al. Fig. 4; its bias for Gaussians is far smaller).
     */
    @Test
    void ksgMatchesTheGaussianClosedForm() {
        for (double rho : new double[] {0, 0.5, 0.9}) {
            double exact = -0.5 * Math.log(1 - rho * rho);
            double sum = 0;
            for (int seed = 0; seed < 5; seed++) {
                Random random = new Random(100 + seed);
                double[] u = new double[1000];
                double[] v = new double[1000];
                for (int i = 0; i < u.length; i++) {
                    u[i] = random.nextGaussian();
                    v[i] = rho * u[i] + Math.sqrt(1 - rho * rho) * random.nextGaussian();
                }
                double estimate = MutualInformation.ksg(u, v, 3, seed);
                assertThat(estimate)
                        .as("rho %s, seed %d", rho, seed)
                        .isCloseTo(exact, within(0.06));
                assertThat(MutualInformation.ksg(u, v, 3, seed))
                        .as("same seed, same estimate")
                        .isEqualTo(estimate);
                sum += estimate;
            }
            assertThat(sum / 5)
                    .as("mean at rho %s (exact %s)", rho, exact)
                    .isCloseTo(exact, within(0.02));
        }
    }

    @Test
    void digammaMatchesKnownValues() {
        double eulerGamma = 0.5772156649015329;
        assertThat(MutualInformation.digamma(1)).isCloseTo(-eulerGamma, within(1e-12));
        assertThat(MutualInformation.digamma(0.5))
                .isCloseTo(-eulerGamma - 2 * Math.log(2), within(1e-12));
        // ψ(n) = H_{n−1} − γ
        double harmonic = 0;
        for (int k = 1; k < 100; k++) {
            harmonic += 1.0 / k;
        }
        assertThat(MutualInformation.digamma(100)).isCloseTo(harmonic - eulerGamma, within(1e-12));
    }

    @Test
    void badInputIsRefusedByName() {
        double[][] x = {{1, 2}, {2, 2}, {3, 2}};
        assertThatThrownBy(() -> FeatureScreening.sureIndependence(x, new double[] {1, 2, 3}))
                .hasMessageContaining("column 1 of X is constant");
        assertThatThrownBy(
                        () -> FeatureScreening.mutualInformation(x, new double[] {1, 2, 3}, 1, 0))
                .hasMessageContaining("column 1 of X: u is constant");
        double[][] ok = {{1, 2}, {2, 1}, {3, 5}};
        assertThatThrownBy(() -> FeatureScreening.sureIndependence(ok, new double[] {4, 4, 4}))
                .hasMessageContaining("y is constant");
        assertThatThrownBy(
                        () ->
                                FeatureScreening.sureIndependence(
                                        ok, new double[] {1, Double.NaN, 3}))
                .hasMessage("y[1] is NaN; expected finite");
        assertThatThrownBy(() -> MutualInformation.ksg(new double[] {1, 2}, new double[] {1}, 1, 0))
                .hasMessageContaining("same length");
        assertThatThrownBy(
                        () ->
                                MutualInformation.ksg(
                                        new double[] {1, 2, 3}, new double[] {3, 1, 2}, 3, 0))
                .hasMessageContaining("k must be in [1, N - 1] = [1, 2], got 3");
        assertThatThrownBy(
                        () -> FeatureScreening.sureIndependence(ok, new double[] {1, 2, 3}).top(3))
                .hasMessageContaining("d must be in [1, 2], got 3");
    }
}
