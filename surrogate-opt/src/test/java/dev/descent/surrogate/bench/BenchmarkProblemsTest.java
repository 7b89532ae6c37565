package dev.descent.surrogate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.descent.onnx.OnnxException;
import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.SurrogateProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkProblemsTest {

    /** ONNX Runtime and torch evaluate the same float32 graph: agreement to float32 rounding. */
    private static final double F32_RTOL = 1e-5;

    private static final double F32_ATOL = 1e-6;

    /** How far below the best point of a fine grid the 2-D reference estimate may fall. */
    private static final double GRID_SLACK = 1e-3;

    private static final int GRID = 201;

    @Test
    void theSetCoversTheRequiredShapes() {
        List<BenchmarkProblem> all = BenchmarkProblems.standard();
        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
        Set<String> names = new HashSet<>();
        int fixtures = 0;
        int exact = 0;
        for (BenchmarkProblem p : all) {
            assertThat(names.add(p.name())).as("unique name %s", p.name()).isTrue();
            if (p.network() instanceof Network.Fixture) {
                fixtures++;
            }
            if (p.optimum() == BenchmarkProblem.Optimum.EXACT_ZERO) {
                exact++;
            }
        }
        assertThat(fixtures).isGreaterThanOrEqualTo(3);
        assertThat(exact).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> BenchmarkProblems.named("nope"))
                .hasMessageContaining("unknown benchmark problem nope; known: [rand-n2-tanh2");
    }

    @Test
    void everyProblemOpensWithAFeasibleStartInsideTheBox() {
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        boolean single = false;
        boolean multiple = false;
        boolean constrained = false;
        boolean unconstrained = false;
        for (BenchmarkProblem p : BenchmarkProblems.standard()) {
            try (BenchmarkProblem.Instance instance = p.open()) {
                SurrogateProblem problem = instance.problem();
                int n = problem.dimension();
                int m = instance.surrogate().outputDimension();
                smallest = Math.min(smallest, n);
                largest = Math.max(largest, n);
                single |= m == 1;
                multiple |= m >= 2;
                constrained |= !problem.constraints().isEmpty();
                unconstrained |= problem.constraints().isEmpty();
                double[] y = instance.surrogate().evaluate(new double[][] {problem.start()})[0];
                for (OutputFunction c : problem.constraints()) {
                    assertThat(c.value(y))
                            .as("constraint at the start of %s", p.name())
                            .isLessThanOrEqualTo(0);
                }
                assertThat(problem.lower()).containsOnly(-1);
                assertThat(problem.upper()).containsOnly(1);
                assertThat(problem.start()).containsOnly(0);
            }
        }
        assertThat(smallest).isEqualTo(2);
        assertThat(largest).isEqualTo(100);
        assertThat(single && multiple && constrained && unconstrained).isTrue();
    }

    @Test
    void torchFixturesEvaluateAsTorchDid() throws IOException {
        for (String name :
                List.of("peaks_n2_m1", "hartmann_n6_m2", "styblinski_n20_m1", "latent_n48_m3")) {
            JsonObject sample;
            try (InputStream in =
                    getClass()
                            .getResourceAsStream(Network.Fixture.FOLDER + name + ".sample.json")) {
                sample =
                        JsonParser.parseString(
                                        new String(in.readAllBytes(), StandardCharsets.UTF_8))
                                .getAsJsonObject();
            }
            double[][] input = rows(sample.getAsJsonArray("input"));
            double[][] expected = rows(sample.getAsJsonArray("output"));
            try (OnnxModel model = new Network.Fixture(name + ".onnx", "").open();
                    Surrogate phi = Surrogates.builder(model).build()) {
                assertThat(phi.exactDerivatives()).isTrue();
                double[][] actual = phi.evaluate(input);
                for (int r = 0; r < expected.length; r++) {
                    for (int j = 0; j < expected[r].length; j++) {
                        assertThat(actual[r][j])
                                .as("%s row %d output %d", name, r, j)
                                .isCloseTo(
                                        expected[r][j],
                                        within(F32_ATOL + F32_RTOL * Math.abs(expected[r][j])));
                    }
                }
            }
        }
    }

    @Test
    void anInstanceClosesTwice() {
        BenchmarkProblem.Instance instance = BenchmarkProblems.named("rand-n2-tanh2").open();
        instance.close();
        instance.close();
        assertThatThrownBy(() -> instance.model().evaluate(new float[][] {{0, 0}}))
                .isInstanceOf(OnnxException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void targetProblemsReachZeroAtTheirTarget() {
        try (BenchmarkProblem.Instance instance =
                BenchmarkProblems.named("torch-hartmann-target").open()) {
            double[] y =
                    instance.surrogate()
                            .evaluate(new double[][] {BenchmarkProblems.HARTMANN_TARGET_POINT})[0];
            assertThat(instance.problem().objective().value(y)).isZero();
            assertThat(instance.optimum()).isZero();
        }
    }

    @Test
    void referenceOptimumMatchesAFineGridInTwoDimensions() {
        try (BenchmarkProblem.Instance instance = BenchmarkProblems.named("rand-n2-tanh2").open()) {
            double[][] grid = new double[GRID * GRID][];
            for (int a = 0; a < GRID; a++) {
                for (int b = 0; b < GRID; b++) {
                    grid[a * GRID + b] =
                            new double[] {-1 + 2.0 * a / (GRID - 1), -1 + 2.0 * b / (GRID - 1)};
                }
            }
            double gridBest = Double.NEGATIVE_INFINITY;
            for (double[] y : instance.surrogate().evaluate(grid)) {
                gridBest = Math.max(gridBest, instance.problem().objective().value(y));
            }
            double start =
                    instance.problem()
                            .objective()
                            .value(
                                    instance.surrogate()
                                            .evaluate(new double[][] {instance.problem().start()})[
                                            0]);
            double estimate = ReferenceOptimum.estimate(instance.problem(), 16, 100, 1);
            assertThat(estimate).isGreaterThan(start);
            assertThat(estimate).isGreaterThanOrEqualTo(gridBest - GRID_SLACK);
        }
    }

    private static double[][] rows(JsonArray array) {
        double[][] rows = new double[array.size()][];
        for (int r = 0; r < rows.length; r++) {
            JsonArray row = array.get(r).getAsJsonArray();
            rows[r] = new double[row.size()];
            for (int j = 0; j < rows[r].length; j++) {
                rows[r][j] = row.get(j).getAsDouble();
            }
        }
        return rows;
    }
}
