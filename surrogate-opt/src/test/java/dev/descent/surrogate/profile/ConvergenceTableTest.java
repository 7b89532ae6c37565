package dev.descent.surrogate.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Profiles of a hand-made table whose t(p, s) and profile values are worked out by hand below.
 *
 * <pre>
 * problem  n  f(x0)  f*    traces (best value after each evaluation)           f_L
 * p1       1  0      -     A 0 5 9.5 10 | B 0 9.995 9.995 9.995 | C -inf -inf 1 1   10
 * p2       3  10     20    A 10 12 19.5 19.5 19.5 | B 10 12 19.5 | C 10 19.99995 19.99995 20 20   20
 * p3       1  0      5     A 0 1 | B 0 2 | C 0 3                                    5 (no one solves)
 * p4       1  0      -     A 0 1 | B 0 1 | C 0 0.5                                  1 (A, B tie)
 *
 * t(p, s)   tau = 1e-1 (thresholds 9, 19, 4.5, 0.9)   1e-3 (9.99, 19.99, 4.995, 0.999)
 *           A    B    C                              A    B    C
 * p1        3    2    inf                            4    2    inf
 * p2        3    3    2                              inf  inf  2
 * p3        inf  inf  inf                            inf  inf  inf
 * p4        2    2    inf                            2    2    inf
 *
 * tau = 1e-5 (9.9999, 19.9999, 4.99995, 0.99999): p1 A 4; p2 C 2; p4 A 2, B 2; the rest inf.
 * </pre>
 */
class ConvergenceTableTest {

    /** The profile values are ratios of small integers: exact up to rounding. */
    private static final double EXACT = 1e-12;

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NO = Double.NEGATIVE_INFINITY;

    private static ConvergenceTable table() {
        List<ProblemRecord> problems =
                List.of(
                        new ProblemRecord("p1", 1, 0, Double.NaN),
                        new ProblemRecord("p2", 3, 10, 20),
                        new ProblemRecord("p3", 1, 0, 5),
                        new ProblemRecord("p4", 1, 0, Double.NaN));
        List<Trace> traces =
                List.of(
                        trace("A", "p1", 0, 5, 9.5, 10),
                        trace("B", "p1", 0, 9.995, 9.995, 9.995),
                        trace("C", "p1", NO, NO, 1, 1),
                        trace("A", "p2", 10, 12, 19.5, 19.5, 19.5),
                        trace("B", "p2", 10, 12, 19.5),
                        trace("C", "p2", 10, 19.99995, 19.99995, 20, 20),
                        trace("A", "p3", 0, 1),
                        trace("B", "p3", 0, 2),
                        trace("C", "p3", 0, 3),
                        trace("A", "p4", 0, 1),
                        trace("B", "p4", 0, 1),
                        trace("C", "p4", 0, 0.5));
        return ConvergenceTable.of(problems, traces);
    }

    private static Trace trace(String solver, String problem, double... best) {
        return new Trace(solver, problem, 7, best);
    }

    @Test
    void referenceIsTheLargerOfTheKnownOptimumAndTheBestFound() {
        ConvergenceTable t = table();
        assertThat(t.reference("p1")).isEqualTo(10);
        assertThat(t.reference("p2")).isEqualTo(20);
        assertThat(t.reference("p3")).isEqualTo(5);
        assertThat(t.reference("p4")).isEqualTo(1);
        assertThat(t.threshold("p2", 1e-1)).isCloseTo(19, within(EXACT));
        assertThat(t.instanceCount()).isEqualTo(4);
    }

    @Test
    void evaluationsToSolveFollowTheHandTable() {
        ConvergenceTable t = table();
        double[][][] expected = {
            // tau 1e-1: rows p1..p4, columns A B C
            {{3, 2, INF}, {3, 3, 2}, {INF, INF, INF}, {2, 2, INF}},
            // tau 1e-3
            {{4, 2, INF}, {INF, INF, 2}, {INF, INF, INF}, {2, 2, INF}},
            // tau 1e-5
            {{4, INF, INF}, {INF, INF, 2}, {INF, INF, INF}, {2, 2, INF}},
        };
        double[] taus = {1e-1, 1e-3, 1e-5};
        String[] problems = {"p1", "p2", "p3", "p4"};
        String[] solvers = {"A", "B", "C"};
        for (int i = 0; i < taus.length; i++) {
            for (int p = 0; p < problems.length; p++) {
                for (int s = 0; s < solvers.length; s++) {
                    assertThat(t.evaluationsToSolve(solvers[s], problems[p], 7, taus[i]))
                            .as("t(%s, %s) at tau %s", problems[p], solvers[s], taus[i])
                            .isEqualTo(expected[i][p][s]);
                }
            }
        }
    }

    @Test
    void dataProfileCountsBudgetsInSimplexGradients() {
        // tau 1e-1 costs t/(n+1): A 1.5, 0.75, inf, 1 | B 1, 0.75, inf, 1 | C inf, 0.5, inf, inf
        Profile d = table().dataProfile(1e-1);
        assertThat(d.kind()).isEqualTo(Profile.Kind.DATA);
        assertThat(d.steps("A")).containsExactly(0.75, 1, 1.5);
        assertThat(d.fraction("A", 0.7)).isCloseTo(0, within(EXACT));
        assertThat(d.fraction("A", 0.75)).isCloseTo(0.25, within(EXACT));
        assertThat(d.fraction("A", 1)).isCloseTo(0.5, within(EXACT));
        assertThat(d.fraction("A", 1.5)).isCloseTo(0.75, within(EXACT));
        assertThat(d.fraction("B", 1)).isCloseTo(0.75, within(EXACT));
        assertThat(d.fraction("C", 0.5)).isCloseTo(0.25, within(EXACT));
        assertThat(d.solvedFraction("C")).isCloseTo(0.25, within(EXACT));
        assertThat(d.largestFiniteCost()).isEqualTo(1.5);
    }

    @Test
    void performanceProfileGivesTiesRatioOneAndUnsolvedInstancesInfinity() {
        // tau 1e-1 ratios: p1 min 2: A 1.5, B 1, C inf | p2 min 2: A 1.5, B 1.5, C 1
        //                  p3 all inf | p4 min 2 (A, B tie): A 1, B 1, C inf
        Profile rho = table().performanceProfile(1e-1);
        assertThat(rho.steps("A")).containsExactly(1, 1.5, 1.5);
        assertThat(rho.steps("B")).containsExactly(1, 1, 1.5);
        assertThat(rho.steps("C")).containsExactly(1);
        assertThat(rho.fraction("A", 1)).isCloseTo(0.25, within(EXACT));
        assertThat(rho.fraction("A", 1.5)).isCloseTo(0.75, within(EXACT));
        assertThat(rho.fraction("B", 1)).isCloseTo(0.5, within(EXACT));
        assertThat(rho.fraction("C", 1)).isCloseTo(0.25, within(EXACT));
        assertThat(rho.solvedFraction("C")).isCloseTo(0.25, within(EXACT));
    }

    @Test
    void tighterTolerancesSolveFewerInstances() {
        ConvergenceTable t = table();
        // tau 1e-3: A solves p1 (4/2 = 2) and p4 (1); B p1 (1), p4 (1); C p2 (0.5)
        Profile d3 = t.dataProfile(1e-3);
        assertThat(d3.steps("A")).containsExactly(1, 2);
        assertThat(d3.steps("B")).containsExactly(1, 1);
        assertThat(d3.steps("C")).containsExactly(0.5);
        // tau 1e-5: p1 only A (t 4), p2 only C (t 2), p4 A and B tie (t 2)
        Profile rho5 = t.performanceProfile(1e-5);
        assertThat(rho5.steps("A")).containsExactly(1, 1);
        assertThat(rho5.steps("B")).containsExactly(1);
        assertThat(rho5.steps("C")).containsExactly(1);
        assertThat(rho5.solvedFraction("A")).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void seedsAreSeparateInstances() {
        List<ProblemRecord> problems = List.of(new ProblemRecord("p", 1, 0, 1));
        ConvergenceTable t =
                ConvergenceTable.of(
                        problems,
                        List.of(
                                new Trace("A", "p", 1, new double[] {0, 1}),
                                new Trace("A", "p", 2, new double[] {0, 0.5, 1})));
        assertThat(t.instanceCount()).isEqualTo(2);
        assertThat(t.seeds()).containsExactly(1L, 2L);
        Profile d = t.dataProfile(1e-1);
        assertThat(d.steps("A")).containsExactly(1, 1.5);
    }

    @Test
    void csvHasOneRowPerStepFromTheOriginToInfinity() throws IOException {
        ConvergenceTable t =
                ConvergenceTable.of(
                        List.of(new ProblemRecord("p", 1, 0, 1), new ProblemRecord("q", 3, 0, 1)),
                        List.of(
                                new Trace("A", "p", 0, new double[] {0, 1}),
                                new Trace("A", "q", 0, new double[] {0, 0.5}),
                                new Trace("B", "p", 0, new double[] {1}),
                                new Trace("B", "q", 0, new double[] {0, 0, 0, 1})));
        StringWriter out = new StringWriter();
        ProfileCsv.write(List.of(t.dataProfile(0.1), t.performanceProfile(0.1)), out);
        assertThat(out.toString())
                .isEqualTo(
                        String.join(
                                "\n",
                                ProfileCsv.HEADER,
                                "data,0.1,A,0.0,0.0",
                                "data,0.1,A,1.0,0.5",
                                "data,0.1,A,Infinity,0.5",
                                "data,0.1,B,0.0,0.0",
                                "data,0.1,B,0.5,0.5",
                                "data,0.1,B,1.0,1.0",
                                "data,0.1,B,Infinity,1.0",
                                "performance,0.1,A,1.0,0.0",
                                "performance,0.1,A,2.0,0.5",
                                "performance,0.1,A,Infinity,0.5",
                                "performance,0.1,B,1.0,1.0",
                                "performance,0.1,B,Infinity,1.0",
                                ""));
    }

    @Test
    void traceFromEvaluationsKeepsTheBestFeasibleValue() {
        Trace t =
                Trace.ofEvaluations(
                        "A",
                        "p",
                        0,
                        new double[] {5, 1, 3, 2, 4},
                        new boolean[] {false, true, true, true, false});
        assertThat(t.best()).containsExactly(NO, 1, 3, 3, 3);
        assertThat(t.bestAfter(10)).isEqualTo(3);
        assertThat(t.bestAfter(1)).isEqualTo(NO);
    }

    @Test
    void badTablesAreRejectedWithTheirNames() {
        List<ProblemRecord> problems = List.of(new ProblemRecord("p", 1, 0, Double.NaN));
        assertThatThrownBy(
                        () ->
                                ConvergenceTable.of(
                                        problems,
                                        List.of(
                                                new Trace("A", "p", 1, new double[] {0}),
                                                new Trace("B", "p", 2, new double[] {0}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing trace of A on p with seed 2");
        assertThatThrownBy(() -> new Trace("A", "p", 1, new double[] {1, 0}))
                .hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> new Trace("A", "p", 1, new double[] {Double.NaN}))
                .hasMessageContaining("at evaluation 1");
        assertThatThrownBy(
                        () ->
                                ConvergenceTable.of(
                                        problems,
                                        List.of(new Trace("A", "q", 1, new double[] {0}))))
                .hasMessageContaining("unknown problem q");
        assertThatThrownBy(() -> new ProblemRecord("p", 0, 0, 1))
                .hasMessageContaining("dimension of problem p must be >= 1, got 0");
        assertThatThrownBy(() -> table().threshold("p1", 2))
                .hasMessageContaining("tau must be in [0, 1], got 2.0");
    }
}
