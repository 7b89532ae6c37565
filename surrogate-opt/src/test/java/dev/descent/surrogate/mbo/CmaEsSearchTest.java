package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.onnx.Surrogate;
import org.junit.jupiter.api.Test;

/**
 * CMA-ES on a plateau at the maximum: μ(x) = 1 inside the unit ball of ℝ⁸, −‖x‖² outside. Once a
 * generation lies in the ball every prediction is equal; Hipparchus then grows σ each generation
 * until its covariance matrix cannot be decomposed. Measured when written: from x₀ = 0 with σ = 0.5
 * and seed 0 the library throws "convergence failed" after about 11,000 generations.
 */
class CmaEsSearchTest {

    private static final int N = 8;
    private static final int GENERATIONS = 100_000;

    @Test
    void aRunWhoseCovarianceFailsProposesItsBestPoint() {
        BallPlateau mu = new BallPlateau();
        double[][] best = new CmaEsSearch(0.5, GENERATIONS).search(mu, new double[1][N], 0);
        double r2 = 0;
        for (double v : best[0]) {
            r2 += v * v;
        }
        assertThat(r2).isLessThan(1);
        // it stopped long before its generation limit, and after the plateau made σ grow
        int population = 4 + (int) Math.floor(3 * Math.log(N));
        assertThat(mu.evaluations())
                .isLessThan((long) GENERATIONS * population)
                .isGreaterThan(1000L * population);
    }

    /** μ(x) = 1 for ‖x‖ &lt; 1, else −‖x‖²; one output. */
    private static final class BallPlateau implements Surrogate {
        private long evaluations;

        @Override
        public int inputDimension() {
            return N;
        }

        @Override
        public int outputDimension() {
            return 1;
        }

        @Override
        public double[][] evaluate(double[][] points) {
            double[][] out = new double[points.length][];
            for (int r = 0; r < points.length; r++) {
                double r2 = 0;
                for (double v : points[r]) {
                    r2 += v * v;
                }
                out[r] = new double[] {r2 < 1 ? 1 : -r2};
                evaluations++;
            }
            return out;
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            throw new UnsupportedOperationException("CMA-ES asks for no derivative");
        }

        @Override
        public boolean exactDerivatives() {
            return false;
        }

        @Override
        public long evaluations() {
            return evaluations;
        }

        @Override
        public long derivativeRequests() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
