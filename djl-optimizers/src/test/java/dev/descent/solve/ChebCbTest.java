package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class ChebCbTest {

    /** T₀..T₅ against their closed forms and T_j(cos θ) = cos jθ; a ↦ −1, b ↦ 1. */
    @Test
    void chebyshevFeaturesMatchClosedForms() {
        ChebCb learner = new ChebCb(3, 6, -0.15, 0.65, 1);
        for (double c : new double[] {-0.15, 0.0, 0.17, 0.4, 0.65}) {
            double z = 2 * (c + 0.15) / 0.8 - 1;
            double[] phi = learner.features(c);
            double[] closed = {
                1,
                z,
                2 * z * z - 1,
                4 * z * z * z - 3 * z,
                8 * Math.pow(z, 4) - 8 * z * z + 1,
                16 * Math.pow(z, 5) - 20 * z * z * z + 5 * z
            };
            for (int j = 0; j < 6; j++) {
                assertThat(phi[j]).as("T%d(%s)", j, z).isCloseTo(closed[j], within(1e-13));
                assertThat(phi[j]).isCloseTo(Math.cos(j * Math.acos(z)), within(1e-13));
            }
        }
        assertThat(learner.features(-0.15)[1]).isEqualTo(-1);
        assertThat(learner.features(0.65)[1]).isEqualTo(1);
    }

    private static double[][] chebyshevRows(double[] z, int m) {
        double[][] f = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            f[i] = ChebCb.chebyshev(z[i], m);
        }
        return f;
    }

    /** Full rank: the fit equals EJML's Householder-QR least squares (a different algorithm). */
    @Test
    void leastSquaresMatchesEjmlQr() {
        SplittableRandom r = new SplittableRandom(3);
        double[] z = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextDouble(-1, 1);
            y[i] = Math.exp(z[i]) + 0.1 * r.nextDouble(-1, 1);
        }
        double[][] f = chebyshevRows(z, 6);
        double[] fit = ChebCb.minimumNormLeastSquares(f, y);
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(40, 6);
        assertThat(qr.setA(new DMatrixRMaj(f))).isTrue();
        DMatrixRMaj x = new DMatrixRMaj(6, 1);
        qr.solve(new DMatrixRMaj(40, 1, true, y), x);
        for (int j = 0; j < 6; j++) {
            assertThat(fit[j]).isCloseTo(x.get(j), within(1e-10));
        }
    }

    /**
     * Rank-deficient (3 distinct contexts, 6 features): the fit interpolates, and is the
     * minimum-norm solution — orthogonal to the null space of F.
     */
    @Test
    void rankDeficientFitIsMinimumNorm() {
        double[] z = {-0.5, 0.25, 0.8, 0.25};
        double[] y = {2, -1, 0.5, -1};
        double[][] f = chebyshevRows(z, 6);
        double[] fit = ChebCb.minimumNormLeastSquares(f, y);
        assertThat(ChebCb.squaredResidual(f, y, fit)).isLessThan(1e-24);
        // null-space vectors: any θ with F θ = 0; build from the 6 basis directions projected
        DMatrixRMaj a = new DMatrixRMaj(f);
        org.ejml.interfaces.decomposition.SingularValueDecomposition_F64<DMatrixRMaj> svd =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(4, 6, false, true, false);
        assertThat(svd.decompose(a)).isTrue();
        DMatrixRMaj vt = svd.getV(null, true);
        double[] s = svd.getSingularValues();
        for (int row = 0; row < 6; row++) {
            double sigma = row < s.length ? s[row] : 0;
            if (sigma < 1e-10) {
                double dot = 0;
                for (int j = 0; j < 6; j++) {
                    dot += vt.get(row, j) * fit[j];
                }
                assertThat(dot)
                        .as("component along null direction %d", row)
                        .isCloseTo(0, within(1e-10));
            }
        }
    }

    /** The box-constrained fit meets the KKT conditions of min ‖Fθ − y‖² on lb ≤ θ ≤ ub. */
    @Test
    void boxLeastSquaresMeetsKkt() {
        SplittableRandom r = new SplittableRandom(5);
        double[] z = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextDouble(-1, 1);
            y[i] = 3 * z[i] * z[i] * z[i] - z[i] + 0.05 * r.nextDouble(-1, 1);
        }
        double[][] f = chebyshevRows(z, 6);
        double[] ub = {0.5, 0.3, 0.2, 0.4, 0.1, 0.05};
        double[] lb = new double[6];
        for (int j = 0; j < 6; j++) {
            lb[j] = -ub[j];
        }
        double[] x = ChebCb.boxLeastSquares(f, y, lb, ub, new double[6]);
        int active = 0;
        for (int j = 0; j < 6; j++) {
            double g = 0; // ∂/∂θ_j of ½‖Fθ − y‖²
            for (int i = 0; i < f.length; i++) {
                double e = -y[i];
                for (int k = 0; k < 6; k++) {
                    e += f[i][k] * x[k];
                }
                g += f[i][j] * e;
            }
            assertThat(x[j]).isBetween(lb[j], ub[j]);
            if (x[j] == ub[j]) {
                assertThat(g).isLessThanOrEqualTo(1e-9);
                active++;
            } else if (x[j] == lb[j]) {
                assertThat(g).isGreaterThanOrEqualTo(-1e-9);
                active++;
            } else {
                assertThat(g).isCloseTo(0, within(1e-9));
            }
        }
        assertThat(active).as("the box binds (else the test shows nothing)").isPositive();
    }

    /**
     * Costs where arm 0 is best for contexts below the middle and arm 1 above it: after 3000 rounds
     * ChebCB gives the right arm most of the probability at both ends.
     */
    @Test
    void learnsAContextDependentBestArm() {
        ChebCb learner = new ChebCb(4, 6, 0, 1, 9);
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 3000; t++) {
            double c = r.nextDouble();
            int arm = learner.select(c);
            double cost =
                    switch (arm) {
                        case 0 -> 10 + 40 * c;
                        case 1 -> 50 - 40 * c;
                        default -> 60;
                    };
            learner.update(cost + r.nextInt(0, 3));
        }
        assertThat(learner.probabilities(0.05)[0]).isGreaterThan(0.5);
        assertThat(learner.probabilities(0.95)[1]).isGreaterThan(0.5);
        assertThat(learner.eta()).isPositive().isFinite();
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new ChebCb(0, 6, 0, 1, 1))
                .hasMessageContaining("arm set must not be empty");
        assertThatThrownBy(() -> new ChebCb(3, 0, 0, 1, 1))
                .hasMessageContaining("features must be >= 1");
        assertThatThrownBy(() -> new ChebCb(3, 6, 1, 1, 1)).hasMessageContaining("low < high");
        ChebCb learner = new ChebCb(3, 6, -0.15, 0.65, 1);
        assertThatThrownBy(() -> learner.select(Double.NaN))
                .hasMessageContaining("context must be finite");
        assertThatThrownBy(() -> learner.select(0.7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.7 lies outside the learner's range [-0.15, 0.65]");
        assertThatThrownBy(() -> learner.update(3)).isInstanceOf(IllegalStateException.class);
        learner.select(0.1);
        assertThatThrownBy(() -> learner.update(Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity");
    }
}
