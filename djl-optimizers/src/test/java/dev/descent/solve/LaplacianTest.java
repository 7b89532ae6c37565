package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 5-point Laplacians against their closed forms and EJML's dense eigendecomposition. */
class LaplacianTest {

    /** Symmetric QR eigenvalues of a matrix with entries ≤ 4, n ≤ 48: rounding only. */
    private static final double EIGEN_ATOL = 1e-10;

    private static double[] eigenvalues(CsrMatrix a) {
        EigenDecomposition_F64<DMatrixRMaj> eig =
                DecompositionFactory_DDRM.eig(a.rows(), false, true);
        assertThat(eig.decompose(References.dense(a))).isTrue();
        double[] e = new double[a.rows()];
        for (int i = 0; i < e.length; i++) {
            e[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(e);
        return e;
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "3, 3", "4, 7", "8, 6"})
    void dirichletEigenvaluesMatchTheClosedForm(int nx, int ny) {
        double[] closedForm = Laplacian.dirichletEigenvalues(nx, ny);
        double[] dense = eigenvalues(Laplacian.dirichlet(nx, ny));

        assertThat(closedForm).hasSize(nx * ny);
        for (int i = 0; i < dense.length; i++) {
            assertThat(dense[i])
                    .as("eigenvalue %d", i)
                    .isCloseTo(closedForm[i], within(EIGEN_ATOL));
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 7", "8, 6"})
    void neumannEigenvaluesMatchTheClosedForm(int nx, int ny) {
        double[] closedForm = new double[nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                closedForm[i * ny + j] =
                        4 - 2 * Math.cos(Math.PI * i / nx) - 2 * Math.cos(Math.PI * j / ny);
            }
        }
        Arrays.sort(closedForm);

        double[] dense = eigenvalues(Laplacian.neumann(nx, ny));

        for (int i = 0; i < dense.length; i++) {
            assertThat(dense[i])
                    .as("eigenvalue %d", i)
                    .isCloseTo(closedForm[i], within(EIGEN_ATOL));
        }
        assertThat(dense[0]).isCloseTo(0, within(EIGEN_ATOL));
        assertThat(dense[1]).as("the null space is one-dimensional").isGreaterThan(0.1);
    }

    @Test
    void neumannRowsSumToZeroSoConstantsAreTheNullSpace() {
        CsrMatrix a = Laplacian.neumann(5, 4);
        double[] ones = new double[20];
        Arrays.fill(ones, 1);

        assertThat(a.multiply(ones)).containsOnly(0);
        assertThat(a.diagonal()).contains(2, 3, 4); // corner, edge, interior
        assertThat(a.isSymmetric(0)).isTrue();
    }

    @Test
    void dirichletIsTheStencilWithUnknownsInRowMajorOrder() {
        CsrMatrix a = Laplacian.dirichlet(3, 2); // index y·3 + x

        assertThat(a.toDense())
                .isDeepEqualTo(
                        new double[][] {
                            {4, -1, 0, -1, 0, 0},
                            {-1, 4, -1, 0, -1, 0},
                            {0, -1, 4, 0, 0, -1},
                            {-1, 0, 0, 4, -1, 0},
                            {0, -1, 0, -1, 4, -1},
                            {0, 0, -1, 0, -1, 4}
                        });
        assertThat(Laplacian.dirichlet(100, 100).nonZeros()).isEqualTo(5 * 10_000 - 4 * 100);
    }

    @Test
    void anEmptyGridIsRejected() {
        assertThatThrownBy(() -> Laplacian.dirichlet(0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the grid needs at least one point per side, got nx = 0, ny = 3");
        assertThatThrownBy(() -> Laplacian.dirichletEigenvalues(2, -1))
                .hasMessage("the grid needs at least one point per side, got nx = 2, ny = -1");
    }
}
