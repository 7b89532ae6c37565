package dev.descent.solve;

/**
 * The outcome of an iterative linear solve. The arrays are the solver's own, not copies.
 *
 * @param solution the iterate with the smallest residual seen (the last one when the solve
 *     converged)
 * @param iterations iterations done (each one update of x)
 * @param residualHistory ‖r_k‖ / ‖r₀‖ for k = 0 .. iterations (entry 0 is 1, or 0 when r₀ = 0)
 * @param status why it ended
 */
public record SolveResult(
        double[] solution, int iterations, double[] residualHistory, SolveStatus status) {

    /** The last relative residual, ‖r‖ / ‖r₀‖ at the end. */
    public double finalResidual() {
        return residualHistory[residualHistory.length - 1];
    }

    /** Whether the solve reached its tolerance. */
    public boolean converged() {
        return status == SolveStatus.CONVERGED;
    }
}
