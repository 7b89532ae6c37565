package dev.descent.surrogate.bench;

import dev.descent.surrogate.Limits;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.SurrogateResult;
import dev.descent.surrogate.SurrogateSolver;
import dev.descent.surrogate.profile.ConvergenceTable;
import dev.descent.surrogate.profile.ProblemRecord;
import dev.descent.surrogate.profile.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every solver on every problem with every seed under the same evaluation budget and collects
 * the traces into a {@link ConvergenceTable} for the profiles.
 *
 * <p>The budget of problem p is {@code min(maxEvaluations, evaluationsPerSimplex·(n_p + 1))}
 * surrogate forward passes (derivative requests included, as the surrogate charges them). Each run
 * gets a fresh solver from its supplier and the seed; all runs of a problem share one opened
 * network and start at its x₀. f(x₀) and the reference f* are computed outside every budget.
 */
public final class SurrogateBenchmark {

    private SurrogateBenchmark() {}

    /**
     * The benchmark's settings.
     *
     * @param evaluationsPerSimplex the budget per n + 1 evaluations, ≥ 1
     * @param maxEvaluations the cap on any problem's budget, ≥ 1
     * @param seeds the seeds; each (problem, seed) is one instance of the profiles
     */
    public record Settings(int evaluationsPerSimplex, long maxEvaluations, List<Long> seeds) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException when a count is below 1 or there are no seeds
         */
        public Settings {
            if (evaluationsPerSimplex < 1) {
                throw new IllegalArgumentException(
                        "evaluations per simplex must be >= 1, got " + evaluationsPerSimplex);
            }
            if (maxEvaluations < 1) {
                throw new IllegalArgumentException(
                        "max evaluations must be >= 1, got " + maxEvaluations);
            }
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("need at least one seed");
            }
        }

        /**
         * Returns the budget of a problem of dimension n.
         *
         * @param n the dimension
         * @return min(maxEvaluations, evaluationsPerSimplex·(n + 1))
         */
        public long budget(int n) {
            return Math.min(maxEvaluations, (long) evaluationsPerSimplex * (n + 1));
        }
    }

    /**
     * What a benchmark learned about one problem.
     *
     * @param record the problem as the profiles see it
     * @param budget its evaluation budget
     * @param optimumKind how f* is known
     */
    public record ProblemSummary(
            ProblemRecord record, long budget, BenchmarkProblem.Optimum optimumKind) {}

    /**
     * The outcome: the table and the problems' summaries.
     *
     * @param table the traces
     * @param problems one summary per problem, in order
     * @param settings the settings used
     */
    public record Result(
            ConvergenceTable table, List<ProblemSummary> problems, Settings settings) {}

    /** Told after each finished run. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Receives a finished run.
         *
         * @param problem the problem's name
         * @param seed the seed
         * @param result the solver's result
         */
        void finished(String problem, long seed, SurrogateResult result);
    }

    /**
     * Runs the benchmark.
     *
     * @param problems the problems
     * @param solvers the solvers, named in the table by {@link SurrogateSolver#name()}; the first
     *     is the one the summary compares against the others
     * @param settings budgets and seeds
     * @param listener told after each run
     * @return the result
     */
    public static Result run(
            List<BenchmarkProblem> problems,
            List<SurrogateSolver> solvers,
            Settings settings,
            Listener listener) {
        List<ProblemSummary> summaries = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        for (BenchmarkProblem definition : problems) {
            try (BenchmarkProblem.Instance instance = definition.open()) {
                SurrogateProblem problem = instance.problem();
                double[] y0 = instance.surrogate().evaluate(new double[][] {problem.start()})[0];
                double f0 = problem.objective().value(y0);
                double optimum = instance.optimum();
                ProblemRecord record =
                        new ProblemRecord(
                                definition.name(),
                                problem.dimension(),
                                f0,
                                Double.isFinite(optimum) ? optimum : Double.NaN);
                long budget = settings.budget(problem.dimension());
                summaries.add(new ProblemSummary(record, budget, definition.optimum()));
                for (long seed : settings.seeds()) {
                    for (SurrogateSolver solver : solvers) {
                        SurrogateResult result =
                                solver.solve(problem, Limits.ofEvaluations(budget), seed);
                        traces.add(Trace.ofResult(result, definition.name(), seed));
                        listener.finished(definition.name(), seed, result);
                    }
                }
            }
        }
        List<ProblemRecord> records = summaries.stream().map(ProblemSummary::record).toList();
        return new Result(ConvergenceTable.of(records, traces), List.copyOf(summaries), settings);
    }
}
