package dev.descent.surrogate;

/**
 * A step radius kept in [min, max]: {@code grow(r, γ) = min(max, γ·r)}, {@code shrink(r, γ) =
 * max(min, r/γ)}; a run stops on this radius once {@code r ≤ min}.
 *
 * @param min the smallest radius, &gt; 0
 * @param max the largest radius, ≥ min (may be +∞)
 */
public record RadiusRule(double min, double max) {

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException unless 0 &lt; min ≤ max, min finite
     */
    public RadiusRule {
        if (!(min > 0) || Double.isInfinite(min)) {
            throw new IllegalArgumentException("minimum radius must be finite and > 0, got " + min);
        }
        if (!(max >= min)) {
            throw new IllegalArgumentException(
                    "maximum radius must be >= minimum radius " + min + ", got " + max);
        }
    }

    /**
     * Returns a rule, naming the radius in the messages of invalid bounds.
     *
     * @param name the radius's name, e.g. "attack radius"
     * @param min the smallest radius, finite and &gt; 0
     * @param max the largest radius, ≥ min
     * @return the rule
     * @throws IllegalArgumentException with the name, the range and the bad value
     */
    public static RadiusRule named(String name, double min, double max) {
        try {
            return new RadiusRule(min, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns min(max, factor·r).
     *
     * @param r the radius
     * @param factor γ ≥ 1
     * @return the grown radius
     */
    public double grow(double r, double factor) {
        return Math.min(max, factor * r);
    }

    /**
     * Returns max(min, r/factor).
     *
     * @param r the radius
     * @param factor γ ≥ 1
     * @return the shrunk radius
     */
    public double shrink(double r, double factor) {
        return Math.max(min, r / factor);
    }

    /**
     * Returns r clamped to [min, max].
     *
     * @param r the radius
     * @return the clamped radius
     */
    public double clamp(double r) {
        return Math.min(max, Math.max(min, r));
    }

    /**
     * Returns whether r is at (or below) the minimum.
     *
     * @param r the radius
     * @return r ≤ min
     */
    public boolean atMinimum(double r) {
        return r <= min;
    }

    /**
     * Validates a radius for a builder.
     *
     * @param name the parameter's name for the message
     * @param r the value
     * @throws IllegalArgumentException unless r is finite and &gt; 0
     */
    public static void checkPositive(String name, double r) {
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + r);
        }
    }
}
