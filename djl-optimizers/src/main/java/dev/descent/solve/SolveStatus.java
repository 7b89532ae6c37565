package dev.descent.solve;

/** Why an iterative linear solve ended. */
public enum SolveStatus {
    /** ‖r‖ / ‖r₀‖ fell below the tolerance (or b − A x₀ was already zero). */
    CONVERGED,
    /** The iteration cap was reached first; the result holds the best iterate seen. */
    ITERATION_LIMIT,
    /**
     * The method could not go on: a zero or negative curvature pᵀAp (the matrix is not positive
     * definite along a search direction), or a residual that is no longer finite. The result holds
     * the best iterate seen before.
     */
    BREAKDOWN
}
