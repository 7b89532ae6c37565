package dev.descent.surrogate.profile;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.SurrogateResult;
import java.util.Arrays;

/**
 * One run of one solver on one problem with one seed, as the profiles see it: the best feasible
 * objective value after each surrogate evaluation.
 *
 * <p>{@code best[k]} is the largest objective of a feasible point among the first k + 1
 * evaluations, {@code Double.NEGATIVE_INFINITY} while no feasible point has been evaluated; the
 * array is therefore non-decreasing and its length is the number of evaluations the run used.
 *
 * @param solver the solver's name
 * @param problem the problem's name
 * @param seed the seed of the run
 * @param best the best feasible value after evaluation k + 1, at index k; copied
 */
public record Trace(String solver, String problem, long seed, double[] best) {

    /**
     * Checks and copies the fields.
     *
     * @throws IllegalArgumentException if a name is blank, or {@code best} holds NaN, +∞ or a
     *     decrease
     */
    public Trace {
        if (solver == null || solver.isBlank()) {
            throw new IllegalArgumentException("solver name must not be blank");
        }
        if (problem == null || problem.isBlank()) {
            throw new IllegalArgumentException("problem name must not be blank");
        }
        best = best.clone();
        for (int k = 0; k < best.length; k++) {
            if (Double.isNaN(best[k]) || best[k] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "best value of "
                                + solver
                                + " on "
                                + problem
                                + " (seed "
                                + seed
                                + ") at evaluation "
                                + (k + 1)
                                + " must be finite or -Infinity, got "
                                + best[k]);
            }
            if (k > 0 && best[k] < best[k - 1]) {
                throw new IllegalArgumentException(
                        "best values of "
                                + solver
                                + " on "
                                + problem
                                + " (seed "
                                + seed
                                + ") must not decrease, got "
                                + best[k - 1]
                                + " then "
                                + best[k]
                                + " at evaluation "
                                + (k + 1));
            }
        }
    }

    /**
     * Builds a trace from the objective value of each evaluation in order and whether its point was
     * feasible, taking running maxima over the feasible ones.
     *
     * @param solver the solver's name
     * @param problem the problem's name
     * @param seed the seed
     * @param values the objective of each evaluation; not modified
     * @param feasible whether each evaluation was feasible; not modified
     * @return the trace
     */
    public static Trace ofEvaluations(
            String solver, String problem, long seed, double[] values, boolean[] feasible) {
        if (values.length != feasible.length) {
            throw new IllegalArgumentException(
                    "need one feasibility flag per value: "
                            + values.length
                            + " values, "
                            + feasible.length
                            + " flags");
        }
        double[] best = new double[values.length];
        double running = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < values.length; k++) {
            if (feasible[k] && !Double.isNaN(values[k]) && values[k] > running) {
                running = values[k];
            }
            best[k] = running;
        }
        return new Trace(solver, problem, seed, best);
    }

    /**
     * Builds the trace of a solver's result, indexed by surrogate forward passes rather than by
     * evaluated points: {@code best[k]} is the best feasible objective among the points evaluated
     * within the first k + 1 forward passes, so that derivative requests (which the surrogate
     * charges as forward passes) count against the solver as they do against its budget.
     *
     * @param result the result; its history is read
     * @param problem the problem's name
     * @param seed the seed of the run
     * @return the trace, of length {@code result.forwardPasses()}
     */
    public static Trace ofResult(SurrogateResult result, String problem, long seed) {
        double[] best = new double[Math.toIntExact(result.forwardPasses())];
        double running = Double.NEGATIVE_INFINITY;
        int filled = 0;
        for (Evaluation e : result.history().evaluations()) {
            int upTo = (int) Math.min(best.length, Math.max(0, e.forwardPasses() - 1));
            while (filled < upTo) {
                best[filled++] = running;
            }
            if (e.feasible() && e.objective() > running) {
                running = e.objective();
            }
        }
        while (filled < best.length) {
            best[filled++] = running;
        }
        return new Trace(result.solver(), problem, seed, best);
    }

    /**
     * Returns the best feasible value after the whole run.
     *
     * @return the last best value, or -∞ for a run without evaluations or feasible points
     */
    public double finalBest() {
        return best.length == 0 ? Double.NEGATIVE_INFINITY : best[best.length - 1];
    }

    /**
     * Returns the best value after {@code k} evaluations (k ≥ 1); after the end of the run, the
     * final best.
     *
     * @param k the evaluation count
     * @return the best feasible value among the first k evaluations
     */
    public double bestAfter(long k) {
        if (k < 1 || best.length == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return best[(int) Math.min(k, best.length) - 1];
    }

    @Override
    public double[] best() {
        return best.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trace t
                && solver.equals(t.solver)
                && problem.equals(t.problem)
                && seed == t.seed
                && Arrays.equals(best, t.best);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * solver.hashCode() + problem.hashCode()) + Long.hashCode(seed))
                + Arrays.hashCode(best);
    }

    @Override
    public String toString() {
        return "Trace[" + solver + " on " + problem + ", seed " + seed + ", " + best.length + "]";
    }
}
