package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.descent.curvature.GraphConstants;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Equality-constrained test problems: Hock–Schittkowski and BT problems in their CUTEst form (no ½
 * on sums of squares) with their standard start points and λ₀ = 0, and a constrained logistic
 * regression set up as in AdaSketch-Newton's experiments.
 *
 * <p>Each entry carries the optimal value f* and where it comes from, and the first KKT residual
 * ‖(∇f(x₀), c(x₀))‖ stored in AdaSketch-Newton's CUTEst result files where the problem is among its
 * 47 (NaN otherwise), to check the transcription against.
 */
public final class ConstrainedTestProblems {

    private ConstrainedTestProblems() {}

    /**
     * A test problem.
     *
     * @param problem the problem with its standard start
     * @param optimum the known optimal value f* at the KKT point the start leads to
     * @param optimumSource where f* comes from
     * @param referenceKkt0 the reference's first KKT value (4 decimals), NaN where not stored
     */
    public record TestProblem(
            EqualityConstrainedProblem problem,
            double optimum,
            String optimumSource,
            double referenceKkt0) {

        /** The problem's name. */
        public String name() {
            return problem.name();
        }
    }

    private static final String HS = "Hock & Schittkowski (1981)";
    private static final String NEWTON = "KKT point polished by Newton in 40-digit arithmetic";
    private static final double SQRT2 = Math.sqrt(2);

    /**
     * The Hock–Schittkowski and BT problems whose standard start has a full-rank constraint
     * Jacobian (HS61's does not: see {@link #hs61()}).
     *
     * @return the problems, in a fixed order
     */
    public static List<TestProblem> hockSchittkowski() {
        return List.of(
                hs6(), hs7(), hs26(), hs27(), hs28(), hs39(), hs40(), hs42(), hs46(), hs47(),
                hs48(), hs49(), hs50(), hs51(), hs52(), hs56(), hs77(), hs78(), hs79(), bt2(),
                bt3(), bt5(), bt6(), bt10(), bt11(), bt12());
    }

    /**
     * Every problem here: {@link #hockSchittkowski()} and {@link #logisticRegression()}.
     *
     * @return the problems
     */
    public static List<TestProblem> all() {
        List<TestProblem> list = new java.util.ArrayList<>(hockSchittkowski());
        list.add(logisticRegression());
        return List.copyOf(list);
    }

    /**
     * Looks a problem up by name, case-insensitively.
     *
     * @param name e.g. "HS6", "bt9", "logreg"
     * @return the problem
     * @throws IllegalArgumentException naming the known problems when there is none of that name
     */
    public static TestProblem byName(String name) {
        if (name.equalsIgnoreCase("HS61")) {
            return hs61();
        }
        for (TestProblem p : all()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (TestProblem p : all()) {
            known.append(known.length() == 0 ? "" : ", ").append(p.name());
        }
        throw new IllegalArgumentException(
                "unknown problem '" + name + "'; known: " + known + ", HS61");
    }

    private static TestProblem of(
            String name,
            Function<NDArray, NDArray> f,
            Function<NDArray, NDArray> c,
            double[] x0,
            int m,
            double optimum,
            String source,
            double kkt0) {
        return new TestProblem(
                EqualityConstrainedProblem.of(name, f, c, x0, m), optimum, source, kkt0);
    }

    // ---- building blocks: every constant goes through GraphConstants ----

    private static NDArray v(NDArray x, int i) {
        return x.get(i - 1);
    }

    private static NDArray sq(NDArray a) {
        return a.square();
    }

    private static NDArray pow(NDArray a, int k) {
        NDArray r = a;
        for (int i = 1; i < k; i++) {
            r = r.mul(a);
        }
        return r;
    }

    private static NDArray minus(NDArray a, double c) {
        return GraphConstants.sub(a, c);
    }

    private static NDArray times(NDArray a, double c) {
        return GraphConstants.mul(a, c);
    }

    private static NDArray vector(NDArray... parts) {
        return NDArrays.stack(new NDList(parts));
    }

    // ---- the problems ----

    /** HS6: (1 − x1)², 10(x2 − x1²) = 0, x₀ = (−1.2, 1), f* = 0 at (1, 1). */
    public static TestProblem hs6() {
        return of(
                "HS6",
                x -> sq(minus(v(x, 1), 1)),
                x -> vector(times(v(x, 2).sub(sq(v(x, 1))), 10)),
                new double[] {-1.2, 1},
                1,
                0,
                HS,
                6.2225);
    }

    /** HS7: ln(1 + x1²) − x2, (1 + x1²)² + x2² − 4 = 0, x₀ = (2, 2), f* = −√3. */
    public static TestProblem hs7() {
        return of(
                "HS7",
                x -> GraphConstants.add(sq(v(x, 1)), 1).log().sub(v(x, 2)),
                x -> vector(minus(sq(GraphConstants.add(sq(v(x, 1)), 1)).add(sq(v(x, 2))), 4)),
                new double[] {2, 2},
                1,
                -Math.sqrt(3),
                HS,
                25.0328);
    }

    /** HS26: (x1 − x2)² + (x2 − x3)⁴, (1 + x2²)x1 + x3⁴ − 3 = 0, x₀ = (−2.6, 2, 2), f* = 0. */
    public static TestProblem hs26() {
        return of(
                "HS26",
                x -> sq(v(x, 1).sub(v(x, 2))).add(pow(v(x, 2).sub(v(x, 3)), 4)),
                x ->
                        vector(
                                minus(
                                        GraphConstants.add(sq(v(x, 2)), 1)
                                                .mul(v(x, 1))
                                                .add(pow(v(x, 3), 4)),
                                        3)),
                new double[] {-2.6, 2, 2},
                1,
                0,
                HS,
                Double.NaN);
    }

    /** HS27: 0.01(x1 − 1)² + (x2 − x1²)², x1 + x3² + 1 = 0, x₀ = (2, 2, 2), f* = 0.04. */
    public static TestProblem hs27() {
        return of(
                "HS27",
                x -> times(sq(minus(v(x, 1), 1)), 0.01).add(sq(v(x, 2).sub(sq(v(x, 1))))),
                x -> vector(GraphConstants.add(v(x, 1).add(sq(v(x, 3))), 1)),
                new double[] {2, 2, 2},
                1,
                0.04,
                HS,
                Double.NaN);
    }

    /** HS28: (x1 + x2)² + (x2 + x3)², x1 + 2x2 + 3x3 − 1 = 0, x₀ = (−4, 1, 1), f* = 0. */
    public static TestProblem hs28() {
        return of(
                "HS28",
                x -> sq(v(x, 1).add(v(x, 2))).add(sq(v(x, 2).add(v(x, 3)))),
                x -> vector(minus(v(x, 1).add(times(v(x, 2), 2)).add(times(v(x, 3), 3)), 1)),
                new double[] {-4, 1, 1},
                1,
                0,
                HS,
                7.4833);
    }

    /** HS39 (= BT9 in CUTEst): −x1, x2 − x1³ − x3² = 0, x1² − x2 − x4² = 0, x₀ = 2·1, f* = −1. */
    public static TestProblem hs39() {
        return of(
                "HS39",
                x -> v(x, 1).neg(),
                x ->
                        vector(
                                v(x, 2).sub(pow(v(x, 1), 3)).sub(sq(v(x, 3))),
                                sq(v(x, 1)).sub(v(x, 2)).sub(sq(v(x, 4)))),
                new double[] {2, 2, 2, 2},
                2,
                -1,
                HS,
                10.2470);
    }

    /** HS40: −x1x2x3x4, x1³ + x2² − 1, x1²x4 − x3, x4² − x2 = 0, x₀ = 0.8·1, f* = −¼. */
    public static TestProblem hs40() {
        return of(
                "HS40",
                x -> v(x, 1).mul(v(x, 2)).mul(v(x, 3)).mul(v(x, 4)).neg(),
                x ->
                        vector(
                                minus(pow(v(x, 1), 3).add(sq(v(x, 2))), 1),
                                sq(v(x, 1)).mul(v(x, 4)).sub(v(x, 3)),
                                sq(v(x, 4)).sub(v(x, 2))),
                new double[] {0.8, 0.8, 0.8, 0.8},
                3,
                -0.25,
                HS,
                1.0864);
    }

    /** HS42: Σ(x_i − i)², x1 − 2 = 0, x3² + x4² − 2 = 0, x₀ = 1, f* = 28 − 10√2. */
    public static TestProblem hs42() {
        return of(
                "HS42",
                x ->
                        sq(minus(v(x, 1), 1))
                                .add(sq(minus(v(x, 2), 2)))
                                .add(sq(minus(v(x, 3), 3)))
                                .add(sq(minus(v(x, 4), 4))),
                x -> vector(minus(v(x, 1), 2), minus(sq(v(x, 3)).add(sq(v(x, 4))), 2)),
                new double[] {1, 1, 1, 1},
                2,
                28 - 10 * SQRT2,
                HS,
                7.5498);
    }

    private static NDArray hs46Objective(NDArray x) {
        return sq(v(x, 1).sub(v(x, 2)))
                .add(sq(minus(v(x, 3), 1)))
                .add(pow(minus(v(x, 4), 1), 4))
                .add(pow(minus(v(x, 5), 1), 6));
    }

    /**
     * HS46: (x1 − x2)² + (x3 − 1)² + (x4 − 1)⁴ + (x5 − 1)⁶, x1²x4 + sin(x4 − x5) − 1 = 0, x2 +
     * x3⁴x4² − 2 = 0, x₀ = (√2/2, 1.75, 0.5, 2, 2), f* = 0.
     */
    public static TestProblem hs46() {
        return of(
                "HS46",
                ConstrainedTestProblems::hs46Objective,
                x ->
                        vector(
                                minus(sq(v(x, 1)).mul(v(x, 4)).add(v(x, 4).sub(v(x, 5)).sin()), 1),
                                minus(v(x, 2).add(pow(v(x, 3), 4).mul(sq(v(x, 4)))), 2)),
                new double[] {SQRT2 / 2, 1.75, 0.5, 2, 2},
                2,
                0,
                HS,
                Double.NaN);
    }

    /**
     * HS47: (x1 − x2)² + (x2 − x3)³ + (x3 − x4)⁴ + (x4 − x5)⁴, x1 + x2² + x3³ − 3, x2 − x3² + x4 −
     * 1, x1x5 − 1 = 0, x₀ = (2, √2, −1, 2 − √2, ½), f* = 0.
     */
    public static TestProblem hs47() {
        return of(
                "HS47",
                x ->
                        sq(v(x, 1).sub(v(x, 2)))
                                .add(pow(v(x, 2).sub(v(x, 3)), 3))
                                .add(pow(v(x, 3).sub(v(x, 4)), 4))
                                .add(pow(v(x, 4).sub(v(x, 5)), 4)),
                x ->
                        vector(
                                minus(v(x, 1).add(sq(v(x, 2))).add(pow(v(x, 3), 3)), 3),
                                minus(v(x, 2).sub(sq(v(x, 3))).add(v(x, 4)), 1),
                                minus(v(x, 1).mul(v(x, 5)), 1)),
                new double[] {2, SQRT2, -1, 2 - SQRT2, 0.5},
                3,
                0,
                HS,
                40.4973);
    }

    /**
     * HS48: (x1 − 1)² + (x2 − x3)² + (x4 − x5)², Σx_i − 5 = 0, x3 − 2(x4 + x5) + 3 = 0, x₀ = (3, 5,
     * −3, 2, −2), f* = 0.
     */
    public static TestProblem hs48() {
        return of(
                "HS48",
                x ->
                        sq(minus(v(x, 1), 1))
                                .add(sq(v(x, 2).sub(v(x, 3))))
                                .add(sq(v(x, 4).sub(v(x, 5)))),
                x ->
                        vector(
                                minus(x.sum(), 5),
                                GraphConstants.add(v(x, 3).sub(times(v(x, 4).add(v(x, 5)), 2)), 3)),
                new double[] {3, 5, -3, 2, -2},
                2,
                0,
                HS,
                25.6125);
    }

    /**
     * HS49: HS46's objective, x1 + x2 + x3 + 4x4 − 7 = 0, x3 + 5x5 − 6 = 0, x₀ = (10, 7, 2, −3,
     * 0.8), f* = 0.
     */
    public static TestProblem hs49() {
        return of(
                "HS49",
                ConstrainedTestProblems::hs46Objective,
                x ->
                        vector(
                                minus(v(x, 1).add(v(x, 2)).add(v(x, 3)).add(times(v(x, 4), 4)), 7),
                                minus(v(x, 3).add(times(v(x, 5), 5)), 6)),
                new double[] {10, 7, 2, -3, 0.8},
                2,
                0,
                HS,
                Double.NaN);
    }

    /**
     * HS50: (x1 − x2)² + (x2 − x3)² + (x3 − x4)⁴ + (x4 − x5)², x_i + 2x_{i+1} + 3x_{i+2} − 6 = 0 (i
     * = 1..3), x₀ = (35, −31, 11, 5, −5), f* = 0.
     */
    public static TestProblem hs50() {
        return of(
                "HS50",
                x ->
                        sq(v(x, 1).sub(v(x, 2)))
                                .add(sq(v(x, 2).sub(v(x, 3))))
                                .add(pow(v(x, 3).sub(v(x, 4)), 4))
                                .add(sq(v(x, 4).sub(v(x, 5)))),
                x -> vector(chain(x, 1), chain(x, 2), chain(x, 3)),
                new double[] {35, -31, 11, 5, -5},
                3,
                0,
                HS,
                1294.4188);
    }

    private static NDArray chain(NDArray x, int i) {
        return minus(v(x, i).add(times(v(x, i + 1), 2)).add(times(v(x, i + 2), 3)), 6);
    }

    private static NDArray hs51Objective(NDArray x) {
        return sq(v(x, 1).sub(v(x, 2)))
                .add(sq(minus(v(x, 2).add(v(x, 3)), 2)))
                .add(sq(minus(v(x, 4), 1)))
                .add(sq(minus(v(x, 5), 1)));
    }

    /**
     * HS51: (x1 − x2)² + (x2 + x3 − 2)² + (x4 − 1)² + (x5 − 1)², x1 + 3x2 − 4, x3 + x4 − 2x5, x2 −
     * x5 = 0, x₀ = (2.5, 0.5, 2, −1, 0.5), f* = 0.
     */
    public static TestProblem hs51() {
        return of(
                "HS51",
                ConstrainedTestProblems::hs51Objective,
                x -> hs52Constraints(x, 4),
                new double[] {2.5, 0.5, 2, -1, 0.5},
                3,
                0,
                HS,
                6.5574);
    }

    private static NDArray hs52Constraints(NDArray x, double first) {
        return vector(
                minus(v(x, 1).add(times(v(x, 2), 3)), first),
                v(x, 3).add(v(x, 4)).sub(times(v(x, 5), 2)),
                v(x, 2).sub(v(x, 5)));
    }

    /**
     * HS52: (4x1 − x2)² + (x2 + x3 − 2)² + (x4 − 1)² + (x5 − 1)², x1 + 3x2, x3 + x4 − 2x5, x2 − x5
     * = 0, x₀ = 2·1, f* = 1859/349.
     */
    public static TestProblem hs52() {
        return of(
                "HS52",
                x ->
                        sq(times(v(x, 1), 4).sub(v(x, 2)))
                                .add(sq(minus(v(x, 2).add(v(x, 3)), 2)))
                                .add(sq(minus(v(x, 4), 1)))
                                .add(sq(minus(v(x, 5), 1))),
                x -> hs52Constraints(x, 0),
                new double[] {2, 2, 2, 2, 2},
                3,
                1859.0 / 349,
                HS,
                49.5580);
    }

    /**
     * HS56: −x1x2x3, x_i − 4.2 sin²(x_{i+3}) = 0 (i = 1..3), x1 + 2x2 + 2x3 − 7.2 sin²(x7) = 0, x₀
     * = (1, 1, 1, a, a, a, b) with a = asin √(1/4.2), b = asin √(5/7.2), f* = −3.456.
     */
    public static TestProblem hs56() {
        double a = Math.asin(Math.sqrt(1 / 4.2));
        double b = Math.asin(Math.sqrt(5 / 7.2));
        return of(
                "HS56",
                x -> v(x, 1).mul(v(x, 2)).mul(v(x, 3)).neg(),
                x ->
                        vector(
                                v(x, 1).sub(times(sq(v(x, 4).sin()), 4.2)),
                                v(x, 2).sub(times(sq(v(x, 5).sin()), 4.2)),
                                v(x, 3).sub(times(sq(v(x, 6).sin()), 4.2)),
                                v(x, 1).add(times(v(x, 2), 2))
                                        .add(times(v(x, 3), 2))
                                        .sub(times(sq(v(x, 7).sin()), 7.2))),
                new double[] {1, 1, 1, a, a, a, b},
                4,
                -3.456,
                HS,
                1.7321);
    }

    /**
     * HS61: 4x1² + 2x2² + 2x3² − 33x1 + 16x2 − 24x3, 3x1 − 2x2² − 7 = 0, 4x1 − x3² − 11 = 0, x₀ =
     * 0, f* = −143.6461422. At x₀ the Jacobian rows (3, 0, 0) and (4, 0, 0) are parallel: the
     * method stops at once as singular, as the reference's does.
     *
     * @return the problem
     */
    public static TestProblem hs61() {
        return of(
                "HS61",
                x ->
                        times(sq(v(x, 1)), 4)
                                .add(times(sq(v(x, 2)), 2))
                                .add(times(sq(v(x, 3)), 2))
                                .sub(times(v(x, 1), 33))
                                .add(times(v(x, 2), 16))
                                .sub(times(v(x, 3), 24)),
                x ->
                        vector(
                                minus(times(v(x, 1), 3).sub(times(sq(v(x, 2)), 2)), 7),
                                minus(times(v(x, 1), 4).sub(sq(v(x, 3))), 11)),
                new double[] {0, 0, 0},
                2,
                -143.6461422,
                HS,
                Double.NaN);
    }

    private static NDArray hs77Objective(NDArray x) {
        return sq(minus(v(x, 1), 1))
                .add(sq(v(x, 1).sub(v(x, 2))))
                .add(sq(minus(v(x, 3), 1)))
                .add(pow(minus(v(x, 4), 1), 4))
                .add(pow(minus(v(x, 5), 1), 6));
    }

    /**
     * HS77: (x1 − 1)² + (x1 − x2)² + (x3 − 1)² + (x4 − 1)⁴ + (x5 − 1)⁶, x1²x4 + sin(x4 − x5) − 2√2
     * = 0, x2 + x3⁴x4² − 8 − √2 = 0, x₀ = 2·1, f* = 0.24150513.
     */
    public static TestProblem hs77() {
        return of(
                "HS77",
                ConstrainedTestProblems::hs77Objective,
                x ->
                        vector(
                                minus(
                                        sq(v(x, 1)).mul(v(x, 4)).add(v(x, 4).sub(v(x, 5)).sin()),
                                        2 * SQRT2),
                                minus(v(x, 2).add(pow(v(x, 3), 4).mul(sq(v(x, 4)))), 8 + SQRT2)),
                twos(5),
                2,
                0.2415051287901787,
                HS + " 0.24150513; " + NEWTON,
                57.3472);
    }

    /**
     * HS78: x1x2x3x4x5, Σx_i² − 10, x2x3 − 5x4x5, x1³ + x2³ + 1 = 0, x₀ = (−2, 1.5, 2, −1, −1), f*
     * = −2.91970041.
     */
    public static TestProblem hs78() {
        return of(
                "HS78",
                x -> x.prod(),
                x ->
                        vector(
                                minus(x.square().sum(), 10),
                                v(x, 2).mul(v(x, 3)).sub(times(v(x, 4).mul(v(x, 5)), 5)),
                                GraphConstants.add(pow(v(x, 1), 3).add(pow(v(x, 2), 3)), 1)),
                new double[] {-2, 1.5, 2, -1, -1},
                3,
                -2.9197004089636794,
                HS + " −2.91970041; " + NEWTON,
                11.3227);
    }

    private static NDArray hs79Objective(NDArray x) {
        return sq(minus(v(x, 1), 1))
                .add(sq(v(x, 1).sub(v(x, 2))))
                .add(sq(v(x, 2).sub(v(x, 3))))
                .add(pow(v(x, 3).sub(v(x, 4)), 4))
                .add(pow(v(x, 4).sub(v(x, 5)), 4));
    }

    /**
     * HS79: (x1 − 1)² + (x1 − x2)² + (x2 − x3)² + (x3 − x4)⁴ + (x4 − x5)⁴, x1 + x2² + x3³ − 2 −
     * 3√2, x2 − x3² + x4 + 2 − 2√2, x1x5 − 2 = 0, x₀ = 2·1, f* = 0.0787768209.
     */
    public static TestProblem hs79() {
        return of(
                "HS79",
                ConstrainedTestProblems::hs79Objective,
                x ->
                        vector(
                                minus(v(x, 1).add(sq(v(x, 2))).add(pow(v(x, 3), 3)), 2 + 3 * SQRT2),
                                minus(v(x, 2).sub(sq(v(x, 3))).add(v(x, 4)), 2 * SQRT2 - 2),
                                minus(v(x, 1).mul(v(x, 5)), 2)),
                twos(5),
                3,
                0.078776820871056901,
                HS + " 0.0787768209; " + NEWTON,
                8.2984);
    }

    /**
     * BT2: (x1 − 1)² + (x1 − x2)² + (x2 − x3)⁴, x1(1 + x2²) + x3⁴ − 8.2426407 = 0, x₀ = 10·1, f* =
     * 0.0325682004.
     */
    public static TestProblem bt2() {
        return of(
                "BT2",
                x ->
                        sq(minus(v(x, 1), 1))
                                .add(sq(v(x, 1).sub(v(x, 2))))
                                .add(pow(v(x, 2).sub(v(x, 3)), 4)),
                x ->
                        vector(
                                minus(
                                        v(x, 1).mul(GraphConstants.add(sq(v(x, 2)), 1))
                                                .add(pow(v(x, 3), 4)),
                                        8.2426407)),
                new double[] {10, 10, 10},
                1,
                0.032568200393237762,
                "CUTEst BT2 0.032568200; " + NEWTON,
                11001.7721);
    }

    /** BT3: HS51's objective, x1 + 3x2, x3 + x4 − 2x5, x2 − x5 = 0, x₀ = 20·1, f* = 176/43. */
    public static TestProblem bt3() {
        return of(
                "BT3",
                ConstrainedTestProblems::hs51Objective,
                x -> hs52Constraints(x, 0),
                new double[] {20, 20, 20, 20, 20},
                3,
                176.0 / 43,
                "closed form (a convex QP): 176/43",
                144.3607);
    }

    /**
     * BT5: 1000 − x1² − 2x2² − x3² − x1x2 − x1x3, x1² + x2² + x3² − 25 = 0, 8x1 + 14x2 + 7x3 − 56 =
     * 0, x₀ = 2·1, f* = 961.715172.
     */
    public static TestProblem bt5() {
        return of(
                "BT5",
                x ->
                        GraphConstants.add(
                                sq(v(x, 1))
                                        .add(times(sq(v(x, 2)), 2))
                                        .add(sq(v(x, 3)))
                                        .add(v(x, 1).mul(v(x, 2)))
                                        .add(v(x, 1).mul(v(x, 3)))
                                        .neg(),
                                1000),
                x ->
                        vector(
                                minus(x.square().sum(), 25),
                                minus(
                                        times(v(x, 1), 8)
                                                .add(times(v(x, 2), 14))
                                                .add(times(v(x, 3), 7)),
                                        56)),
                new double[] {2, 2, 2},
                2,
                961.71517213005217,
                "CUTEst BT5 961.715172 (= HS63's optimum); " + NEWTON,
                19.3132);
    }

    /**
     * BT6: HS77's objective, x4x1² + sin(x4 − x5) − 2√2 = 0, x3⁴x2² + x2 − 8 − √2 = 0, x₀ = 2·1.
     */
    public static TestProblem bt6() {
        return of(
                "BT6",
                ConstrainedTestProblems::hs77Objective,
                x ->
                        vector(
                                minus(
                                        v(x, 4).mul(sq(v(x, 1))).add(v(x, 4).sub(v(x, 5)).sin()),
                                        2 * SQRT2),
                                minus(pow(v(x, 3), 4).mul(sq(v(x, 2))).add(v(x, 2)), 8 + SQRT2)),
                twos(5),
                2,
                0.27704478876790226,
                NEWTON + " (from SLSQP's solution)",
                57.3472);
    }

    /** BT10: −x1, x2 − x1³ = 0, x1² − x2 = 0, x₀ = (2, 2), f* = −1 at (1, 1). */
    public static TestProblem bt10() {
        return of(
                "BT10",
                x -> v(x, 1).neg(),
                x -> vector(v(x, 2).sub(pow(v(x, 1), 3)), sq(v(x, 1)).sub(v(x, 2))),
                new double[] {2, 2},
                2,
                -1,
                "closed form: the feasible points are (0, 0) and (1, 1)",
                6.4031);
    }

    /**
     * BT11: HS79's objective, x1 + x2² + x3³ + 2 − √18, x2 + x4 − x3² + 2 − √8, x1 − x5 − 2 = 0, x₀
     * = 2·1, f* = 0.824891.
     */
    public static TestProblem bt11() {
        return of(
                "BT11",
                ConstrainedTestProblems::hs79Objective,
                x ->
                        vector(
                                minus(
                                        v(x, 1).add(sq(v(x, 2))).add(pow(v(x, 3), 3)),
                                        Math.sqrt(18) - 2),
                                minus(v(x, 2).add(v(x, 4)).sub(sq(v(x, 3))), Math.sqrt(8) - 2),
                                minus(v(x, 1).sub(v(x, 5)), 2)),
                twos(5),
                3,
                0.82489177828766573,
                "CUTEst BT11 0.824891; " + NEWTON,
                12.1211);
    }

    /**
     * BT12: 0.01x1² + x2², x1 + x2 − x3² − 25, x1² + x2² − x4² − 25, x1 − x5² − 2 = 0, x₀ =
     * (15.811, 1.5811, 0, 15.083, 3.7164), f* = 6.18811881.
     */
    public static TestProblem bt12() {
        return of(
                "BT12",
                x -> times(sq(v(x, 1)), 0.01).add(sq(v(x, 2))),
                x ->
                        vector(
                                minus(v(x, 1).add(v(x, 2)).sub(sq(v(x, 3))), 25),
                                minus(sq(v(x, 1)).add(sq(v(x, 2))).sub(sq(v(x, 4))), 25),
                                minus(v(x, 1).sub(sq(v(x, 5))), 2)),
                new double[] {15.811, 1.5811, 0, 15.083, 3.7164},
                3,
                6.1881188118811881,
                "CUTEst BT12 6.18811881; " + NEWTON,
                8.2450);
    }

    /**
     * Constrained logistic regression as AdaSketch-Newton's experiments set it up: {@code min
     * (1/N)Σ log(1 + exp(−y_i x_iᵀw)) s.t. Aw = b, ‖w‖² = 1}, from w₀ = 1, λ₀ = 1. The reference
     * uses LIBSVM data sets with 10 rows A, b ~ N(0, 1); offline, the design here is deterministic
     * and reproducible in any language: N = 60, d = 16, 5 rows,
     *
     * <pre>
     * x_ij = sin(1 + 7.3i + 3.1j + 0.11ij),   y_i = sign(sin(2.3i + 0.7) + Σ_j (−1)ʲ x_ij / 4)
     * A_rj = cos(π(r + 1)(2j + 1)/(2d)),      b_r = 0.1·sin(3 + 1.1r)          (indices from 0)
     * </pre>
     *
     * <p>The rows of A are DCT-II rows (AAᵀ = (d/2)I, orthogonal to w₀), so G = [A; 2wᵀ] is well
     * conditioned, as with the reference's Gaussian rows. f* = 0.5496765424931332 from an
     * independent float64 Newton–KKT solve (numpy), started from SciPy SLSQP's solution.
     *
     * @return the problem
     */
    public static TestProblem logisticRegression() {
        int samples = 60;
        int features = 16;
        int rows = 5;
        double[][] x = new double[samples][features];
        double[] y = new double[samples];
        for (int i = 0; i < samples; i++) {
            double s = Math.sin(2.3 * i + 0.7);
            for (int j = 0; j < features; j++) {
                x[i][j] = Math.sin(1 + 7.3 * i + 3.1 * j + 0.11 * i * j);
                s += (j % 2 == 0 ? 1 : -1) * x[i][j] / 4;
            }
            y[i] = s > 0 ? 1 : -1;
        }
        double[][] a = new double[rows][features];
        double[] b = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) {
                a[r][j] = Math.cos(Math.PI * (r + 1) * (2 * j + 1) / (2.0 * features));
            }
            b[r] = 0.1 * Math.sin(3 + 1.1 * r);
        }
        double[] ones = new double[features];
        java.util.Arrays.fill(ones, 1);
        double[] lambda0 = new double[rows + 1];
        java.util.Arrays.fill(lambda0, 1);
        return new TestProblem(
                logisticRegression("LOGREG", x, y, a, b, ones, lambda0),
                0.5496765424931332,
                "float64 Newton–KKT solve in numpy from SciPy SLSQP's solution",
                Double.NaN);
    }

    /**
     * {@code min (1/N)Σ log(1 + exp(−y_i x_iᵀw)) s.t. Aw = b, ‖w‖² = 1} for given data.
     *
     * @param name the label
     * @param features N×d design (copied)
     * @param labels N labels in {−1, 1}
     * @param a r×d constraint matrix, r + 1 &lt; d
     * @param b r right-hand sides
     * @param w0 the start, length d
     * @param lambda0 the start multipliers, length r + 1
     * @return the problem, n = d, m = r + 1
     */
    public static EqualityConstrainedProblem logisticRegression(
            String name,
            double[][] features,
            double[] labels,
            double[][] a,
            double[] b,
            double[] w0,
            double[] lambda0) {
        int samples = features.length;
        int d = w0.length;
        int rows = a.length;
        double[] flatX = new double[samples * d];
        for (int i = 0; i < samples; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "features row %d has %d columns, expected d = %d",
                                i,
                                features[i].length,
                                d));
            }
            for (int j = 0; j < d; j++) {
                flatX[i * d + j] = -labels[i] * features[i][j];
            }
        }
        if (labels.length != samples) {
            throw new IllegalArgumentException(
                    "labels has length " + labels.length + ", expected N = " + samples);
        }
        if (b.length != rows) {
            throw new IllegalArgumentException(
                    "b has length " + b.length + ", expected " + rows + " (the rows of a)");
        }
        double[] flatA = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            if (a[r].length != d) {
                throw new IllegalArgumentException(
                        "a row " + r + " has " + a[r].length + " columns, expected d = " + d);
            }
            System.arraycopy(a[r], 0, flatA, r * d, d);
        }
        double[] bCopy = b.clone();
        return EqualityConstrainedProblem.of(
                name,
                w -> {
                    // margins z_i = −y_i x_iᵀw; softplus(z) = max(z, 0) + log(1 + exp(−|z|))
                    NDArray yx =
                            GraphConstants.owned(
                                    w.getManager()
                                            .create(
                                                    flatX,
                                                    new ai.djl.ndarray.types.Shape(samples, d)));
                    NDArray z = yx.matMul(w);
                    NDArray softplus =
                            GraphConstants.maximum(z, 0)
                                    .add(GraphConstants.add(z.abs().neg().exp(), 1).log());
                    return softplus.mean();
                },
                w -> {
                    NDArray am =
                            GraphConstants.owned(
                                    w.getManager()
                                            .create(
                                                    flatA,
                                                    new ai.djl.ndarray.types.Shape(rows, d)));
                    NDArray bv = GraphConstants.owned(w.getManager().create(bCopy));
                    return NDArrays.concat(
                            new NDList(
                                    am.matMul(w).sub(bv), minus(w.square().sum(), 1).reshape(1)));
                },
                w0,
                lambda0);
    }

    private static double[] twos(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 2);
        return x;
    }
}
