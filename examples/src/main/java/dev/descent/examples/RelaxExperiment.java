package dev.descent.examples;

import dev.descent.solve.ArmLearner;
import dev.descent.solve.ChebCb;
import dev.descent.solve.CsrMatrix;
import dev.descent.solve.GoldenSectionOmega;
import dev.descent.solve.HeatEquation2d;
import dev.descent.solve.ShiftedLaplacianSequence;
import dev.descent.solve.ShiftedLaplacianSequence.OffsetLaw;
import dev.descent.solve.SolveResult;
import dev.descent.solve.SolveStatus;
import dev.descent.solve.Sor;
import dev.descent.solve.SsorPcg;
import dev.descent.solve.StoppingRule;
import dev.descent.solve.TsallisInf;
import dev.descent.solve.TsallisInfBins;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

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
 * own simulation, as in the reference. The heat task tunes either SSOR-preconditioned CG, as the
 * reference's h2d.m (stop at ‖b − Ax‖ / ‖b‖ &lt; 1e-8, MATLAB pcg's rule, which with a warm start
 * is looser than ‖r‖ / ‖r₀‖; the instance-optimal ω from {@link GoldenSectionOmega}'s 12
 * evaluations per step), or SOR (stop at ‖r‖ / ‖r₀‖ &lt; 1e-8 as the reference's sor.m; the
 * closed-form ω* of each step). Deviation: the reference runs the golden-section search on the
 * states of an exact-solve trajectory and then replays the ω it found; here each step's search runs
 * on the oracle's own state, and the step is then solved at the ω found.
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
     * @param armCumulative cumulative iterations per instance of each fixed ω of {@link #ARMS}
     * @param cumulative cumulative iterations per instance of each learner and of the oracle
     */
    record Outcome(
            String setting, int instances, long[][] armCumulative, Map<String, long[]> cumulative) {

        /** Total iterations of each fixed ω. */
        long[] armTotals() {
            long[] totals = new long[armCumulative.length];
            for (int k = 0; k < totals.length; k++) {
                totals[k] = armCumulative[k][instances - 1];
            }
            return totals;
        }

        int bestArm() {
            long[] armTotals = armTotals();
            int best = 0;
            for (int k = 1; k < armTotals.length; k++) {
                if (armTotals[k] < armTotals[best]) {
                    best = k;
                }
            }
            return best;
        }

        double armMean(double omega) {
            return armCumulative[arm(omega)][instances - 1] / (double) instances;
        }

        /** The sample standard deviation of one instance's count at ω. */
        double armDeviation(double omega) {
            long[] c = armCumulative[arm(omega)];
            double mean = armMean(omega);
            double squares = 0;
            for (int t = 0; t < instances; t++) {
                double d = c[t] - (t == 0 ? 0 : c[t - 1]) - mean;
                squares += d * d;
            }
            return Math.sqrt(squares / (instances - 1));
        }

        private static int arm(double omega) {
            for (int k = 0; k < ARMS.length; k++) {
                if (Math.abs(ARMS[k] - omega) < 1e-9) {
                    return k;
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
        long[][] armCumulative = new long[ARMS.length][instances];
        Map<String, long[]> cumulative = new LinkedHashMap<>();
        for (String name : learners.keySet()) {
            cumulative.put(name, new long[instances]);
        }
        cumulative.put(OPTIMAL, new long[instances]);
        int[] cost = new int[ARMS.length];
        for (int t = 0; t < instances; t++) {
            ShiftedLaplacianSequence.Instance inst = sequence.next();
            // the arms' solves are independent and deterministic: run them in parallel
            IntStream.range(0, ARMS.length)
                    .parallel()
                    .forEach(
                            k ->
                                    cost[k] =
                                            sor[k].solve(inst.matrix(), inst.rhs(), RULE)
                                                    .iterations());
            for (int k = 0; k < ARMS.length; k++) {
                add(armCumulative[k], t, cost[k]);
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
        return new Outcome(name, instances, armCumulative, cumulative);
    }

    private static void add(long[] cumulative, int t, long cost) {
        cumulative[t] = (t == 0 ? 0 : cumulative[t - 1]) + cost;
    }

    /** The solver whose ω the heat task tunes. */
    enum HeatSolver {
        /** SSOR-preconditioned CG, as the reference's h2d.m; golden-section instance optimum. */
        SSOR_PCG("SSOR-PCG"),
        /** SOR; closed-form instance-optimal ω* of each step. */
        SOR("SOR");

        private final String label;

        HeatSolver(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        /**
         * Solves one heat step at ω from the warm start x₀ with this solver's stopping rule.
         *
         * @return the result (0 iterations and x₀ when x₀ already meets the rule)
         */
        SolveResult solve(double omega, HeatEquation2d.Step s, double[] x0) {
            if (this == SOR) {
                return new Sor(omega).solve(s.matrix(), s.rhs(), x0, RULE);
            }
            // MATLAB pcg's rule ‖r‖ / ‖b‖ < tol, as ‖r‖ / ‖r₀‖ < tol ‖b‖ / ‖r₀‖
            double rescaled = RULE.tolerance() * norm(s.rhs()) / norm(residual(s, x0));
            if (!(rescaled < 1)) {
                return new SolveResult(x0.clone(), 0, new double[] {1}, SolveStatus.CONVERGED);
            }
            return new SsorPcg(omega)
                    .solve(
                            s.matrix(),
                            s.rhs(),
                            x0,
                            new StoppingRule(rescaled, RULE.maxIterations()));
        }

        /** The instance-optimal ω of a step from x₀. */
        double optimalOmega(HeatEquation2d.Step s, double[] x0) {
            if (this == SOR) {
                return Sor.optimalOmega(s.jacobiSpectralRadius());
            }
            return GoldenSectionOmega.search(
                            w -> solve(w, s, x0).iterations(),
                            GoldenSectionOmega.REFERENCE_START,
                            GoldenSectionOmega.REFERENCE_EVALUATIONS)
                    .omega();
        }
    }

    private static double[] residual(HeatEquation2d.Step s, double[] x) {
        CsrMatrix a = s.matrix();
        double[] r = a.multiply(x);
        for (int i = 0; i < r.length; i++) {
            r[i] = s.rhs()[i] - r[i];
        }
        return r;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Chooses ω for a heat step (a fixed arm, a learner, or the oracle). */
    private interface Policy {
        double omega(HeatEquation2d.Step s, double[] x0);

        default void told(int iterations) {}
    }

    /**
     * The heat equation (Crank–Nicolson, nx cells per side, dt = 1e-3), T steps, each method in its
     * own simulation with warm-started solves; κ(t) ∈ [0, 10] is the context (6 bins, as the
     * reference's h2d.m).
     *
     * @param nx cells per side
     * @param steps T ≥ 1
     * @param solver the solver whose ω is tuned
     * @param seed seed of the learners
     * @param step progress callback (once per simulated step of every method)
     * @return the outcome
     */
    static Outcome heat(int nx, int steps, HeatSolver solver, long seed, Step step) {
        long[][] armCumulative = new long[ARMS.length][];
        // each fixed ω runs its own deterministic simulation: in parallel
        IntStream.range(0, ARMS.length)
                .parallel()
                .forEach(
                        k ->
                                armCumulative[k] =
                                        simulate(nx, steps, solver, (s, x0) -> ARMS[k], step));
        Map<String, long[]> cumulative = new LinkedHashMap<>();
        for (Map.Entry<String, ArmLearner> e : learners(0, 10, 6, seed).entrySet()) {
            ArmLearner learner = e.getValue();
            cumulative.put(
                    e.getKey(),
                    simulate(
                            nx,
                            steps,
                            solver,
                            new Policy() {
                                @Override
                                public double omega(HeatEquation2d.Step s, double[] x0) {
                                    return ARMS[learner.select(s.context())];
                                }

                                @Override
                                public void told(int iterations) {
                                    learner.update(iterations);
                                }
                            },
                            step));
        }
        cumulative.put(OPTIMAL, simulate(nx, steps, solver, solver::optimalOmega, step));
        return new Outcome(
                "heat equation, " + solver.label() + ", nx = " + nx,
                steps,
                armCumulative,
                cumulative);
    }

    private static long[] simulate(int nx, int steps, HeatSolver solver, Policy policy, Step step) {
        HeatEquation2d pde = new HeatEquation2d(nx, HEAT_DT);
        long[] cumulative = new long[steps];
        for (int t = 0; t < steps; t++) {
            HeatEquation2d.Step s = pde.step();
            double[] x0 = pde.state();
            SolveResult r = solver.solve(policy.omega(s, x0), s, x0);
            policy.told(r.iterations());
            add(cumulative, t, r.iterations());
            pde.advance(r.solution());
            step.done();
        }
        return cumulative;
    }
}
