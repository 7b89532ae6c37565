package dev.descent.surrogate;

/**
 * Thrown by the {@link Evaluator} when a surrogate call is asked for with no budget left. Solvers
 * let it propagate; {@link IterativeSolver} and the library wrappers turn it into {@link
 * ExitStatus#BUDGET}, so it never leaves {@link SurrogateSolver#solve}.
 */
public final class BudgetExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BudgetExhaustedException(long budget) {
        super("evaluation budget of " + budget + " forward passes is spent", null, false, false);
    }
}
