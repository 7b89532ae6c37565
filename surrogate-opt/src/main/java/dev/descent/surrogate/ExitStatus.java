package dev.descent.surrogate;

/** Why a run stopped; a run never ends by throwing once its arguments are valid. */
public enum ExitStatus {
    /** The evaluation budget (surrogate forward passes) is spent. */
    BUDGET,
    /**
     * Every step radius is at its minimum and the solver does not restart ({@link
     * RestartStrategy#NONE}, or its last local run evaluated no new point); for library optimizers:
     * their own step size or trust region radius fell below its stopping value.
     */
    RADIUS_BELOW_MINIMUM,
    /** The iteration limit was reached. */
    ITERATION_LIMIT,
    /** The wall-clock time limit was reached. */
    TIME
}
