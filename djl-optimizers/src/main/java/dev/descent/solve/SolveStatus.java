package dev.descent.solve;

/**
 * Why an iterative solver of this package ended: the linear solvers ({@link LinearSolver}), block
 * coordinate descent, the proximal methods and the convex-ReLU solvers. Each solver's Javadoc says
 * which measure its tolerance applies to.
 */
public enum SolveStatus {
    /**
     * The solver's stopping measure fell below its tolerance: for a linear solve ‖r‖ / ‖r₀‖ (or b −
     * A x₀ was already zero).
     */
    CONVERGED,
    /** The iteration cap was reached first; the result holds the best iterate seen. */
    ITERATION_LIMIT,
    /**
     * The method could not go on: for a linear solve a zero or negative curvature pᵀAp (the matrix
     * is not positive definite along a search direction); for any solver a value that is no longer
     * finite, or a line search that found no acceptable step. The result holds the best iterate
     * seen before.
     */
    BREAKDOWN
}
