package dev.descent.surrogate.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.surrogate.Directions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PollAndCoveringTest {

    /** Rounding of scaling a float64 vector to a given L∞ norm. */
    private static final double F64_TOLERANCE = 1e-12;

    private static final int[] DIMENSIONS = {1, 2, 3, 7, 20};

    @ParameterizedTest
    @EnumSource(HouseholderPoll.class)
    void everyDirectionHasInfinityNormR(HouseholderPoll poll) {
        Random random = new Random(11);
        for (int n : DIMENSIONS) {
            double r = 0.37;
            double[][] d = poll.directions(n, r, random);
            assertThat(d).hasNumberOfRows(poll == HouseholderPoll.TWO_N ? 2 * n : n + 1);
            for (double[] di : d) {
                assertThat(Directions.infinityNorm(di)).isCloseTo(r, within(F64_TOLERANCE));
            }
        }
    }

    /**
     * D positively spans ℝⁿ iff every non-zero v has ⟨v, d⟩ &gt; 0 for some d ∈ D; checked on the
     * coordinate vectors ±e_i and on random vectors.
     */
    @ParameterizedTest
    @EnumSource(HouseholderPoll.class)
    void pollSetsPositivelySpan(HouseholderPoll poll) {
        Random random = new Random(12);
        for (int n : DIMENSIONS) {
            for (int trial = 0; trial < 20; trial++) {
                double[][] d = poll.directions(n, 1, random);
                for (int i = 0; i < n; i++) {
                    double[] e = new double[n];
                    e[i] = 1;
                    assertThat(maxInnerProduct(d, e)).isPositive();
                    e[i] = -1;
                    assertThat(maxInnerProduct(d, e)).isPositive();
                }
                for (int k = 0; k < 50; k++) {
                    assertThat(maxInnerProduct(d, Directions.unitEuclidean(n, random)))
                            .isPositive();
                }
            }
        }
    }

    /**
     * The exact criterion for a minimal positive basis: the n+1 directions have a strictly positive
     * combination equal to zero (λ_i = 1/scale_i) and the first n are linearly independent (they
     * are the scaled columns of an orthogonal H, so their Gram matrix is diagonal).
     */
    @Test
    void nPlusOneSetIsAScaledOrthogonalBasisWithItsNegativeSum() {
        Random random = new Random(13);
        int n = 6;
        double[][] d = HouseholderPoll.N_PLUS_ONE.directions(n, 1, random);
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    assertThat(dot(d[i], d[j])).isCloseTo(0, within(F64_TOLERANCE));
                }
            }
        }
        // In the orthogonal basis d_0..d_{n-1}, −d_n = Σ w_i d_i with w_i = −⟨d_n, d_i⟩/⟨d_i, d_i⟩;
        // all w_i > 0 makes Σ w_i d_i + d_n = 0 a strictly positive combination.
        for (int i = 0; i < n; i++) {
            double w = -dot(d[n], d[i]) / dot(d[i], d[i]);
            assertThat(w).isPositive();
            for (int j = 0; j < n; j++) {
                sum[j] += w * d[i][j];
            }
        }
        for (int j = 0; j < n; j++) {
            assertThat(sum[j] + d[n][j]).isCloseTo(0, within(F64_TOLERANCE));
        }
    }

    @Test
    void coveringPointsLieInTheBallEvenForSmallRadii() {
        Random random = new Random(14);
        for (int n : DIMENSIONS) {
            for (double r0 : new double[] {1e-3, 0.1, 2}) {
                for (int k = 0; k < 200; k++) {
                    double[] d = CoveringStep.direction(n, r0, random);
                    assertThat(Directions.infinityNorm(d)).isLessThanOrEqualTo(r0);
                }
            }
        }
    }

    @Test
    void searchRadiusGrowsLikeTheSquareRootOfTheSearchCountUpToTheCap() {
        assertThat(SearchStep.radius(0.5, 0, 10)).isEqualTo(0.5);
        assertThat(SearchStep.radius(0.5, 3, 10)).isEqualTo(1.0);
        assertThat(SearchStep.radius(0.5, 1000, 10)).isEqualTo(10);
        double[] d = SearchStep.direction(4, 0.3, new Random(15));
        assertThat(Directions.infinityNorm(d)).isCloseTo(0.3, within(F64_TOLERANCE));
    }

    private static double maxInnerProduct(double[][] d, double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] di : d) {
            max = Math.max(max, dot(di, v));
        }
        return max;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
