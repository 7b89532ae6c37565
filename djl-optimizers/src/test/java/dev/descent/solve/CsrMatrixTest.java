package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link CsrMatrix} against dense arithmetic on the same entries. */
class CsrMatrixTest {

    /** Sums of a few float64 products: rounding only. */
    private static final double F64_ATOL = 1e-12;

    @Test
    void duplicatesAreSummedAndUnsortedTripletsSorted() {
        CsrMatrix a =
                CsrMatrix.fromTriplets(
                        2,
                        3,
                        new int[] {1, 0, 1, 0, 1},
                        new int[] {2, 1, 0, 1, 2},
                        new double[] {5, 1, 7, 2, -1});

        assertThat(a.nonZeros()).isEqualTo(3);
        assertThat(a.rowPointers()).containsExactly(0, 1, 3);
        assertThat(a.columnIndices()).containsExactly(1, 0, 2);
        assertThat(a.values()).containsExactly(3, 7, 4);
        assertThat(a.get(0, 1)).isEqualTo(3);
        assertThat(a.get(1, 2)).isEqualTo(4);
        assertThat(a.get(0, 0)).isZero();
        assertThat(a.toDense()).isDeepEqualTo(new double[][] {{0, 3, 0}, {7, 0, 4}});
    }

    @Test
    void accessorsReturnCopies() {
        CsrMatrix a = Laplacian.dirichlet(2, 2);
        a.values()[0] = 99;
        a.columnIndices()[0] = 1;
        a.rowPointers()[1] = 0;

        assertThat(a.get(0, 0)).isEqualTo(4);
        assertThat(a.multiply(new double[] {1, 0, 0, 0})).containsExactly(4, -1, -1, 0);
    }

    @Property(tries = 50, seed = "1")
    void multiplyMatchesTheDenseProduct(
            @ForAll @IntRange(min = 1, max = 12) int rows,
            @ForAll @IntRange(min = 1, max = 12) int cols,
            @ForAll @IntRange(min = 0, max = 60) int entries,
            @ForAll long seed) {
        Random random = new Random(seed);
        int[] r = new int[entries];
        int[] c = new int[entries];
        double[] v = new double[entries];
        double[][] dense = new double[rows][cols];
        for (int k = 0; k < entries; k++) {
            r[k] = random.nextInt(rows);
            c[k] = random.nextInt(cols);
            v[k] = random.nextGaussian();
            dense[r[k]][c[k]] += v[k];
        }
        CsrMatrix a = CsrMatrix.fromTriplets(rows, cols, r, c, v);
        double[] x = References.normal(cols, seed + 1);

        double[] y = a.multiply(x);

        for (int i = 0; i < rows; i++) {
            double expected = 0;
            for (int j = 0; j < cols; j++) {
                expected += dense[i][j] * x[j];
                assertThat(a.get(i, j)).isCloseTo(dense[i][j], within(F64_ATOL));
            }
            assertThat(y[i]).isCloseTo(expected, within(F64_ATOL));
        }
    }

    @Test
    void plusIdentityShiftsTheDiagonalOnly() {
        CsrMatrix a =
                CsrMatrix.fromTriplets(
                        3, 3, new int[] {0, 2, 1}, new int[] {0, 0, 2}, new double[] {1, 2, 3});

        CsrMatrix shifted = a.plusIdentity(0.5);

        assertThat(shifted.toDense())
                .isDeepEqualTo(new double[][] {{1.5, 0, 0}, {0, 0.5, 3}, {2, 0, 0.5}});
        assertThat(shifted.diagonal()).containsExactly(1.5, 0.5, 0.5);
        assertThat(a.get(1, 1)).isZero();
    }

    @Test
    void symmetryIsJudgedRelativeToTheLargestEntry() {
        CsrMatrix symmetric =
                CsrMatrix.fromTriplets(
                        2,
                        2,
                        new int[] {0, 0, 1, 1},
                        new int[] {0, 1, 0, 1},
                        new double[] {100, 1, 1, 100});
        CsrMatrix slightly =
                CsrMatrix.fromTriplets(
                        2,
                        2,
                        new int[] {0, 0, 1, 1},
                        new int[] {0, 1, 0, 1},
                        new double[] {100, 1, 1 + 1e-9, 100});
        CsrMatrix oneSided =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 1}, new int[] {1, 1}, new double[] {1, 1});

        assertThat(symmetric.isSymmetric(0)).isTrue();
        assertThat(slightly.isSymmetric(1e-10)).isTrue(); // 1e-9 / 100 = 1e-11
        assertThat(slightly.isSymmetric(1e-12)).isFalse();
        assertThat(oneSided.isSymmetric(0.5)).isFalse();
        assertThat(Laplacian.dirichlet(2, 3).isSymmetric(0)).isTrue();
        assertThat(
                        CsrMatrix.fromTriplets(2, 3, new int[0], new int[0], new double[0])
                                .isSymmetric(1))
                .isFalse();
    }

    @Test
    void badTripletsAreRejectedNamingTheEntry() {
        assertThatThrownBy(
                        () -> CsrMatrix.fromTriplets(0, 2, new int[0], new int[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a matrix needs at least one row and column, got 0 x 2");
        assertThatThrownBy(
                        () ->
                                CsrMatrix.fromTriplets(
                                        2, 2, new int[] {0, 1}, new int[] {0}, new double[] {1, 2}))
                .hasMessage("triplet arrays differ in length: rows 2, columns 1, values 2");
        assertThatThrownBy(
                        () ->
                                CsrMatrix.fromTriplets(
                                        2,
                                        2,
                                        new int[] {0, 2},
                                        new int[] {0, 0},
                                        new double[] {1, 2}))
                .hasMessage("entry 1 at (2, 0) lies outside the 2 x 2 matrix");
        assertThatThrownBy(
                        () ->
                                CsrMatrix.fromTriplets(
                                        2,
                                        2,
                                        new int[] {0},
                                        new int[] {1},
                                        new double[] {Double.NaN}))
                .hasMessage("entry 0 at (0, 1) is NaN");
    }

    @Test
    void badOperandsAreRejectedNamingTheShapes() {
        CsrMatrix a = CsrMatrix.fromTriplets(2, 3, new int[] {0}, new int[] {2}, new double[] {1});

        assertThatThrownBy(() -> a.multiply(new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "multiply: a 2 x 3 matrix needs x of length 3 and y of length 2, got 2"
                                + " and 2");
        assertThatThrownBy(() -> a.get(2, 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("(2, 0) lies outside the 2 x 3 matrix");
        assertThatThrownBy(() -> a.plusIdentity(1))
                .hasMessage("plusIdentity needs a square matrix, got 2 x 3");
        assertThatThrownBy(() -> Laplacian.dirichlet(2, 2).plusIdentity(Double.POSITIVE_INFINITY))
                .hasMessage("the shift c must be finite, got Infinity");
    }
}
