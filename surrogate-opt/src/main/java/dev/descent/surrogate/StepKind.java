package dev.descent.surrogate;

/** The step of an algorithm that produced an evaluated point (a column of the history). */
public enum StepKind {
    /** The starting point. */
    START,
    /** The start point of a local run after a restart ({@link RestartStrategy#RANDOM_START}). */
    RESTART,
    /** cDSM covering step: a random point in B∞(x, r₀). */
    COVERING,
    /** cDSM search step: a random line-search trial. */
    SEARCH,
    /** cDSM poll step: a point x + d, d from a positive spanning set. */
    POLL,
    /** An attack trial x + d, ‖d‖∞ ≤ r. */
    ATTACK,
    /** A probe of a black-box attack (coordinate trial or finite-difference probe). */
    ATTACK_PROBE,
    /** A trial of the random line-search baseline. */
    LINE_SEARCH,
    /** A projected gradient-ascent iterate. */
    GRADIENT,
    /** A point asked for by a library optimizer (CMA-ES, BOBYQA). */
    LIBRARY
}
