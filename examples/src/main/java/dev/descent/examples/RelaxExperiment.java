package dev.descent.examples;

import dev.descent.solve.ArmLearner;
import dev.descent.solve.ChebCb;
import dev.descent.solve.HeatEquation2d;
import dev.descent.solve.LinearSolver;
import dev.descent.solve.ShiftedLaplacianSequence;
import dev.descent.solve.ShiftedLaplacianSequence.OffsetLaw;
import dev.descent.solve.SolveResult;
import dev.descent.solve.Sor;
import dev.descent.solve.StoppingRule;
import dev.descent.solve.TsallisInf;
import dev.descent.solve.TsallisInfBins;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Learning-to-Relax experiments (Khodak et al., ICLR 2024; {@code scripts/learning.m}, {@code
 * contextual.m}, {@code h2d.m} of mkhodak/learning-to-relax): SOR's ω chosen per instance from
 * linspace(1, 1.95, 20) by Tsallis-INF, Tsallis-INF-CB and ChebCB, against every fixed ω of the
 * grid (the best of them in hindsight) and the instance-optimal ω*.
 *
 * <p>On the shifted-Laplacian sequences every arm is solved on every instance (that gives the per-ω
 * means and the best fixed ω); a learner's cost is its arm's count on that instance, the same
 * number a separate SOR run would give, since SOR from x₀ = 0 is deterministic. On the heat
 * equation the solves are warm-started from the learner's own trajectory, so each method runs its
 * own simulation, as in the reference. Deviation: the reference's heat task tunes SSOR-
 * preconditioned CG; this one tunes SOR (the oracle is then the closed-form ω* of each step).
 */
final class RelaxExperiment {

    /** The reference's tolerance and cap. */
    static final StoppingRule RULE = new StoppingRule(1e-8, 10_000);

    /** The reference's grid of 20 arms linspace(1, 1.95, 20). */
    static final double[] ARMS = linspace(1, 1.95, 20);

    /** The reference's context range of the sequence learners, [−0.15, 0.65]. */
    static final double CONTEXT_LOW = -0.15;

    static final double CONTEXT_HIGH = 0.65;

    /** The heat task's time step, as the reference (5000 steps to t = 5). */
    static final double HEAT_DT = 1e-3;

    /** The learners' names, in the order of the report. */
    static final String TSALLIS = "Tsallis-INF";

    static final String BINS = "Tsallis-INF-CB";
    static final String CHEB = "ChebCB";
    static final String OPTIMAL = "instance-optimal ω*";

    /**
     * One setting's outcome.
     *
     * @param setting its name
     * @param instances T
     * @param armTotals total iterations of each fixed ω of {@link #ARMS}
     * @param armSquares sum over the instances of each fixed ω's squared iteration count
     * @param cumulative cumulative iterations per instance of each learner and of the oracle
     */
    record Outcome(
            String setting,
            int instances,
            long[] armTotals,
            double[] armSquares,
            Map<String, long[]> cumulative) {

        int bestArm() {
            int best = 0;
            for (int k = 1; k < armTotals.length; k++) {
                if (armTotals[k] < armTotals[best]) {
                    best = k;
                }
            }
            return best;
        }

        double armMean(double omega) {
            for (int k = 0; k < ARMS.length; k++) {
                if (Math.abs(ARMS[k] - omega) < 1e-9) {
                    return armTotals[k] / (double) instances;
                }
            }
            throw new IllegalArgumentException("omega " + omega + " is not an arm");
        }

        /** The sample standard deviation of one instance's count at ω. */
        double armDeviation(double omega) {
            double mean = armMean(omega);
            for (int k = 0; k < ARMS.length; k++) {
                if (Math.abs(ARMS[k] - omega) < 1e-9) {
                    return Math.sqrt(
                            Math.max(
                                    0,
                                    (armSquares[k] - instances * mean * mean) / (instances - 1)));
                }
            }
            throw new IllegalArgumentException("omega " + omega + " is not an arm");
        }

        long total(String method) {
            long[] c = cumulative.get(method);
            return c[c.length - 1];
        }
    }

    /** Called after each instance (for progress). */
    interface Step {
        void done();
    }

    private RelaxExperiment() {}

    static double[] linspace(double a, double b, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a + (b - a) * i / (n - 1);
        }
        return x;
    }

    private static Map<String, ArmLearner> learners(double low, double high, int bins, long seed) {
        Map<String, ArmLearner> m = new LinkedHashMap<>();
        m.put(TSALLIS, new TsallisInf(ARMS.length, seed + 1));
        m.put(BINS, new TsallisInfBins(ARMS.length, bins, low, high, seed + 2));
        m.put(CHEB, new ChebCb(ARMS.length, ChebCb.DEFAULT_FEATURES, low, high, seed + 3));
        return m;
    }

    /**
     * The shifted-Laplacian sequence A_t = A + c_t I (10 × 10 grid), T instances.
     *
     * @param law the offsets' law
     * @param instances T ≥ 1
     * @param seed seed of the instances (the learners use seed + 1, 2, 3)
     * @param step progress callback
     * @return the outcome
     */
    static Outcome sequence(OffsetLaw law, int instances, long seed, Step step) {
        ShiftedLaplacianSequence sequence = new ShiftedLaplacianSequence(10, law, seed);
        Map<String, ArmLearner> learners = learners(CONTEXT_LOW, CONTEXT_HIGH, 5, seed);
        Sor[] sor = new Sor[ARMS.length];
        for (int k = 0; k < ARMS.length; k++) {
            sor[k] = new Sor(ARMS[k]);
        }
        long[] armTotals = new long[ARMS.length];
        double[] armSquares = new double[ARMS.length];
        Map<String, long[]> cumulative = new LinkedHashMap<>();
        for (String name : learners.keySet()) {
            cumulative.put(name, new long[instances]);
        }
        cumulative.put(OPTIMAL, new long[instances]);
        int[] cost = new int[ARMS.length];
        for (int t = 0; t < instances; t++) {
            ShiftedLaplacianSequence.Instance inst = sequence.next();
            for (int k = 0; k < ARMS.length; k++) {
                cost[k] = sor[k].solve(inst.matrix(), inst.rhs(), RULE).iterations();
                armTotals[k] += cost[k];
                armSquares[k] += (double) cost[k] * cost[k];
            }
            for (Map.Entry<String, ArmLearner> e : learners.entrySet()) {
                int arm = e.getValue().select(inst.offset());
                e.getValue().update(cost[arm]);
                add(cumulative.get(e.getKey()), t, cost[arm]);
            }
            Sor oracle = new Sor(sequence.optimalOmega(inst.offset()));
            add(
                    cumulative.get(OPTIMAL),
                    t,
                    oracle.solve(inst.matrix(), inst.rhs(), RULE).iterations());
            step.done();
        }
        String name = law == OffsetLaw.HIGH_VARIANCE ? "high variance" : "low variance";
        return new Outcome(name, instances, armTotals, armSquares, cumulative);
    }

    private static void add(long[] cumulative, int t, long cost) {
        cumulative[t] = (t == 0 ? 0 : cumulative[t - 1]) + cost;
    }

    /** Chooses ω for a heat step (a fixed arm, a learner, or the oracle). */
    private interface Policy {
        double omega(HeatEquation2d.Step s);

        default void told(int iterations) {}
    }

    /**
     * The heat equation (Crank–Nicolson, nx cells per side, dt = 1e-3), T steps, each method in its
     * own simulation with warm-started SOR solves; κ(t) ∈ [0, 10] is the context (6 bins, as the
     * reference's h2d.m).
     *
     * @param nx cells per side
     * @param steps T ≥ 1
     * @param seed seed of the learners
     * @param step progress callback (once per simulated step of every method)
     * @return the outcome
     */
    static Outcome heat(int nx, int steps, long seed, Step step) {
        long[] armTotals = new long[ARMS.length];
        double[] armSquares = new double[ARMS.length];
        for (int k = 0; k < ARMS.length; k++) {
            double omega = ARMS[k];
            long[] c = simulate(nx, steps, s -> omega, step);
            armTotals[k] = c[steps - 1];
            for (int t = 0; t < steps; t++) {
                double d = c[t] - (t == 0 ? 0 : c[t - 1]);
                armSquares[k] += d * d;
            }
        }
        Map<String, long[]> cumulative = new LinkedHashMap<>();
        for (Map.Entry<String, ArmLearner> e : learners(0, 10, 6, seed).entrySet()) {
            ArmLearner learner = e.getValue();
            cumulative.put(
                    e.getKey(),
                    simulate(
                            nx,
                            steps,
                            new Policy() {
                                @Override
                                public double omega(HeatEquation2d.Step s) {
                                    return ARMS[learner.select(s.context())];
                                }

                                @Override
                                public void told(int iterations) {
                                    learner.update(iterations);
                                }
                            },
                            step));
        }
        cumulative.put(
                OPTIMAL,
                simulate(nx, steps, s -> Sor.optimalOmega(s.jacobiSpectralRadius()), step));
        return new Outcome("heat equation, nx = " + nx, steps, armTotals, armSquares, cumulative);
    }

    private static long[] simulate(int nx, int steps, Policy policy, Step step) {
        HeatEquation2d pde = new HeatEquation2d(nx, HEAT_DT);
        long[] cumulative = new long[steps];
        for (int t = 0; t < steps; t++) {
            HeatEquation2d.Step s = pde.step();
            LinearSolver solver = new Sor(policy.omega(s));
            SolveResult r = solver.solve(s.matrix(), s.rhs(), pde.state(), RULE);
            policy.told(r.iterations());
            add(cumulative, t, r.iterations());
            pde.advance(r.solution());
            step.done();
        }
        return cumulative;
    }
}
