package dev.descent.solve;

/**
 * The options {@link ProximalGradient} and {@link ProximalConjugateGradient} share, with their
 * defaults: tolerance 1e-8 on the gradient mapping {@code ‖z − x‖∞ / t}, 10,000 iterations
 * (ncvreg's max.iter), first proximal step 1, backtracking factor 0.5, and a step cap of 0.9 times
 * the penalty's {@link Penalty#maxStep()}.
 *
 * @param <B> the concrete builder
 */
public abstract class ProximalBuilder<B extends ProximalBuilder<B>> {

    double tolerance = 1e-8;
    int maxIterations = 10_000;
    double initialStep = 1;
    double shrink = 0.5;
    double stepCap = 0.9;

    ProximalBuilder() {}

    /**
     * Sets the tolerance on the gradient mapping {@code ‖z − x‖∞ / t}, finite and {@code > 0}
     * (default 1e-8).
     *
     * @param tolerance the tolerance
     * @return this builder
     */
    public B optTolerance(double tolerance) {
        this.tolerance = tolerance;
        return self();
    }

    /**
     * Sets the iteration cap, {@code >= 1} (default 10,000).
     *
     * @param maxIterations the cap
     * @return this builder
     */
    public B optMaxIterations(int maxIterations) {
        this.maxIterations = maxIterations;
        return self();
    }

    /**
     * Sets the first proximal step t, finite and {@code > 0} (default 1).
     *
     * @param initialStep the step
     * @return this builder
     */
    public B optInitialStep(double initialStep) {
        this.initialStep = initialStep;
        return self();
    }

    /**
     * Sets the backtracking factor of the proximal step, in (0, 1) (default 0.5).
     *
     * @param shrink the factor
     * @return this builder
     */
    public B optShrink(double shrink) {
        this.shrink = shrink;
        return self();
    }

    /**
     * Sets the fraction of {@link Penalty#maxStep()} the proximal step may reach, in (0, 1)
     * (default 0.9).
     *
     * @param stepCap the fraction
     * @return this builder
     */
    public B optStepCap(double stepCap) {
        this.stepCap = stepCap;
        return self();
    }

    abstract B self();

    /** Checks every option, naming the first one out of range. */
    void validate() {
        if (!(tolerance > 0 && tolerance < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "tolerance must be finite and > 0, got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(initialStep > 0 && initialStep < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "initialStep must be finite and > 0, got " + initialStep);
        }
        if (!(shrink > 0 && shrink < 1)) {
            throw new IllegalArgumentException("shrink must be in (0, 1), got " + shrink);
        }
        if (!(stepCap > 0 && stepCap < 1)) {
            throw new IllegalArgumentException("stepCap must be in (0, 1), got " + stepCap);
        }
    }
}
