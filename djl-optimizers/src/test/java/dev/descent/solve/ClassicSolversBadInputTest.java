package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad systems and parameters get an error naming the method, the value and what was expected. */
class ClassicSolversBadInputTest {

    private static final StoppingRule RULE = new StoppingRule(1e-8, 100);

    private static final CsrMatrix LAPLACIAN = Laplacian.dirichlet(2, 2);

    private static final CsrMatrix NON_SYMMETRIC =
            CsrMatrix.fromTriplets(
                    2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new double[] {2, 1, 2});

    private static final CsrMatrix ZERO_DIAGONAL =
            CsrMatrix.fromTriplets(
                    2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 0}, new double[] {2, 1, 1});

    @Test
    void nonSquareMatricesAreRejected() {
        CsrMatrix wide =
                CsrMatrix.fromTriplets(2, 3, new int[] {0}, new int[] {0}, new double[] {1});

        assertThatThrownBy(() -> new ConjugateGradient().solve(wide, new double[2], RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conjugate gradients needs a square matrix, got 2 x 3");
        assertThatThrownBy(() -> new SsorPcg(1).solve(wide, new double[2], RULE))
                .hasMessage("SSOR-PCG needs a square matrix, got 2 x 3");
        assertThatThrownBy(() -> new Sor(1).solve(wide, new double[2], RULE))
                .hasMessage("SOR needs a square matrix, got 2 x 3");
    }

    @Test
    void symmetricMethodsRejectANonSymmetricMatrix() {
        assertThatThrownBy(() -> new ConjugateGradient().solve(NON_SYMMETRIC, new double[2], RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "conjugate gradients needs a symmetric positive definite matrix; A is not"
                                + " symmetric");
        assertThatThrownBy(() -> new SsorPcg(1.2).solve(NON_SYMMETRIC, new double[2], RULE))
                .hasMessage(
                        "SSOR-PCG needs a symmetric positive definite matrix; A is not symmetric");
    }

    @Test
    void aDiagonalEntryThatIsNotPositiveIsNamed() {
        assertThatThrownBy(() -> new ConjugateGradient().solve(ZERO_DIAGONAL, new double[2], RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "conjugate gradients needs a symmetric positive definite matrix; A[1, 1] ="
                                + " 0.0");
        assertThatThrownBy(
                        () -> new SsorPcg(1).solve(LAPLACIAN.plusIdentity(-5), new double[4], RULE))
                .hasMessage("SSOR-PCG needs a symmetric positive definite matrix; A[0, 0] = -1.0");
        assertThatThrownBy(() -> new Sor(1).solve(ZERO_DIAGONAL, new double[2], RULE))
                .hasMessage("SOR needs a non-zero diagonal; A[1, 1] = 0");
    }

    @Test
    void nonFiniteRightHandSidesAndStartsAreNamedWithTheirIndex() {
        double[] b = {1, 2, Double.NaN, 4};
        double[] x0 = {0, Double.POSITIVE_INFINITY, 0, 0};

        assertThatThrownBy(() -> new ConjugateGradient().solve(LAPLACIAN, b, RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conjugate gradients: b[2] is NaN, expected a finite value");
        assertThatThrownBy(() -> new SsorPcg(1).solve(LAPLACIAN, new double[4], x0, RULE))
                .hasMessage("SSOR-PCG: x0[1] is Infinity, expected a finite value");
        assertThatThrownBy(() -> new Sor(1).solve(LAPLACIAN, b, RULE))
                .hasMessage("SOR: b[2] is NaN, expected a finite value");
    }

    @Test
    void lengthMismatchesAreNamed() {
        assertThatThrownBy(() -> new ConjugateGradient().solve(LAPLACIAN, new double[3], RULE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conjugate gradients: b has length 3, the matrix is 4 x 4");
        assertThatThrownBy(
                        () -> new SsorPcg(1).solve(LAPLACIAN, new double[4], new double[5], RULE))
                .hasMessage("SSOR-PCG: x0 has length 5, the matrix is 4 x 4");
        assertThatThrownBy(() -> new Sor(1).solve(LAPLACIAN, new double[4], new double[2], RULE))
                .hasMessage("SOR: x0 has length 2, the matrix is 4 x 4");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 2, -0.5, 2.5, Double.NaN})
    void omegaOutsideTheOpenIntervalIsRejected(double omega) {
        assertThatThrownBy(() -> new SsorPcg(omega))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("omega must be in (0, 2), got " + omega);
        assertThatThrownBy(() -> new Sor(omega))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("omega must be in (0, 2), got " + omega);
    }

    @Test
    void badStoppingRulesAndJacobiRadiiAreRejected() {
        assertThatThrownBy(() -> new StoppingRule(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tolerance must be in (0, 1), got 0.0");
        assertThatThrownBy(() -> new StoppingRule(1e-8, 0))
                .hasMessage("maxIterations must be >= 1, got 0");
        assertThatThrownBy(() -> Sor.optimalOmega(1))
                .hasMessage("the Jacobi spectral radius must be in [0, 1), got 1.0");
    }
}
