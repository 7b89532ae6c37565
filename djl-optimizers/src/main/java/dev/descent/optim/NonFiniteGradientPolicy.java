package dev.descent.optim;

/**
 * What an optimizer does when a parameter's gradient holds NaN or an infinity. DJL hands an
 * optimizer one parameter at a time, so the policy applies per parameter: parameters updated
 * earlier in the same {@code trainer.step()} have already moved.
 */
public enum NonFiniteGradientPolicy {
    /** Throw a {@link NonFiniteGradientException} naming the parameter and its step. */
    THROW,
    /**
     * Skip the update of that parameter: its weight, state and step count are left untouched and
     * its gradient is cleared, so the bad values do not accumulate into the next step.
     */
    SKIP
}
