package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ConvexReluAdmmTest {

    /** The agreement between ADMM and the generic solve. */
    private static final double AGREEMENT = 1e-4;

    /** ADMM iterations for that agreement at the reference's ρ = 0.01 (about 3e-5 reached). */
    private static final int LONG_RUN = 20_000;

    @Test
    void groupSoftThresholdIsTheClosedFormAndTheProximalMap() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            double[] z = ConvexReluProgramTest.gaussian(random, 4);
            double t = 3 * random.nextDouble();
            double norm = Math.sqrt(ConvexReluProgram.dot(z, z));
            double[] prox = z.clone();
            ConvexReluAdmm.groupSoftThreshold(prox, 0, 4, t);
            for (int j = 0; j < 4; j++) {
                double expected = norm <= t ? 0 : (1 - t / norm) * z[j];
                assertThat(prox[j]).isCloseTo(expected, within(1e-15));
            }
            // prox minimizes t‖x‖ + ½‖x − z‖²: no nearby point does better
            double best = t * Math.sqrt(ConvexReluProgram.dot(prox, prox)) + half(prox, z);
            for (int k = 0; k < 20; k++) {
                double[] q = prox.clone();
                for (int j = 0; j < 4; j++) {
                    q[j] += 1e-3 * random.nextGaussian();
                }
                assertThat(t * Math.sqrt(ConvexReluProgram.dot(q, q)) + half(q, z))
                        .isGreaterThanOrEqualTo(best - 1e-15);
            }
        }
        // only the group at the offset is touched
        double[] z = {5, 5, 1, 0, 7};
        ConvexReluAdmm.groupSoftThreshold(z, 2, 2, 2);
        assertThat(z).containsExactly(5, 5, 0, 0, 7);
    }

    @Test
    void projectionOnTheOrthantIsTheClosedFormAndSatisfiesTheVariationalInequality() {
        Random random = new Random(12);
        double[] z = ConvexReluProgramTest.gaussian(random, 50);
        double[] p = new double[50];
        ConvexReluAdmm.projectNonNegative(z, p);
        for (int k = 0; k < 50; k++) {
            assertThat(p[k]).isEqualTo(Math.max(z[k], 0));
        }
        for (int trial = 0; trial < 100; trial++) {
            double[] q = ConvexReluProgramTest.gaussian(random, 50);
            double inner = 0;
            for (int k = 0; k < 50; k++) {
                inner += (z[k] - p[k]) * (Math.abs(q[k]) - p[k]);
            }
            assertThat(inner).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void admmMatchesTheInteriorPointOptimumOnOneDimensionalData() {
        assertAgreement(ConvexReluFixtures.oneDimensional());
    }

    @Test
    @Tag("slow")
    void admmMatchesTheInteriorPointOptimumOnTwoDimensionalData() {
        assertAgreement(ConvexReluFixtures.twoDimensional());
    }

    private static void assertAgreement(ConvexReluProgram program) {
        ConvexReluInteriorPoint.Result exact = ConvexReluInteriorPoint.solve(program, 1e-9);
        // the barrier's bound ν/τ: 3.1e-10 and 3.8e-10 here, far inside the agreement asked
        assertThat(exact.gapBound()).isLessThan(1e-2 * AGREEMENT * exact.objective());
        assertThat(program.coneViolation(exact.solution())).isZero();
        ConvexReluAdmm.Result admm =
                ConvexReluAdmm.builder()
                        .optTolerance(1e-9)
                        .optMaxIterations(LONG_RUN)
                        .build()
                        .solve(program);
        assertThat(admm.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(admm.iterations()).isEqualTo(LONG_RUN);
        double relative = Math.abs(admm.objective() - exact.objective()) / exact.objective();
        assertThat(relative).isLessThan(AGREEMENT);
        assertThat(program.coneViolation(admm.solution())).isLessThan(1e-5);
        // histories: entry 0 at zero, entries finite, the primal residual falls by orders
        assertThat(admm.objectiveHistory()).hasSize(LONG_RUN + 1);
        assertThat(admm.residualHistory()).hasSize(LONG_RUN + 1);
        assertThat(admm.objectiveHistory()[0])
                .isEqualTo(
                        program.objective(
                                ConvexReluSolution.zeros(program.patterns(), program.dimension())));
        assertThat(admm.residualHistory()[LONG_RUN]).isLessThan(1e-4 * admm.residualHistory()[1]);
        // group sparsity: ADMM's v has zero groups, the interior point none
        assertThat(admm.solution().nonzeroGroups()).isLessThan(2 * program.patterns());
        assertThat(exact.solution().nonzeroGroups()).isEqualTo(2 * program.patterns());
    }

    @Test
    void theReferenceDefaultsStopAtTheIterationCapAndATolerableRunConverges() {
        ConvexReluProgram program = ConvexReluFixtures.oneDimensional();
        ConvexReluAdmm.Result defaults = ConvexReluAdmm.builder().build().solve(program);
        assertThat(defaults.status()).isEqualTo(SolveStatus.ITERATION_LIMIT);
        assertThat(defaults.iterations()).isEqualTo(ConvexReluAdmm.DEFAULT_MAX_ITERATIONS);
        ConvexReluAdmm.Result loose =
                ConvexReluAdmm.builder()
                        .optTolerance(1e-4)
                        .optMaxIterations(LONG_RUN)
                        .build()
                        .solve(program);
        assertThat(loose.status()).isEqualTo(SolveStatus.CONVERGED);
        assertThat(loose.iterations()).isLessThan(LONG_RUN);
        assertThat(loose.residualHistory()[loose.iterations()]).isLessThanOrEqualTo(1e-4);
        // the same inputs give the same iterates, bit for bit
        ConvexReluAdmm.Result again =
                ConvexReluAdmm.builder()
                        .optTolerance(1e-4)
                        .optMaxIterations(LONG_RUN)
                        .build()
                        .solve(program);
        assertThat(again.objectiveHistory()).isEqualTo(loose.objectiveHistory());
    }

    @Test
    void overflowingDataEndsInBreakdownWithAFiniteIterate() {
        // finite inputs whose squares overflow: the first iterate is not finite
        double[][] x = {{1e200}, {-1e200}, {2e200}};
        double[] y = {1, 2, 3};
        ConvexReluProgram program = ConvexReluProgram.sample(x, y, 1e-3, 4, 1, true);
        ConvexReluAdmm solver = ConvexReluAdmm.builder().optMaxIterations(10).build();
        ConvexReluAdmm.Result result = solver.solve(program);
        assertThat(result.status()).isEqualTo(SolveStatus.BREAKDOWN);
        assertThat(result.iterations()).isZero();
        assertThat(result.objectiveHistory()).hasSize(1);
        for (double[] group : result.solution().v()) {
            assertThat(group).containsOnly(0.0);
        }
    }

    @Test
    void theOperationCountIsQuadraticInNWhenThePatternsGrowWithN() {
        for (long n = 1_000; n <= 64_000; n *= 2) {
            double ratio =
                    (double) ConvexReluAdmm.multiplyAddsPerIteration(2 * n, 3, n)
                            / ConvexReluAdmm.multiplyAddsPerIteration(n, 3, n / 2);
            assertThat(ratio).isCloseTo(4.0, within(1e-9));
            double fixed =
                    (double) ConvexReluAdmm.multiplyAddsPerIteration(2 * n, 3, 50)
                            / ConvexReluAdmm.multiplyAddsPerIteration(n, 3, 50);
            assertThat(fixed).isBetween(1.0, 2.0);
        }
    }

    @Test
    void builderRefusesBadValuesByName() {
        assertThatThrownBy(() -> ConvexReluAdmm.builder().optRho(0).build())
                .hasMessage("rho must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ConvexReluAdmm.builder().optStep(Double.NaN).build())
                .hasMessage("step must be finite and > 0, got NaN");
        assertThatThrownBy(() -> ConvexReluAdmm.builder().optTolerance(-1).build())
                .hasMessage("tolerance must be finite and > 0, got -1.0");
        assertThatThrownBy(() -> ConvexReluAdmm.builder().optMaxIterations(0).build())
                .hasMessage("maxIterations must be >= 1, got 0");
        assertThatThrownBy(
                        () -> ConvexReluInteriorPoint.solve(ConvexReluFixtures.oneDimensional(), 0))
                .hasMessage("gap must be finite and > 0, got 0.0");
    }

    private static double half(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += 0.5 * (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
