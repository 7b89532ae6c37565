package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DcdmTrainingDataTest {

    private static final double F64_TOL = 1e-12;

    @Test
    void defaultLowModesScaleTheReference() {
        // the reference: m = 10,000, m/2 + θ with θ = 500
        assertThat(DcdmTrainingData.defaultLowModes(10_000)).isEqualTo(5_500);
        assertThat(DcdmTrainingData.defaultLowModes(300)).isEqualTo(165);
    }

    /**
     * Samples are unit vectors in the span of the Ritz vectors, and the 9× weight puts the share
     * 81·k / (81·k + (m − k)) of the expected energy in the k low modes (= 0.9900 for m = 60, k =
     * 33; the sample mean of 400 ratios is within 0.005 of it: each ratio's spread is ≈ 0.002).
     */
    @Test
    void samplesAreUnitAndWeightedToTheLowModes() {
        CsrMatrix a = Laplacian.dirichlet(12, 12);
        RitzVectors ritz = RitzVectors.lanczos(a, 60, 1);
        int m = ritz.size();
        int k = DcdmTrainingData.defaultLowModes(m);
        double[][] b = DcdmTrainingData.sample(ritz, 400, k, 7);
        double share = 0;
        for (double[] s : b) {
            assertThat(Residuals.norm(s)).isCloseTo(1, within(F64_TOL));
            double low = 0;
            double all = 0;
            for (int j = 0; j < m; j++) {
                double c = ConjugateGradient.dot(s, ritz.vectors()[j]);
                all += c * c;
                if (j < k) {
                    low += c * c;
                }
            }
            assertThat(all).as("energy in the Ritz span").isCloseTo(1, within(1e-9));
            share += low / b.length;
        }
        double expected = 81.0 * k / (81.0 * k + (m - k));
        assertThat(share).isCloseTo(expected, within(0.005));
        assertThat(DcdmTrainingData.sample(ritz, 3, k, 7)[2]).containsExactly(b[2]);
    }

    @Test
    void badInputIsNamed() {
        RitzVectors ritz = RitzVectors.lanczos(Laplacian.dirichlet(4, 4), 4, 1);
        assertThatThrownBy(() -> DcdmTrainingData.sample(ritz, 0, 1, 1))
                .hasMessageContaining("samples must be >= 1, got 0");
        assertThatThrownBy(() -> DcdmTrainingData.sample(ritz, 1, -1, 1))
                .hasMessageContaining("lowModes must be >= 0, got -1");
    }
}
