package dev.descent.surrogate.profile;

/**
 * What the profiles need to know about one benchmark problem.
 *
 * @param name the problem's name, unique in a table
 * @param dimension n, the number of variables (the data profile counts budgets in units of n + 1)
 * @param startValue f(x₀), the objective at the start point shared by every solver
 * @param knownOptimum f*, the best value known for the problem (exact or estimated), or {@code
 *     Double.NaN} when none is known; the profiles' reference value is the larger of f* and the
 *     best value any solver found
 */
public record ProblemRecord(String name, int dimension, double startValue, double knownOptimum) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the name is blank, the dimension below 1, or f(x₀) not
     *     finite
     */
    public ProblemRecord {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("problem name must not be blank");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException(
                    "dimension of problem " + name + " must be >= 1, got " + dimension);
        }
        if (!Double.isFinite(startValue)) {
            throw new IllegalArgumentException(
                    "start value of problem " + name + " must be finite, got " + startValue);
        }
        if (Double.isInfinite(knownOptimum)) {
            throw new IllegalArgumentException(
                    "known optimum of problem "
                            + name
                            + " must be finite or NaN (none), got "
                            + knownOptimum);
        }
    }
}
