package dev.descent.surrogate;

import java.time.Duration;
import java.util.Objects;

/**
 * When a run stops: an evaluation budget counted in surrogate forward passes (points at which Φ was
 * evaluated, including the forward pass of every derivative), an iteration limit and a wall-clock
 * time limit. The radius criterion belongs to each solver.
 *
 * <pre>{@code
 * Limits limits = Limits.ofEvaluations(2000).withIterations(500).withTime(Duration.ofSeconds(30));
 * }</pre>
 *
 * @param evaluations the budget of forward passes, ≥ 1
 * @param iterations the iteration limit, ≥ 1
 * @param time the time limit, > 0
 */
public record Limits(long evaluations, long iterations, Duration time) {

    /** No time limit (about 292 years). */
    public static final Duration NO_TIME_LIMIT = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException if evaluations &lt; 1, iterations &lt; 1 or time ≤ 0
     */
    public Limits {
        if (evaluations < 1) {
            throw new IllegalArgumentException(
                    "evaluation budget must be >= 1, got " + evaluations);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iteration limit must be >= 1, got " + iterations);
        }
        Objects.requireNonNull(time, "time");
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("time limit must be > 0, got " + time);
        }
    }

    /**
     * Returns a budget of forward passes with no iteration or time limit.
     *
     * @param evaluations the budget, ≥ 1
     * @return the limits
     */
    public static Limits ofEvaluations(long evaluations) {
        return new Limits(evaluations, Long.MAX_VALUE, NO_TIME_LIMIT);
    }

    /**
     * Returns these limits with an iteration limit.
     *
     * @param iterations the limit, ≥ 1
     * @return new limits
     */
    public Limits withIterations(long iterations) {
        return new Limits(evaluations, iterations, time);
    }

    /**
     * Returns these limits with a time limit.
     *
     * @param time the limit, > 0
     * @return new limits
     */
    public Limits withTime(Duration time) {
        return new Limits(evaluations, iterations, time);
    }
}
