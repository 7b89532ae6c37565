package dev.descent.surrogate;

/**
 * Why a run stopped; a run never ends by throwing once its arguments are valid (a numerical failure
 * inside a library optimizer is {@link #NUMERICAL_FAILURE}).
 */
public enum ExitStatus {
    /** The evaluation budget (surrogate forward passes) is spent. */
    BUDGET("the evaluation budget is spent"),
    /**
     * Every step radius is at its minimum and the solver does not restart ({@link
     * RestartStrategy#NONE}, or its last local run evaluated no new point); for library optimizers:
     * their own step size or trust region radius fell below its stopping value.
     */
    RADIUS_BELOW_MINIMUM("every step radius reached its minimum and the solver does not restart"),
    /** The iteration limit was reached. */
    ITERATION_LIMIT("the iteration limit was reached"),
    /** The wall-clock time limit was reached. */
    TIME("the time limit was reached"),
    /**
     * A library optimizer failed numerically and stopped; the result is the best point evaluated
     * before. CMA-ES (Hipparchus): its covariance matrix could not be decomposed ("convergence
     * failed") after σ grew without bound, which its flat-fitness rule does while every point of a
     * generation has the same merit: a plateau around the best point (a region where Φ's output or
     * the objective is constant) for thousands of generations. A smaller budget or iteration limit
     * ends the run before that (the best point is usually found long before); the direct search
     * solvers do not fail so.
     */
    NUMERICAL_FAILURE(
            "the library optimizer failed numerically; the result is the best point evaluated"
                    + " before (CMA-ES: sigma grew without bound on a plateau of the merit until"
                    + " its covariance matrix could not be decomposed; a smaller budget or another"
                    + " solver avoids it)");

    private final String description;

    ExitStatus(String description) {
        this.description = description;
    }

    /**
     * Returns one line that says what happened (and, for a failure, what to change), for reports.
     *
     * @return the description
     */
    public String description() {
        return description;
    }
}
