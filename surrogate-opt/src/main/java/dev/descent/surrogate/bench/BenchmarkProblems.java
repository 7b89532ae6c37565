package dev.descent.surrogate.bench;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.bench.BenchmarkProblem.Optimum;
import dev.descent.surrogate.spec.ProblemSpec;
import dev.descent.surrogate.spec.ProblemSpec.ConstraintSpec;
import dev.descent.surrogate.spec.ProblemSpec.TargetDistance;
import dev.descent.surrogate.spec.ProblemSpec.WeightedSum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The standard benchmark set: 14 problems over networks, all on the box [−1, 1]ⁿ and starting at
 * its centre x₀ = 0 (feasible in every constrained problem).
 *
 * <table>
 *   <caption>The problems</caption>
 *   <tr><th>name</th><th>network</th><th>n</th><th>m</th><th>objective (maximized)</th>
 *       <th>constraints</th><th>f*</th></tr>
 *   <tr><td>rand-n2-tanh2</td><td>random tanh 2-16-16-1</td><td>2</td><td>1</td><td>y</td>
 *       <td>-</td><td>estimated</td></tr>
 *   <tr><td>rand-n5-tanh3</td><td>random tanh 5-32-32-32-1</td><td>5</td><td>1</td><td>y</td>
 *       <td>-</td><td>estimated</td></tr>
 *   <tr><td>rand-n10-weighted</td><td>random tanh 10-32-32-2</td><td>10</td><td>2</td>
 *       <td>y₀ − 0.5·y₁</td><td>-</td><td>estimated</td></tr>
 *   <tr><td>rand-n30-shallow</td><td>random tanh 30-64-1</td><td>30</td><td>1</td><td>y</td>
 *       <td>-</td><td>estimated (a corner)</td></tr>
 *   <tr><td>rand-n100-relu</td><td>random ReLU 100-32-32-1</td><td>100</td><td>1</td><td>y</td>
 *       <td>-</td><td>estimated</td></tr>
 *   <tr><td>rand-n8-target-corner</td><td>random tanh 8-32-32-3</td><td>8</td><td>3</td>
 *       <td>−‖y − Φ(c)‖², c a corner</td><td>-</td><td>0 (exact)</td></tr>
 *   <tr><td>rand-n20-target-interior</td><td>random tanh 20-32-32-4</td><td>20</td><td>4</td>
 *       <td>−‖y − Φ(x_t)‖², x_t in [−½, ½]ⁿ</td><td>-</td><td>0 (exact)</td></tr>
 *   <tr><td>rand-n12-output-bound</td><td>random tanh 12-32-32-2</td><td>12</td><td>2</td>
 *       <td>y₀</td><td>y₁ ≤ Φ₁(x₀)</td><td>estimated</td></tr>
 *   <tr><td>rand-n50-linear</td><td>random tanh 50-64-64-5</td><td>50</td><td>5</td>
 *       <td>y₀ + y₁</td><td>y₂ + y₃ ≤ 0; −½ ≤ y₄ ≤ ½</td><td>estimated</td></tr>
 *   <tr><td>torch-peaks-n2</td><td>trained tanh 2-32-32-1 (peaks)</td><td>2</td><td>1</td>
 *       <td>y</td><td>-</td><td>estimated</td></tr>
 *   <tr><td>torch-hartmann-n6</td><td>trained tanh 6-48-48-2 (Hartmann-6 + a ball)</td><td>6</td>
 *       <td>2</td><td>y₀</td><td>y₁ ≤ 0</td><td>estimated</td></tr>
 *   <tr><td>torch-hartmann-target</td><td>the same</td><td>6</td><td>2</td>
 *       <td>−‖y − Φ(x_t)‖², x_t = (0.3, −0.4, 0.5, −0.2, 0.1, 0.6)</td><td>-</td>
 *       <td>0 (exact)</td></tr>
 *   <tr><td>torch-styblinski-n20</td><td>trained SiLU 20-48-48-48-1 (Styblinski–Tang)</td>
 *       <td>20</td><td>1</td><td>y</td><td>-</td><td>estimated</td></tr>
 *   <tr><td>torch-latent-n48</td><td>trained tanh 48-64-3 (latent scores)</td><td>48</td><td>3</td>
 *       <td>y₀</td><td>y₁ ≥ −0.2; y₂ ≥ 0.5</td><td>estimated</td></tr>
 * </table>
 *
 * Constrained problems use the reference's penalty with scale 10. The torch networks are fixtures
 * exported by {@code surrogate-opt/src/main/python/export_benchmark_networks.py}; the random ones
 * are {@link Network.RandomMlp}s with fixed seeds (gain 2 for tanh, √2 for ReLU).
 */
public final class BenchmarkProblems {

    /** The penalty scale of the constrained problems. */
    public static final double PENALTY_SCALE = 10;

    private static final double TANH_GAIN = 2;
    private static final double RELU_GAIN = Math.sqrt(2);
    private static final double[] LOWER = {-1};
    private static final double[] UPPER = {1};

    private static final Network HARTMANN =
            new Network.Fixture("hartmann_n6_m2.onnx", "tanh MLP 6-48-48-2");

    /** The interior point whose outputs {@code torch-hartmann-target} must reach. */
    static final double[] HARTMANN_TARGET_POINT = {0.3, -0.4, 0.5, -0.2, 0.1, 0.6};

    private BenchmarkProblems() {}

    /**
     * Returns the standard set, in a fixed order.
     *
     * @return the 14 problems
     */
    public static List<BenchmarkProblem> standard() {
        List<BenchmarkProblem> list = new ArrayList<>();
        list.add(maximize("rand-n2-tanh2", tanh(101, 2, 16, 16, 1), 1));
        list.add(maximize("rand-n5-tanh3", tanh(102, 5, 32, 32, 32, 1), 1));
        list.add(
                new BenchmarkProblem(
                        "rand-n10-weighted",
                        "maximize y0 - 0.5 y1",
                        tanh(103, 10, 32, 32, 2),
                        phi -> unconstrained(new WeightedSum(new double[] {1, -0.5}, 0)),
                        Optimum.ESTIMATED));
        list.add(maximize("rand-n30-shallow", tanh(104, 30, 64, 1), 1));
        list.add(
                maximize(
                        "rand-n100-relu",
                        new Network.RandomMlp(new int[] {100, 32, 32, 1}, true, RELU_GAIN, 105),
                        1));
        list.add(
                target(
                        "rand-n8-target-corner",
                        "reach the output at the corner (1, -1, 1, -1, ...)",
                        tanh(106, 8, 32, 32, 3),
                        n -> {
                            double[] corner = new double[n];
                            for (int i = 0; i < n; i++) {
                                corner[i] = i % 2 == 0 ? 1 : -1;
                            }
                            return corner;
                        }));
        list.add(
                target(
                        "rand-n20-target-interior",
                        "reach the output at a random point of [-0.5, 0.5]^n",
                        tanh(107, 20, 32, 32, 4),
                        n -> {
                            Random random = new Random(107);
                            double[] x = new double[n];
                            for (int i = 0; i < n; i++) {
                                x[i] = random.nextDouble() - 0.5;
                            }
                            return x;
                        }));
        list.add(
                new BenchmarkProblem(
                        "rand-n12-output-bound",
                        "maximize y0 subject to y1 <= y1(x0)",
                        tanh(108, 12, 32, 32, 2),
                        phi -> {
                            double bound = phi.evaluate(new double[][] {new double[12]})[0][1];
                            return constrained(
                                    new WeightedSum(new double[] {1, 0}, 0),
                                    new ConstraintSpec(null, 1, Double.NEGATIVE_INFINITY, bound));
                        },
                        Optimum.ESTIMATED));
        list.add(
                new BenchmarkProblem(
                        "rand-n50-linear",
                        "maximize y0 + y1 subject to y2 + y3 <= 0 and -0.5 <= y4 <= 0.5",
                        tanh(109, 50, 64, 64, 5),
                        phi ->
                                constrained(
                                        new WeightedSum(new double[] {1, 1, 0, 0, 0}, 0),
                                        new ConstraintSpec(
                                                new double[] {0, 0, 1, 1, 0},
                                                -1,
                                                Double.NEGATIVE_INFINITY,
                                                0),
                                        new ConstraintSpec(null, 4, -0.5, 0.5)),
                        Optimum.ESTIMATED));
        list.add(
                maximize(
                        "torch-peaks-n2",
                        new Network.Fixture("peaks_n2_m1.onnx", "tanh MLP 2-32-32-1"),
                        1));
        list.add(
                target(
                        "torch-hartmann-target",
                        "reach both outputs of the trained Hartmann network at an interior point",
                        HARTMANN,
                        n -> HARTMANN_TARGET_POINT.clone()));
        list.add(
                new BenchmarkProblem(
                        "torch-hartmann-n6",
                        "maximize the fitted Hartmann-6 output subject to the fitted ball"
                                + " constraint y1 <= 0",
                        HARTMANN,
                        phi ->
                                constrained(
                                        new WeightedSum(new double[] {1, 0}, 0),
                                        new ConstraintSpec(null, 1, Double.NEGATIVE_INFINITY, 0)),
                        Optimum.ESTIMATED));
        list.add(
                maximize(
                        "torch-styblinski-n20",
                        new Network.Fixture("styblinski_n20_m1.onnx", "SiLU MLP 20-48-48-48-1"),
                        1));
        list.add(
                new BenchmarkProblem(
                        "torch-latent-n48",
                        "maximize score 0 subject to score 1 >= -0.2 and score 2 >= 0.5",
                        new Network.Fixture("latent_n48_m3.onnx", "tanh MLP 48-64-3"),
                        phi ->
                                constrained(
                                        new WeightedSum(new double[] {1, 0, 0}, 0),
                                        new ConstraintSpec(null, 1, -0.2, Double.POSITIVE_INFINITY),
                                        new ConstraintSpec(null, 2, 0.5, Double.POSITIVE_INFINITY)),
                        Optimum.ESTIMATED));
        return List.copyOf(list);
    }

    /**
     * Returns the problem of the standard set with this name.
     *
     * @param name the name
     * @return the problem
     * @throws IllegalArgumentException naming the known problems if there is none
     */
    public static BenchmarkProblem named(String name) {
        List<BenchmarkProblem> all = standard();
        for (BenchmarkProblem p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown benchmark problem "
                        + name
                        + "; known: "
                        + all.stream().map(BenchmarkProblem::name).toList());
    }

    private static Network tanh(long seed, int... sizes) {
        return new Network.RandomMlp(sizes, false, TANH_GAIN, seed);
    }

    private static BenchmarkProblem maximize(String name, Network network, int outputs) {
        double[] w = new double[outputs];
        Arrays.fill(w, 1);
        return new BenchmarkProblem(
                name,
                "maximize the network's output",
                network,
                phi -> unconstrained(new WeightedSum(w, 0)),
                Optimum.ESTIMATED);
    }

    private static BenchmarkProblem target(
            String name, String description, Network network, Function<Integer, double[]> point) {
        return new BenchmarkProblem(
                name,
                description,
                network,
                phi -> {
                    double[] t =
                            phi.evaluate(new double[][] {point.apply(phi.inputDimension())})[0];
                    double[] w = new double[t.length];
                    Arrays.fill(w, 1);
                    return unconstrained(new TargetDistance(t, w));
                },
                Optimum.EXACT_ZERO);
    }

    private static ProblemSpec unconstrained(ProblemSpec.ObjectiveSpec objective) {
        return new ProblemSpec(
                objective, List.of(), LOWER, UPPER, null, ConstraintHandling.penalty(1));
    }

    private static ProblemSpec constrained(
            ProblemSpec.ObjectiveSpec objective, ConstraintSpec... constraints) {
        return new ProblemSpec(
                objective,
                List.of(constraints),
                LOWER,
                UPPER,
                null,
                ConstraintHandling.penalty(PENALTY_SCALE));
    }
}
