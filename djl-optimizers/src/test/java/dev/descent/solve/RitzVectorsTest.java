package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RitzVectorsTest {

    /** Converged Ritz values against the closed form, float64 (eigenvalues are O(1)..O(8)). */
    private static final double VALUE_TOL = 1e-9;

    /** Orthonormality and eigen-residuals of converged pairs, float64. */
    private static final double VECTOR_TOL = 1e-8;

    /** Distinct closed-form eigenvalues of the Dirichlet Laplacian (merged within 1e-9). */
    private static double[] distinctEigenvalues(int nx, int ny) {
        List<Double> distinct = new ArrayList<>();
        for (double e : Laplacian.dirichletEigenvalues(nx, ny)) {
            if (distinct.isEmpty() || e - distinct.get(distinct.size() - 1) > 1e-9) {
                distinct.add(e);
            }
        }
        return distinct.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Run to the end, Lanczos from a generic start spans one vector per distinct eigenvalue: its
     * Ritz values are the distinct closed-form eigenvalues, and its vectors are eigenvectors.
     */
    @Test
    void fullRunGivesTheDistinctEigenvaluesAndEigenvectors() {
        int nx = 6;
        int ny = 5;
        CsrMatrix a = Laplacian.dirichlet(nx, ny);
        RitzVectors ritz = RitzVectors.lanczos(a, nx * ny, 11);
        double[] want = distinctEigenvalues(nx, ny);
        assertThat(ritz.size()).isEqualTo(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(ritz.values()[i])
                    .as("Ritz value %d", i)
                    .isCloseTo(want[i], within(VALUE_TOL));
            double[] v = ritz.vectors()[i];
            double[] av = a.multiply(v);
            double gap = 0;
            for (int k = 0; k < v.length; k++) {
                gap = Math.max(gap, Math.abs(av[k] - ritz.values()[i] * v[k]));
            }
            assertThat(gap).as("‖A v − θ v‖∞ for pair %d", i).isLessThan(VECTOR_TOL);
        }
    }

    /**
     * A partial run on the 32² grid (m = 60 of 1024): the extreme Ritz values have converged to the
     * closed-form extreme eigenvalues, all lie inside the spectrum, and the vectors are
     * orthonormal.
     */
    @Test
    void partialRunFindsTheExtremesAndOrthonormalVectors() {
        int n = 32;
        CsrMatrix a = Laplacian.dirichlet(n, n);
        RitzVectors ritz = RitzVectors.lanczos(a, 60, 3);
        double[] exact = Laplacian.dirichletEigenvalues(n, n);
        double lowest = exact[0];
        double highest = exact[exact.length - 1];
        assertThat(ritz.size()).isEqualTo(60);
        assertThat(ritz.values()[59]).isCloseTo(highest, within(1e-6));
        assertThat(ritz.values()[0]).isGreaterThanOrEqualTo(lowest - VALUE_TOL);
        assertThat(ritz.values()[59]).isLessThanOrEqualTo(highest + VALUE_TOL);
        for (int i = 0; i < 60; i += 7) {
            for (int j = i; j < 60; j += 5) {
                double d = ConjugateGradient.dot(ritz.vectors()[i], ritz.vectors()[j]);
                assertThat(d).isCloseTo(i == j ? 1 : 0, within(VECTOR_TOL));
            }
        }
    }

    @Test
    void sameSeedSameResult() {
        CsrMatrix a = Laplacian.dirichlet(8, 8);
        RitzVectors first = RitzVectors.lanczos(a, 20, 5);
        RitzVectors again = RitzVectors.lanczos(a, 20, 5);
        assertThat(again.values()).containsExactly(first.values());
        assertThat(again.vectors()[3]).containsExactly(first.vectors()[3]);
    }

    @Test
    void badInputIsNamed() {
        CsrMatrix a = Laplacian.dirichlet(4, 4);
        assertThatThrownBy(() -> RitzVectors.lanczos(a, 17, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps must be in [1, 16], got 17");
        CsrMatrix skew =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new double[] {2, 1, 2});
        assertThatThrownBy(() -> RitzVectors.lanczos(skew, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symmetric");
    }
}
