package dev.descent.solve;

/**
 * When an iterative linear solver stops: at the first iterate with ‖r_k‖ / ‖r₀‖ &lt; {@code
 * tolerance} (r = b − A x, Euclidean norm), or after {@code maxIterations} iterations.
 *
 * @param tolerance relative residual to reach, in (0, 1)
 * @param maxIterations iteration cap, ≥ 1
 */
public record StoppingRule(double tolerance, int maxIterations) {

    /**
     * Validates the rule.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public StoppingRule {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
    }

    /**
     * Whether a relative residual meets the tolerance.
     *
     * @param relativeResidual ‖r_k‖ / ‖r₀‖
     * @return true when it is below the tolerance
     */
    public boolean met(double relativeResidual) {
        return relativeResidual < tolerance;
    }
}
