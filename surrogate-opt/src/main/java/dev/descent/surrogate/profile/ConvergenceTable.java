package dev.descent.surrogate.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The results of a benchmark — every solver on every problem with every seed — and the number of
 * evaluations each run needed to converge at a tolerance τ, as Moré and Wild define it for
 * derivative-free solvers (Benchmarking derivative-free optimization algorithms, SIAM J. Optim.
 * 20(1), 2009), adapted to maximization.
 *
 * <p><b>Instances.</b> Each pair (problem, seed) is one instance p of the profiles; |P| is the
 * number of problems times the number of seeds. Every solver must have a trace for every instance.
 *
 * <p><b>Reference value.</b> For problem p, {@code f_L(p)} is the largest of its known optimum f*
 * (when one is given) and the final best value of every trace of p, over all solvers and seeds.
 *
 * <p><b>Convergence test</b> (maximization): a run solves instance p at tolerance τ after k
 * evaluations when
 *
 * <pre>
 *   best(k) ≥ f_L(p) − τ · max(0, f_L(p) − f(x₀))
 * </pre>
 *
 * that is {@code best(k) − f(x₀) ≥ (1 − τ)(f_L − f(x₀))} whenever {@code f_L ≥ f(x₀)}, where
 * best(k) is the best feasible value among the first k evaluations and f(x₀) the value at the
 * shared start point. The clamp at 0 only matters when no feasible point beats an infeasible start
 * (then the test asks for f_L itself). {@code t(p, s)} is the smallest such k, and +∞ when the run
 * never passes the test within the evaluations it used.
 */
public final class ConvergenceTable {

    private final Map<String, ProblemRecord> problems;
    private final List<String> solvers;
    private final List<Long> seeds;
    private final Map<String, Trace> traces;
    private final Map<String, Double> references;

    private ConvergenceTable(
            Map<String, ProblemRecord> problems,
            List<String> solvers,
            List<Long> seeds,
            Map<String, Trace> traces) {
        this.problems = problems;
        this.solvers = solvers;
        this.seeds = seeds;
        this.traces = traces;
        this.references = new LinkedHashMap<>();
        for (ProblemRecord p : problems.values()) {
            double reference = Double.isNaN(p.knownOptimum()) ? p.startValue() : p.knownOptimum();
            for (Trace t : traces.values()) {
                if (t.problem().equals(p.name())) {
                    reference = Math.max(reference, t.finalBest());
                }
            }
            references.put(p.name(), reference);
        }
    }

    /**
     * Builds a table from problems and traces.
     *
     * @param problems the problems; names must be unique
     * @param traces one trace per solver, problem and seed: every solver with every problem and
     *     every seed that occurs
     * @return the table
     * @throws IllegalArgumentException if a name repeats, a trace names an unknown problem, a
     *     (solver, problem, seed) repeats or is missing
     */
    public static ConvergenceTable of(List<ProblemRecord> problems, List<Trace> traces) {
        Map<String, ProblemRecord> byName = new LinkedHashMap<>();
        for (ProblemRecord p : problems) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("problem " + p.name() + " is listed twice");
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("need at least one problem");
        }
        Set<String> solvers = new LinkedHashSet<>();
        Set<Long> seeds = new TreeSet<>();
        Map<String, Trace> byKey = new LinkedHashMap<>();
        for (Trace t : traces) {
            if (!byName.containsKey(t.problem())) {
                throw new IllegalArgumentException(
                        "trace of " + t.solver() + " names unknown problem " + t.problem());
            }
            solvers.add(t.solver());
            seeds.add(t.seed());
            if (byKey.put(key(t.solver(), t.problem(), t.seed()), t) != null) {
                throw new IllegalArgumentException(
                        "two traces of "
                                + t.solver()
                                + " on "
                                + t.problem()
                                + " with seed "
                                + t.seed());
            }
        }
        if (solvers.isEmpty()) {
            throw new IllegalArgumentException("need at least one trace");
        }
        for (String s : solvers) {
            for (String p : byName.keySet()) {
                for (long seed : seeds) {
                    if (!byKey.containsKey(key(s, p, seed))) {
                        throw new IllegalArgumentException(
                                "missing trace of " + s + " on " + p + " with seed " + seed);
                    }
                }
            }
        }
        return new ConvergenceTable(
                byName,
                List.copyOf(solvers),
                List.copyOf(seeds),
                Collections.unmodifiableMap(byKey));
    }

    private static String key(String solver, String problem, long seed) {
        return solver + '\u0000' + problem + '\u0000' + seed;
    }

    /**
     * Returns the solvers in the order their first trace was given.
     *
     * @return the solver names
     */
    public List<String> solvers() {
        return solvers;
    }

    /**
     * Returns the problems in the order given.
     *
     * @return the problems
     */
    public List<ProblemRecord> problems() {
        return List.copyOf(problems.values());
    }

    /**
     * Returns the seeds, ascending.
     *
     * @return the seeds
     */
    public List<Long> seeds() {
        return seeds;
    }

    /**
     * Returns |P|, the number of instances (problems × seeds).
     *
     * @return the instance count
     */
    public int instanceCount() {
        return problems.size() * seeds.size();
    }

    /**
     * Returns the trace of a solver on a problem with a seed.
     *
     * @param solver the solver
     * @param problem the problem
     * @param seed the seed
     * @return the trace
     * @throws IllegalArgumentException if there is none
     */
    public Trace trace(String solver, String problem, long seed) {
        Trace t = traces.get(key(solver, problem, seed));
        if (t == null) {
            throw new IllegalArgumentException(
                    "no trace of " + solver + " on " + problem + " with seed " + seed);
        }
        return t;
    }

    /**
     * Returns f_L(p), the reference value of a problem (see the class comment).
     *
     * @param problem the problem
     * @return the reference value
     */
    public double reference(String problem) {
        Double r = references.get(problem);
        if (r == null) {
            throw new IllegalArgumentException("unknown problem " + problem);
        }
        return r;
    }

    /**
     * Returns the value a run must reach to solve a problem at tolerance τ: {@code f_L − τ·max(0,
     * f_L − f(x₀))}.
     *
     * @param problem the problem
     * @param tau the tolerance, in [0, 1]
     * @return the threshold
     */
    public double threshold(String problem, double tau) {
        checkTau(tau);
        double reference = reference(problem);
        double gap = Math.max(0, reference - problems.get(problem).startValue());
        return reference - tau * gap;
    }

    /**
     * Returns t(p, s): the number of evaluations after which the solver's run on the instance first
     * passed the convergence test at τ, or +∞ if it never did.
     *
     * @param solver the solver
     * @param problem the problem
     * @param seed the seed
     * @param tau the tolerance, in [0, 1]
     * @return the evaluation count as a double, or {@code Double.POSITIVE_INFINITY}
     */
    public double evaluationsToSolve(String solver, String problem, long seed, double tau) {
        double threshold = threshold(problem, tau);
        double[] best = trace(solver, problem, seed).best();
        for (int k = 0; k < best.length; k++) {
            if (best[k] >= threshold) {
                return k + 1;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Returns the data profile at τ: for each solver, the budgets t(p, s)/(n_p + 1) of the
     * instances it solved.
     *
     * @param tau the tolerance
     * @return the profile
     */
    public Profile dataProfile(double tau) {
        Map<String, double[]> costs = new LinkedHashMap<>();
        for (String s : solvers) {
            List<Double> values = new ArrayList<>();
            for (ProblemRecord p : problems.values()) {
                for (long seed : seeds) {
                    values.add(evaluationsToSolve(s, p.name(), seed, tau) / (p.dimension() + 1));
                }
            }
            costs.put(s, values.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new Profile(Profile.Kind.DATA, tau, instanceCount(), costs);
    }

    /**
     * Returns the performance profile at τ: for each solver, the ratios t(p, s) / min over s' of
     * t(p, s'). Ties give every tied solver the ratio 1; an instance no solver solved gives every
     * solver +∞.
     *
     * @param tau the tolerance
     * @return the profile
     */
    public Profile performanceProfile(double tau) {
        Map<String, double[]> ratios = new LinkedHashMap<>();
        for (String s : solvers) {
            ratios.put(s, new double[instanceCount()]);
        }
        int i = 0;
        for (ProblemRecord p : problems.values()) {
            for (long seed : seeds) {
                double fastest = Double.POSITIVE_INFINITY;
                for (String s : solvers) {
                    fastest = Math.min(fastest, evaluationsToSolve(s, p.name(), seed, tau));
                }
                for (String s : solvers) {
                    double t = evaluationsToSolve(s, p.name(), seed, tau);
                    ratios.get(s)[i] = Double.isInfinite(t) ? t : t / fastest;
                }
                i++;
            }
        }
        return new Profile(Profile.Kind.PERFORMANCE, tau, instanceCount(), ratios);
    }

    private static void checkTau(double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
    }
}
