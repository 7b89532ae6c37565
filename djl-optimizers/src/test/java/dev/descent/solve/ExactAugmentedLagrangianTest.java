package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.descent.curvature.GraphConstants;
import dev.descent.solve.ConstrainedTestProblems.TestProblem;
import dev.descent.solve.ExactAugmentedLagrangian.Iterate;
import dev.descent.solve.ExactAugmentedLagrangian.KktSolver;
import dev.descent.solve.ExactAugmentedLagrangian.Result;
import dev.descent.solve.ExactAugmentedLagrangian.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ExactAugmentedLagrangianTest {

    /** The reference's first KKT values are printed to 4 decimals. */
    private static final double KKT0_DECIMALS = 5e-5;

    /** float64 autograd against the independent sympy/numpy KKT₀ (printed to 10 decimals). */
    private static final double KKT0_INDEPENDENT = 1e-9;

    /** Central differences with h = 1e-6 in float64: truncation ~h², rounding ~1e-16/h. */
    private static final double FD_TOL = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * problem → {kkt0, fstar} from constrained_reference.csv (made by constrained_reference.py).
     */
    private static Map<String, double[]> independentReference() throws IOException {
        Map<String, double[]> table = new HashMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                ExactAugmentedLagrangianTest.class.getResourceAsStream(
                                        "constrained_reference.csv"),
                                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                table.put(f[0], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        }
        return table;
    }

    @Test
    void kktAtTheStartMatchesTheReferenceAndAnIndependentTranscription() throws IOException {
        Map<String, double[]> independent = independentReference();
        List<TestProblem> problems = new java.util.ArrayList<>(ConstrainedTestProblems.all());
        problems.add(ConstrainedTestProblems.hs61());
        assertThat(problems).hasSizeGreaterThanOrEqualTo(13);
        int withReference = 0;
        for (TestProblem p : problems) {
            EqualityConstrainedProblem q = p.problem();
            double kkt0 = q.derivatives(q.start(), q.startMultipliers(), manager).kktResidual();
            if (!Double.isNaN(p.referenceKkt0())) {
                withReference++;
                assertThat(kkt0).as(p.name()).isCloseTo(p.referenceKkt0(), within(KKT0_DECIMALS));
            }
            double expected = independent.get(p.name())[0];
            assertThat(kkt0)
                    .as(p.name())
                    .isCloseTo(expected, within(KKT0_INDEPENDENT * Math.max(1, expected)));
            if (!p.name().equals("HS61")) {
                assertThat(p.optimum())
                        .as(p.name() + " f*")
                        .isCloseTo(independent.get(p.name())[1], within(1e-12));
            }
        }
        assertThat(withReference).isGreaterThanOrEqualTo(20);
    }

    /** HS40 by hand: f = −x1x2x3x4, c = (x1³ + x2² − 1, x1²x4 − x3, x4² − x2). */
    @Test
    void derivativesMatchClosedFormsAndFiniteDifferences() {
        EqualityConstrainedProblem p = ConstrainedTestProblems.hs40().problem();
        double[] x = {0.7, 1.1, -0.4, 0.9};
        double[] lambda = {0.3, -1.2, 0.5};
        EqualityConstrainedProblem.Derivatives d = p.derivatives(x, lambda, manager);
        double x1 = x[0];
        double x2 = x[1];
        double x3 = x[2];
        double x4 = x[3];
        assertThat(d.value()).isCloseTo(-x1 * x2 * x3 * x4, within(1e-15));
        double[] gradF = {-x2 * x3 * x4, -x1 * x3 * x4, -x1 * x2 * x4, -x1 * x2 * x3};
        double[][] g = {
            {3 * x1 * x1, 2 * x2, 0, 0}, {2 * x1 * x4, 0, -1, x1 * x1}, {0, -1, 0, 2 * x4}
        };
        double[] c = {x1 * x1 * x1 + x2 * x2 - 1, x1 * x1 * x4 - x3, x4 * x4 - x2};
        for (int i = 0; i < 3; i++) {
            assertThat(d.constraintValues()[i]).isCloseTo(c[i], within(1e-15));
            for (int j = 0; j < 4; j++) {
                assertThat(d.jacobian().get(i, j)).isCloseTo(g[i][j], within(1e-14));
            }
        }
        for (int j = 0; j < 4; j++) {
            assertThat(d.objectiveGradient()[j]).isCloseTo(gradF[j], within(1e-14));
            double gl = gradF[j];
            for (int i = 0; i < 3; i++) {
                gl += g[i][j] * lambda[i];
            }
            assertThat(d.lagrangianGradient()[j]).isCloseTo(gl, within(1e-14));
        }
        // ∇²ₓL column j against central differences of ∇ₓL from firstOrder (one backward pass)
        double h = 1e-6;
        for (int j = 0; j < 4; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] gp = p.firstOrder(plus, lambda, manager).lagrangianGradient();
            double[] gm = p.firstOrder(minus, lambda, manager).lagrangianGradient();
            for (int i = 0; i < 4; i++) {
                assertThat(d.lagrangianHessian().get(i, j))
                        .as("H[%d][%d]", i, j)
                        .isCloseTo((gp[i] - gm[i]) / (2 * h), within(FD_TOL));
            }
        }
        // a closed-form entry: ∂²L/∂x1² = 6x1λ1 + 2x4λ2
        assertThat(d.lagrangianHessian().get(0, 0))
                .isCloseTo(6 * x1 * lambda[0] + 2 * x4 * lambda[1], within(1e-14));
    }

    /** ∇L_η from the formula against central differences of L_η(x, λ) computed from firstOrder. */
    @Test
    void meritGradientMatchesFiniteDifferencesOfTheMerit() {
        EqualityConstrainedProblem p = ConstrainedTestProblems.hs78().problem();
        double[] x = {-1.5, 1.2, 1.7, -0.8, -0.7};
        double[] lambda = {0.2, -0.4, 0.9};
        double eta1 = 2.25;
        double eta2 = 0.0667;
        EqualityConstrainedProblem.Derivatives d = p.derivatives(x, lambda, manager);
        double[] grad =
                ExactAugmentedLagrangian.meritGradient(d, d.lagrangianHessian(), eta1, eta2);
        double h = 1e-6;
        for (int k = 0; k < 8; k++) {
            double[] zp = concat(x, lambda);
            double[] zm = concat(x, lambda);
            zp[k] += h;
            zm[k] -= h;
            double fd = (merit(p, zp, eta1, eta2) - merit(p, zm, eta1, eta2)) / (2 * h);
            assertThat(grad[k]).as("component %d", k).isCloseTo(fd, within(FD_TOL));
        }
    }

    private double merit(EqualityConstrainedProblem p, double[] z, double eta1, double eta2) {
        double[] x = java.util.Arrays.copyOfRange(z, 0, p.dimension());
        double[] lambda = java.util.Arrays.copyOfRange(z, p.dimension(), z.length);
        EqualityConstrainedProblem.FirstOrder f = p.firstOrder(x, lambda, manager);
        return ExactAugmentedLagrangian.merit(
                f.value(), f.constraintValues(), f.lagrangianGradient(), lambda, eta1, eta2);
    }

    /**
     * Both sketches on the KKT system of HS48 at its start converge to the LU solution: the error
     * after 10⁵ steps is below 1e-8 relative and below the error after 10² steps.
     */
    @Test
    void sketchSolvesConvergeToTheExactKktSolve() {
        EqualityConstrainedProblem p = ConstrainedTestProblems.hs48().problem();
        EqualityConstrainedProblem.Derivatives d =
                p.derivatives(p.start(), p.startMultipliers(), manager);
        DMatrixRMaj b = d.lagrangianHessian().copy();
        for (int i = 0; i < 5; i++) {
            b.add(i, i, 1);
        }
        DMatrixRMaj k = ExactAugmentedLagrangian.kktMatrix(b, d.jacobian());
        DMatrixRMaj rhs = new DMatrixRMaj(7, 1);
        for (int i = 0; i < 5; i++) {
            rhs.set(i, 0, -d.lagrangianGradient()[i]);
        }
        for (int i = 0; i < 2; i++) {
            rhs.set(5 + i, 0, -d.constraintValues()[i]);
        }
        DMatrixRMaj exact = KktSketch.exactSolve(k, rhs);
        double exactNorm = norm(exact.data, new double[7]);
        for (KktSolver solver : List.of(KktSolver.GAUSSIAN_SKETCH, KktSolver.RANDOMIZED_KACZMARZ)) {
            KktSketch sketch = new KktSketch(k, rhs, false);
            Random random = new Random(7);
            double[] errors = new double[3];
            int[] checkpoints = {100, 1_000, 100_000};
            int done = 0;
            for (int c = 0; c < 3; c++) {
                while (done < checkpoints[c]) {
                    if (solver == KktSolver.GAUSSIAN_SKETCH) {
                        sketch.gaussianStep(random);
                    } else {
                        sketch.kaczmarzStep(random);
                    }
                    done++;
                }
                errors[c] = norm(sketch.delta().data, exact.data) / exactNorm;
            }
            assertThat(sketch.steps()).isEqualTo(100_000);
            assertThat(errors[2])
                    .as(solver.name() + " " + java.util.Arrays.toString(errors))
                    .isLessThan(1e-8)
                    .isLessThan(errors[0]);
        }
    }

    /**
     * After the η updates every accepted direction passes the descent test ∇L_ηᵀΔ ≤ −(η₂/2)‖KKT‖²
     * (the caps η₁ ≤ 1e8, η₂ ≥ 1e-8 are not reached here), η₁ only grows and η₂ only shrinks,
     * together: η₁ = ν^(2j), η₂ = 0.1·ν^(−j) for the same j.
     */
    @Test
    void acceptedDirectionsPassTheDescentTestAfterThePenaltyUpdates() {
        boolean updated = false;
        for (TestProblem p :
                List.of(
                        ConstrainedTestProblems.hs7(),
                        ConstrainedTestProblems.bt2(),
                        ConstrainedTestProblems.hs47())) {
            for (double eta1 : new double[] {1, 0.01}) {
                Result r =
                        ExactAugmentedLagrangian.builder().optEta1(eta1).build().solve(p.problem());
                assertThat(r.status()).isEqualTo(Status.CONVERGED);
                List<Iterate> h = r.history();
                for (int k = 1; k < h.size(); k++) {
                    Iterate before = h.get(k - 1);
                    Iterate after = h.get(k);
                    double kkt = before.kktResidual();
                    assertThat(after.slope())
                            .as("%s iteration %d", p.name(), k)
                            .isLessThanOrEqualTo(-(after.eta2() / 2) * kkt * kkt);
                    assertThat(after.eta1()).isGreaterThanOrEqualTo(before.eta1());
                    assertThat(after.eta2()).isLessThanOrEqualTo(before.eta2());
                    double j = Math.log(after.eta1() / eta1) / (2 * Math.log(1.5));
                    assertThat(after.eta2()).isCloseTo(0.1 * Math.pow(1.5, -j), within(1e-12));
                    updated |= after.eta1() > eta1;
                }
            }
        }
        assertThat(updated).as("some run raised η₁").isTrue();
    }

    /**
     * The exact Newton variant on every problem: KKT &lt; 1e-4, and f* to 1e-6 at tolerance 1e-9.
     */
    @Test
    void exactNewtonSolvesEveryProblem() {
        for (TestProblem p : ConstrainedTestProblems.all()) {
            Result r =
                    ExactAugmentedLagrangian.builder()
                            .optKktSolver(KktSolver.EXACT)
                            .build()
                            .solve(p.problem());
            assertThat(r.status()).as(p.name()).isEqualTo(Status.CONVERGED);
            assertThat(r.kktResidual()).as(p.name()).isLessThan(1e-4);
            Result tight =
                    ExactAugmentedLagrangian.builder()
                            .optKktSolver(KktSolver.EXACT)
                            .optTolerance(1e-9)
                            .build()
                            .solve(p.problem());
            assertThat(tight.status()).as(p.name()).isEqualTo(Status.CONVERGED);
            assertThat(tight.value()).as(p.name()).isCloseTo(p.optimum(), within(1e-6));
        }
    }

    /**
     * The Gaussian sketch at the defaults on the problems of the paper's list that run fast,
     * against the iteration counts in the reference's result files (mean of 10 runs, within ±2).
     */
    @Test
    void gaussianSketchMatchesTheReferenceIterationCounts() {
        Map<String, Integer> reference =
                Map.of(
                        "HS6", 9, "HS7", 10, "HS28", 1, "HS40", 3, "HS42", 4, "HS48", 1, "HS50", 8,
                        "HS56", 5, "HS78", 4, "BT5", 5);
        for (Map.Entry<String, Integer> e : reference.entrySet()) {
            TestProblem p = ConstrainedTestProblems.byName(e.getKey());
            Result r = ExactAugmentedLagrangian.builder().build().solve(p.problem());
            assertThat(r.status()).as(p.name()).isEqualTo(Status.CONVERGED);
            assertThat(r.kktResidual()).as(p.name()).isLessThan(1e-4);
            assertThat(r.iterations()).as(p.name()).isBetween(e.getValue() - 2, e.getValue() + 2);
        }
    }

    /** Every problem with both sketches: KKT &lt; 1e-4, f* to 1e-6 at tolerance 1e-8 (minutes). */
    @Tag("slow")
    @Test
    void bothSketchesSolveEveryProblem() {
        for (TestProblem p : ConstrainedTestProblems.all()) {
            for (KktSolver solver :
                    List.of(KktSolver.GAUSSIAN_SKETCH, KktSolver.RANDOMIZED_KACZMARZ)) {
                Result r =
                        ExactAugmentedLagrangian.builder()
                                .optKktSolver(solver)
                                .build()
                                .solve(p.problem());
                assertThat(r.status()).as(p.name() + " " + solver).isEqualTo(Status.CONVERGED);
                assertThat(r.kktResidual()).isLessThan(1e-4);
            }
        }
    }

    @Test
    void sameSeedSameRunOtherSeedOtherSketches() {
        EqualityConstrainedProblem p = ConstrainedTestProblems.hs7().problem();
        Result a = ExactAugmentedLagrangian.builder().optSeed(5).build().solve(p);
        Result b = ExactAugmentedLagrangian.builder().optSeed(5).build().solve(p);
        Result c = ExactAugmentedLagrangian.builder().optSeed(6).build().solve(p);
        assertThat(b.history()).isEqualTo(a.history());
        assertThat(c.totalSketchSteps()).isNotEqualTo(a.totalSketchSteps());
    }

    // ---- bad input ----

    private static NDArray stack(NDArray... parts) {
        return NDArrays.stack(new NDList(parts));
    }

    @Test
    void inconsistentConstraintsStopAsSingular() {
        // x1 = 0 and x1 = 1: no feasible point, parallel Jacobian rows
        EqualityConstrainedProblem p =
                EqualityConstrainedProblem.of(
                        "inconsistent",
                        x -> x.square().sum(),
                        x -> stack(x.get(0), GraphConstants.sub(x.get(0), 1)),
                        new double[] {0.5, 0.5},
                        2);
        for (KktSolver solver : KktSolver.values()) {
            Result r = ExactAugmentedLagrangian.builder().optKktSolver(solver).build().solve(p);
            assertThat(r.status()).isEqualTo(Status.SINGULAR_JACOBIAN);
            assertThat(r.message()).contains("λ_min(GGᵀ)").contains("iteration 0");
            assertThat(r.x()).containsExactly(0.5, 0.5);
        }
    }

    @Test
    void rankDeficientJacobianAtTheStartStopsAsSingular() {
        // HS61 at its standard start x0 = 0: rows (3, 0, 0) and (4, 0, 0)
        Result r =
                ExactAugmentedLagrangian.builder()
                        .build()
                        .solve(ConstrainedTestProblems.hs61().problem());
        assertThat(r.status()).isEqualTo(Status.SINGULAR_JACOBIAN);
        assertThat(r.iterations()).isZero();
        assertThat(r.message()).contains("0.000e+00");
        // a duplicated constraint: x1 + x2 = 1 twice
        EqualityConstrainedProblem dup =
                EqualityConstrainedProblem.of(
                        "duplicated",
                        x -> x.square().sum(),
                        x -> {
                            NDArray s = GraphConstants.sub(x.sum(), 1);
                            return stack(s, GraphConstants.mul(s, 2));
                        },
                        new double[] {2, 3, 1},
                        2);
        assertThat(ExactAugmentedLagrangian.builder().build().solve(dup).status())
                .isEqualTo(Status.SINGULAR_JACOBIAN);
    }

    @Test
    void infeasibleConstraintEndsWithATypedStatusAndFiniteIterate() {
        // x1² + x2² + 1 = 0 has no real solution; ∇c = 2x vanishes where ‖c‖ is least
        EqualityConstrainedProblem p =
                EqualityConstrainedProblem.of(
                        "infeasible",
                        x -> x.sum(),
                        x -> stack(GraphConstants.add(x.square().sum(), 1)),
                        new double[] {1, 2},
                        1);
        Result r = ExactAugmentedLagrangian.builder().optMaxIterations(200).build().solve(p);
        assertThat(r.status()).isNotEqualTo(Status.CONVERGED);
        assertThat(r.message()).isNotBlank();
        for (double v : r.x()) {
            assertThat(v).isFinite();
        }
        for (Iterate it : r.history()) {
            assertThat(it.value()).isFinite();
        }
    }

    @Test
    void nonFiniteStartIsRejectedByName() {
        EqualityConstrainedProblem hs6 = ConstrainedTestProblems.hs6().problem();
        assertThatThrownBy(
                        () ->
                                EqualityConstrainedProblem.of(
                                        "p",
                                        x -> x.sum(),
                                        x -> x.get(0).reshape(1),
                                        new double[] {1, Double.NaN},
                                        1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x0[1] is NaN");
        assertThatThrownBy(
                        () ->
                                ExactAugmentedLagrangian.builder()
                                        .build()
                                        .solve(
                                                hs6,
                                                new double[] {Double.POSITIVE_INFINITY, 1},
                                                new double[1],
                                                manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x0[0] is Infinity");
        // f = log(x1) at x1 = −1 is NaN
        EqualityConstrainedProblem logOfNegative =
                EqualityConstrainedProblem.of(
                        "log",
                        x -> x.get(0).log(),
                        x -> x.get(1).reshape(1),
                        new double[] {-1, 1},
                        1);
        assertThatThrownBy(() -> ExactAugmentedLagrangian.builder().build().solve(logOfNegative))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("not finite");
    }

    @Test
    void mismatchedDimensionsAreRejected() {
        EqualityConstrainedProblem wrongM =
                EqualityConstrainedProblem.of(
                        "wrong m", x -> x.sum(), x -> x.square(), new double[] {1, 2, 3}, 2);
        assertThatThrownBy(() -> ExactAugmentedLagrangian.builder().build().solve(wrongM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length m = 2, got shape (3)");
        EqualityConstrainedProblem hs6 = ConstrainedTestProblems.hs6().problem();
        assertThatThrownBy(() -> hs6.derivatives(new double[3], new double[1], manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x has length 3, expected n = 2");
        assertThatThrownBy(() -> hs6.firstOrder(new double[2], new double[2], manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("λ has length 2, expected m = 1");
        EqualityConstrainedProblem vectorObjective =
                EqualityConstrainedProblem.of(
                        "vector f",
                        x -> x.square(),
                        x -> x.sum().reshape(1),
                        new double[] {1, 2},
                        1);
        assertThatThrownBy(() -> ExactAugmentedLagrangian.builder().build().solve(vectorObjective))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("objective must return a scalar");
        assertThatThrownBy(() -> ExactAugmentedLagrangian.builder().optBeta(0.7).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta must be in (0, 0.5), got 0.7");
        assertThatThrownBy(() -> ConstrainedTestProblems.byName("HS999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown problem 'HS999'");
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double norm(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
