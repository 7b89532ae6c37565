package dev.descent.optim;

/**
 * Thrown when a gradient holds NaN or an infinity and the policy is {@link
 * NonFiniteGradientPolicy#THROW}; the message says what was left unchanged.
 */
public final class NonFiniteGradientException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final long step;

    NonFiniteGradientException(String parameter, long step) {
        this(
                parameter,
                step,
                "its weight and optimizer state were left unchanged and its gradient cleared,"
                        + " but parameters DJL updated earlier in this step have moved: bind the"
                        + " optimizer to the model (Descent.trainingConfig(loss, optimizer) or"
                        + " BindingListener.of(optimizer)) to refuse whole steps, or use"
                        + " NonFiniteGradientPolicy.SKIP to skip such updates");
    }

    /** With what happened to the weights and state said by the optimizer that refused. */
    NonFiniteGradientException(String parameter, long step, String consequence) {
        super(
                "gradient of parameter '"
                        + parameter
                        + "' holds NaN or infinite values at step "
                        + step
                        + "; "
                        + consequence);
        this.parameter = parameter;
        this.step = step;
    }

    /**
     * Returns the name (or id, when no names are bound) of the parameter.
     *
     * @return the parameter
     */
    public String parameter() {
        return parameter;
    }

    /**
     * Returns the step of that parameter that was refused (1-based).
     *
     * @return the step
     */
    public long step() {
        return step;
    }
}
