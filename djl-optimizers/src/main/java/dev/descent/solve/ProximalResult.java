package dev.descent.solve;

/**
 * The outcome of a proximal method on {@code min F(x) = f(x) + P(x)}. The arrays are the solver's
 * own, not copies.
 *
 * @param solution the last iterate when converged; otherwise the iterate with the smallest F seen
 * @param objective F at {@code solution}
 * @param iterations iterations done
 * @param objectiveHistory F at the start and after each iteration (length {@code iterations + 1})
 * @param gradientMappingNorm {@code ‖(x − prox(x − t∇f(x), t))/t‖∞} at the last iterate: 0 exactly
 *     at a stationary point of F
 * @param gradientEvaluations evaluations of f and ∇f (line searches included)
 * @param status why it ended: CONVERGED (gradient mapping below the tolerance), ITERATION_LIMIT, or
 *     BREAKDOWN (f or ∇f stopped being finite, or no step decreased F)
 */
public record ProximalResult(
        double[] solution,
        double objective,
        int iterations,
        double[] objectiveHistory,
        double gradientMappingNorm,
        int gradientEvaluations,
        SolveStatus status) {

    /** Whether the method reached its tolerance. */
    public boolean converged() {
        return status == SolveStatus.CONVERGED;
    }
}
