package dev.descent.surrogate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.descent.onnx.Surrogate;
import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.SurrogateProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemSpecTest {

    /** Values are sums of a few products of short decimals. */
    private static final double F64 = 1e-12;

    /** A surrogate with n = 3 inputs and m = 2 outputs that is never evaluated here. */
    private static final Surrogate SHAPE_3_2 = new Shape(3, 2);

    private static SurrogateProblem problem(String json) {
        return ProblemSpec.parse(json, "p.json").toProblem(SHAPE_3_2);
    }

    @Test
    void weightedSumWithBoundsConstraintsAndPenalty() {
        SurrogateProblem p =
                problem(
                        """
                        {"objective": {"type": "weighted-sum", "weights": [1, -0.5], "offset": 2},
                         "constraints": [
                           {"type": "output-bounds", "output": 1, "lower": -0.5, "upper": 0.5},
                           {"type": "linear", "weights": [1, 1], "upper": 0.8}],
                         "bounds": {"lower": -1, "upper": [1, 2, 3]},
                         "start": [0.5, 0, 1],
                         "constraint-handling": {"type": "penalty", "scale": 10}}
                        """);
        double[] y = {0.3, 0.7};
        assertThat(p.objective().value(y)).isCloseTo(0.3 - 0.35 + 2, within(F64));
        assertThat(p.objective().gradient(y)).containsExactly(1, -0.5);
        // output-bounds gives y1 - 0.5 <= 0 and -0.5 - y1 <= 0; linear gives y0 + y1 - 0.8 <= 0
        List<OutputFunction> c = p.constraints();
        assertThat(c).hasSize(3);
        assertThat(c.get(0).value(y)).isCloseTo(0.2, within(F64));
        assertThat(c.get(1).value(y)).isCloseTo(-1.2, within(F64));
        assertThat(c.get(2).value(y)).isCloseTo(0.2, within(F64));
        assertThat(p.lower()).containsExactly(-1, -1, -1);
        assertThat(p.upper()).containsExactly(1, 2, 3);
        assertThat(p.start()).containsExactly(0.5, 0, 1);
        assertThat(p.constraintHandling()).isEqualTo(ConstraintHandling.penalty(10));
    }

    @Test
    void targetDistanceHasItsMaximumZeroAtTheTargetAndTheStartDefaultsToTheCentre() {
        SurrogateProblem p =
                problem(
                        """
                        {"objective": {"type": "target-distance", "target": [1, 2],
                                       "weights": [1, 3]},
                         "bounds": {"lower": [0, 0, -2], "upper": 2}}
                        """);
        assertThat(p.objective().value(new double[] {1, 2})).isZero();
        // -(1 (0.5)^2 + 3 (1)^2) at y = (1.5, 3)
        assertThat(p.objective().value(new double[] {1.5, 3})).isCloseTo(-3.25, within(F64));
        assertThat(p.objective().gradient(new double[] {1.5, 3})).containsExactly(-1, -6);
        assertThat(p.start()).containsExactly(1, 1, 0);
        assertThat(p.constraints()).isEmpty();
    }

    @Test
    void barriersAreSelectedByName() {
        String objective = "\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1, 0]}";
        String start = "\"start\": [0, 0, 0]";
        assertThat(
                        problem(
                                        "{"
                                                + objective
                                                + ","
                                                + start
                                                + ", \"constraint-handling\":"
                                                + " {\"type\": \"extreme-barrier\"}}")
                                .constraintHandling())
                .isInstanceOf(ConstraintHandling.ExtremeBarrier.class);
        assertThat(
                        problem(
                                        "{"
                                                + objective
                                                + ","
                                                + start
                                                + ", \"constraint-handling\":"
                                                + " {\"type\": \"progressive-barrier\"}}")
                                .constraintHandling())
                .isInstanceOf(ConstraintHandling.ProgressiveBarrier.class);
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertError("{", "p.json: not valid JSON");
        assertError("{}", "p.json: objective is required");
        assertError(
                "{\"objective\": {\"type\": \"max\"}}",
                "p.json: objective.type must be \"weighted-sum\" or \"target-distance\", got"
                        + " \"max\"");
        assertError(
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1, \"a\"]}}",
                "p.json: objective.weights[1] must be a finite number, got \"a\"");
        assertError(
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1]}, \"strat\": [0]}",
                "p.json: unknown field strat");
        assertError(
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1]},"
                        + " \"constraints\": [{\"type\": \"linear\", \"weights\": [1]}]}",
                "p.json: constraints[0] needs \"lower\", \"upper\" or both");
        assertError(
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1]},"
                        + " \"constraints\": [{\"type\": \"output-bounds\", \"output\": 1.5,"
                        + " \"upper\": 0}]}",
                "p.json: constraints[0].output must be an integer >= 0, got 1.5");
        assertError(
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1]},"
                        + " \"constraint-handling\": {\"type\": \"penalty\", \"scale\": 0}}",
                "p.json: constraint-handling.scale must be finite and > 0, got 0.0");
    }

    @Test
    void nonFiniteNumbersAreRejectedWithTheFieldAndThePosition() {
        // each case replaces one number of a valid problem; the position is of the bad number's
        // first character (inside the quotes of a string)
        String valid =
                """
                {"objective": {"type": "weighted-sum", "weights": [1, 0], "offset": 0},
                 "constraints": [{"type": "linear", "weights": [1, 1], "lower": -1, "upper": 2}],
                 "bounds": {"lower": [-1, -1, -1], "upper": 1},
                 "start": [0, 0, 0],
                 "constraint-handling": {"type": "penalty", "scale": 10}}
                """;
        assertThat(problem(valid).objective().value(new double[] {2, 5})).isEqualTo(2);
        String[][] cases = {
            {"\"weights\": [1, 0]", "\"weights\": [1e400, 0]", "objective.weights[0]", "1e400"},
            {"\"offset\": 0", "\"offset\": -1e400", "objective.offset", "-1e400"},
            {
                "\"weights\": [1, 1]",
                "\"weights\": [1, 1e309]",
                "constraints[0].weights[1]",
                "1e309"
            },
            {"\"lower\": -1,", "\"lower\": -1e400,", "constraints[0].lower", "-1e400"},
            {"\"upper\": 2", "\"upper\": 1e400", "constraints[0].upper", "1e400"},
            {"[-1, -1, -1]", "[-1, -1e400, -1]", "bounds.lower[1]", "-1e400"},
            {"\"upper\": 1}", "\"upper\": 1e400}", "bounds.upper", "1e400"},
            {"[0, 0, 0]", "[0, 0, 1e400]", "start[2]", "1e400"},
            {"\"scale\": 10", "\"scale\": 1e400", "constraint-handling.scale", "1e400"},
            {
                "\"weights\": [1, 0]",
                "\"weights\": [\"Infinity\", 0]",
                "objective.weights[0]",
                "\"Infinity\""
            },
            {"[0, 0, 0]", "[0, \"-inf\", 0]", "start[1]", "\"-inf\""},
            {"[-1, -1, -1]", "[-1, \"Infinity\", -1]", "bounds.lower[1]", "\"Infinity\""},
            {"\"upper\": 1}", "\"upper\": \"-Infinity\"}", "bounds.upper", "\"-Infinity\""},
        };
        for (String[] c : cases) {
            String json = valid.replace(c[0], c[1]);
            assertThat(json).as(c[1]).isNotEqualTo(valid);
            int offset = json.indexOf(c[3]) + (c[3].startsWith("\"") ? 1 : 0);
            int line = (int) json.substring(0, offset).chars().filter(ch -> ch == '\n').count();
            int column = offset - json.lastIndexOf('\n', offset - 1);
            assertThatThrownBy(() -> problem(json))
                    .as(c[1])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("p.json: " + c[2] + " must be a finite number")
                    .hasMessageEndingWith(
                            ", got " + c[3] + " (line " + (line + 1) + ", column " + column + ")");
        }
    }

    @Test
    void targetsAndTheirWeightsMustBeFinite() {
        assertError(
                "{\"objective\": {\"type\": \"target-distance\", \"target\": [0, 1e400]},"
                        + " \"start\": [0, 0, 0]}",
                "p.json: objective.target[1] must be a finite number, got 1e400 (line 1, column 57)");
        assertError(
                "{\"objective\": {\"type\": \"target-distance\", \"target\": [0, 1],"
                        + " \"weights\": [1, \"Infinity\"]}, \"start\": [0, 0, 0]}",
                "p.json: objective.weights[1] must be a finite number, got \"Infinity\"");
    }

    @Test
    void anInfiniteBoundOnItsOwnSideMeansNoBound() {
        SurrogateProblem p =
                problem(
                        """
                        {"objective": {"type": "weighted-sum", "weights": [1, 0]},
                         "constraints": [{"type": "output-bounds", "output": 1,
                                          "lower": "-Infinity", "upper": 0.5}],
                         "bounds": {"lower": [-1, "-Infinity", "-inf"], "upper": [1, "inf", 2]},
                         "start": [0, 0, 0]}
                        """);
        assertThat(p.lower())
                .containsExactly(-1, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(p.upper()).containsExactly(1, Double.POSITIVE_INFINITY, 2);
        // only the upper side of the output bound is a constraint
        assertThat(p.constraints()).hasSize(1);
    }

    @Test
    void lengthsAreCheckedAgainstTheNetwork() {
        assertThatThrownBy(
                        () ->
                                problem(
                                        "{\"objective\": {\"type\": \"weighted-sum\","
                                                + " \"weights\": [1, 2, 3]}, \"start\": [0, 0, 0]}"))
                .hasMessage("objective.weights has length 3 but the model has 2 outputs");
        assertThatThrownBy(
                        () ->
                                problem(
                                        "{\"objective\": {\"type\": \"weighted-sum\","
                                                + " \"weights\": [1, 2]}, \"start\": [0, 0]}"))
                .hasMessage("start has length 2 but the model has 3 inputs");
        assertThatThrownBy(
                        () ->
                                problem(
                                        "{\"objective\": {\"type\": \"weighted-sum\","
                                                + " \"weights\": [1, 2]}, \"start\": [0, 0, 0],"
                                                + " \"constraints\": [{\"type\":"
                                                + " \"output-bounds\", \"output\": 2, \"upper\":"
                                                + " 1}]}"))
                .hasMessage(
                        "constraints[0].output is 2 but the model has 2 outputs (indices 0 to 1)");
        assertThatThrownBy(
                        () ->
                                problem(
                                        "{\"objective\": {\"type\": \"weighted-sum\","
                                                + " \"weights\": [1, 2]}}"))
                .hasMessage("start is required when the bounds of variable 0 are not finite");
    }

    private static void assertError(String json, String message) {
        assertThatThrownBy(() -> problem(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    /** Only the dimensions of a surrogate; evaluating it is a test error. */
    private record Shape(int inputs, int outputs) implements Surrogate {
        @Override
        public int inputDimension() {
            return inputs;
        }

        @Override
        public int outputDimension() {
            return outputs;
        }

        @Override
        public double[][] evaluate(double[][] points) {
            throw new UnsupportedOperationException("not evaluated in this test");
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            throw new UnsupportedOperationException("not differentiated in this test");
        }

        @Override
        public boolean exactDerivatives() {
            return true;
        }

        @Override
        public long evaluations() {
            return 0;
        }

        @Override
        public long derivativeRequests() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
