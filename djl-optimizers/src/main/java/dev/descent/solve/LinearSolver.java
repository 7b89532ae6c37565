package dev.descent.solve;

/** An iterative solver of A x = b for a sparse matrix A. */
public interface LinearSolver {

    /**
     * Solves A x = b from x₀.
     *
     * @param a the matrix, not modified
     * @param b right-hand side of length n, finite, not modified
     * @param x0 start of length n, finite, not modified
     * @param rule when to stop
     * @return the best iterate, the iteration count, the residual history and why it stopped
     * @throws IllegalArgumentException when A, b or x₀ do not fit the method (the message names
     *     which and why)
     */
    SolveResult solve(CsrMatrix a, double[] b, double[] x0, StoppingRule rule);

    /**
     * Solves A x = b from x₀ = 0.
     *
     * @param a the matrix, not modified
     * @param b right-hand side, finite, not modified
     * @param rule when to stop
     * @return the result
     */
    default SolveResult solve(CsrMatrix a, double[] b, StoppingRule rule) {
        return solve(a, b, new double[b.length], rule);
    }
}
