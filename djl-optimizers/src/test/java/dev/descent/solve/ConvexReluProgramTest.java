package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class ConvexReluProgramTest {

    /** float64 round-off on sums of a few hundred O(1) products. */
    private static final double F64 = 1e-12;

    @Test
    void patternsAreDistinctNonEmptyAndProducedByTheirGenerators() {
        ConvexReluProgram program = ConvexReluFixtures.twoDimensional();
        assertThat(program.patterns()).isEqualTo(60);
        assertThat(program.dimension()).isEqualTo(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < program.patterns(); i++) {
            boolean[] mask = program.pattern(i);
            double[] h = program.generator(i);
            boolean any = false;
            for (int r = 0; r < program.samples(); r++) {
                double xh = ConvexReluProgram.dot(program.row(r), h);
                assertThat(mask[r]).as("pattern %d row %d", i, r).isEqualTo(xh >= 0);
                any |= mask[r];
            }
            assertThat(any).as("pattern %d is empty", i).isTrue();
            assertThat(seen.add(Arrays.toString(mask))).as("pattern %d repeats", i).isTrue();
        }
    }

    @Test
    void oneDimensionalDataHasAtMostTwoNPatternsAndSamplingStopsShort() {
        // x = (t, 1): the hyperplanes h·x = 0 through the origin of R² cut it into at most 2n
        // sectors, one of them empty, so asking for 60 > 2·30 − 1 cannot be met
        ConvexReluProgram program = ConvexReluFixtures.oneDimensional();
        assertThat(program.patterns()).isLessThanOrEqualTo(2 * 30 - 1).isLessThan(60);
        for (int r = 0; r < program.samples(); r++) {
            assertThat(program.row(r)[1]).as("bias column, row %d", r).isEqualTo(1.0);
        }
    }

    @Test
    void theSameSeedGivesTheSamePatternsAndAnotherSeedOthers() {
        double[][][] data = ConvexReluFixtures.sine(30, 2, 1);
        double[] y = ConvexReluFixtures.column(data[1]);
        ConvexReluProgram a = ConvexReluProgram.sample(data[0], y, 1e-3, 20, 5, true);
        ConvexReluProgram b = ConvexReluProgram.sample(data[0], y, 1e-3, 20, 5, true);
        ConvexReluProgram c = ConvexReluProgram.sample(data[0], y, 1e-3, 20, 6, true);
        boolean differs = false;
        for (int i = 0; i < 20; i++) {
            assertThat(b.pattern(i)).isEqualTo(a.pattern(i));
            assertThat(b.generator(i)).isEqualTo(a.generator(i));
            differs |= !Arrays.equals(a.pattern(i), c.pattern(i));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void operatorsMatchTheDenseMatricesAndTheirGram() {
        ConvexReluProgram program = ConvexReluFixtures.twoDimensional();
        int n = program.samples();
        int d = program.dimension();
        int p = program.patterns();
        // dense F (n × 2Pd) and G (2Pn × 2Pd) written out from the definition
        DMatrixRMaj f = new DMatrixRMaj(n, 2 * p * d);
        DMatrixRMaj g = new DMatrixRMaj(2 * p * n, 2 * p * d);
        for (int i = 0; i < p; i++) {
            boolean[] mask = program.pattern(i);
            for (int r = 0; r < n; r++) {
                double[] x = program.row(r);
                for (int j = 0; j < d; j++) {
                    if (mask[r]) {
                        f.set(r, i * d + j, x[j]);
                        f.set(r, (p + i) * d + j, -x[j]);
                    }
                    double sign = mask[r] ? 1 : -1;
                    g.set(i * n + r, i * d + j, sign * x[j]);
                    g.set((p + i) * n + r, (p + i) * d + j, sign * x[j]);
                }
            }
        }
        Random random = new Random(3);
        double[] u = gaussian(random, 2 * p * d);
        double[] z = gaussian(random, n);
        double[] q = gaussian(random, 2 * p * n);
        assertClose(apply(program, u, 'F', n), dense(f, u, false));
        assertClose(apply(program, z, 'f', 2 * p * d), dense(f, z, true));
        assertClose(apply(program, u, 'G', 2 * p * n), dense(g, u, false));
        assertClose(apply(program, q, 'g', 2 * p * d), dense(g, q, true));
        DMatrixRMaj ftf = new DMatrixRMaj(2 * p * d, 2 * p * d);
        CommonOps_DDRM.multTransA(f, f, ftf);
        DMatrixRMaj gram = program.lossGram();
        for (int k = 0; k < ftf.data.length; k++) {
            assertThat(gram.data[k]).isCloseTo(ftf.data[k], within(F64 * 100));
        }
        // the objective and predictions, from F
        ConvexReluSolution point = ConvexReluAdmm.toSolution(u, p, d);
        double[] fu = dense(f, u, false);
        double[] y = program.targets();
        double expected = 0;
        for (int r = 0; r < n; r++) {
            expected += 0.5 * (fu[r] - y[r]) * (fu[r] - y[r]);
        }
        for (int i = 0; i < p; i++) {
            expected += program.beta() * (norm(point.v()[i]) + norm(point.w()[i]));
        }
        assertClose(program.predictions(point), fu);
        assertThat(program.objective(point)).isCloseTo(expected, within(F64 * Math.abs(expected)));
    }

    @Test
    void theZeroPointHasHalfTheSquaredTargetsAndAGeneratorIsFeasible() {
        ConvexReluProgram program = ConvexReluFixtures.twoDimensional();
        ConvexReluSolution zero = ConvexReluSolution.zeros(program.patterns(), program.dimension());
        double half = 0;
        for (double t : program.targets()) {
            half += 0.5 * t * t;
        }
        assertThat(program.objective(zero)).isEqualTo(half, within(F64));
        assertThat(program.coneViolation(zero)).isZero();
        ConvexReluSolution generators =
                ConvexReluSolution.zeros(program.patterns(), program.dimension());
        for (int i = 0; i < program.patterns(); i++) {
            generators.v()[i] = program.generator(i);
            generators.w()[i] = program.generator(i);
        }
        assertThat(program.coneViolation(generators)).isZero();
        generators.v()[0] = negate(program.generator(0));
        assertThat(program.coneViolation(generators)).isPositive();
    }

    @Test
    void badInputIsRefusedByName() {
        double[][] x = {{0.1}, {0.2}, {0.3}};
        double[] y = {1, 2, 3};
        assertThatThrownBy(
                        () ->
                                ConvexReluProgram.sample(
                                        new double[][] {{0.1}, {Double.NaN}, {0.3}},
                                        y,
                                        1e-3,
                                        5,
                                        1,
                                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("features[1][0]")
                .hasMessageContaining("NaN");
        assertThatThrownBy(
                        () ->
                                ConvexReluProgram.sample(
                                        x,
                                        new double[] {1, Double.POSITIVE_INFINITY, 3},
                                        1e-3,
                                        5,
                                        1,
                                        true))
                .hasMessageContaining("targets[1]");
        assertThatThrownBy(() -> ConvexReluProgram.sample(x, new double[] {1, 2}, 1e-3, 5, 1, true))
                .hasMessageContaining("targets must have one entry per row of features (3), got 2");
        assertThatThrownBy(
                        () ->
                                ConvexReluProgram.sample(
                                        new double[][] {{0.1}, {0.2, 0.3}},
                                        new double[] {1, 2},
                                        1e-3,
                                        5,
                                        1,
                                        true))
                .hasMessageContaining("rectangular");
        assertThatThrownBy(
                        () ->
                                ConvexReluProgram.sample(
                                        new double[0][], new double[0], 1e-3, 5, 1, true))
                .hasMessageContaining("at least one row");
        assertThatThrownBy(() -> ConvexReluProgram.sample(x, y, 0, 5, 1, true))
                .hasMessageContaining("beta must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ConvexReluProgram.sample(x, y, Double.NaN, 5, 1, true))
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> ConvexReluProgram.sample(x, y, 1e-3, 0, 1, true))
                .hasMessageContaining("samples must be >= 1, got 0");
        ConvexReluProgram program = ConvexReluProgram.sample(x, y, 1e-3, 5, 1, true);
        assertThatThrownBy(
                        () ->
                                program.objective(
                                        ConvexReluSolution.zeros(program.patterns() + 1, 2)))
                .hasMessageContaining("groups");
        assertThatThrownBy(() -> program.objective(ConvexReluSolution.zeros(program.patterns(), 3)))
                .hasMessageContaining("must have 2 entries");
        assertThatThrownBy(() -> new ConvexReluSolution(new double[2][2], new double[3][2]))
                .hasMessageContaining("same number of groups");
    }

    private static double[] apply(
            ConvexReluProgram program, double[] in, char which, int outLength) {
        double[] out = new double[outLength];
        switch (which) {
            case 'F' -> ConvexReluAdmm.applyF(program.data(), program.masks(), in, out);
            case 'f' -> ConvexReluAdmm.applyFt(program.data(), program.masks(), in, out);
            case 'G' -> ConvexReluAdmm.applyG(program.data(), program.masks(), in, out);
            default -> ConvexReluAdmm.applyGt(program.data(), program.masks(), in, out);
        }
        return out;
    }

    private static double[] dense(DMatrixRMaj m, double[] v, boolean transpose) {
        DMatrixRMaj out = new DMatrixRMaj(transpose ? m.numCols : m.numRows, 1);
        DMatrixRMaj vector = DMatrixRMaj.wrap(v.length, 1, v);
        if (transpose) {
            CommonOps_DDRM.multTransA(m, vector, out);
        } else {
            CommonOps_DDRM.mult(m, vector, out);
        }
        return out.data;
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k])
                    .as("entry %d", k)
                    .isCloseTo(expected[k], within(F64 * (1 + Math.abs(expected[k]))));
        }
    }

    static double[] gaussian(Random random, int length) {
        double[] out = new double[length];
        for (int k = 0; k < length; k++) {
            out[k] = random.nextGaussian();
        }
        return out;
    }

    private static double[] negate(double[] a) {
        double[] out = a.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] = -out[k];
        }
        return out;
    }

    private static double norm(double[] a) {
        return Math.sqrt(ConvexReluProgram.dot(a, a));
    }
}
