package dev.descent.surrogate;

/**
 * An algorithm that maximizes a {@link SurrogateProblem}: the hybrid, cDSM, the attack-only and
 * line-search baselines, projected gradient ascent and the library optimizers all implement it and
 * evaluate through the same counting {@link Evaluator}.
 *
 * <p>Contract: {@link #solve} is deterministic given the seed (same problem, limits and seed → the
 * same history), returns a typed {@link ExitStatus} rather than throwing once its arguments are
 * valid, and evaluates the start point first. Implementations are immutable and may be shared.
 */
public interface SurrogateSolver {

    /**
     * Returns a short name for tables and CSV columns, e.g. {@code "hybrid"}, {@code "cdsm"}.
     *
     * @return the name
     */
    String name();

    /**
     * Runs the algorithm.
     *
     * @param problem the problem; not modified (its surrogate's counters advance)
     * @param limits the budget, iteration and time limits
     * @param seed the seed of every random choice
     * @return the result with its full history
     */
    SurrogateResult solve(SurrogateProblem problem, Limits limits, long seed);
}
