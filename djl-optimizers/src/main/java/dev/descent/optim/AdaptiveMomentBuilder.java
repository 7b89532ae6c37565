package dev.descent.optim;

/**
 * The options shared by the Adam family (AdaBelief, NAdamW, RAdam, Adamax): the decays β1 and β2 of
 * the two moments and the ε of the denominator, each validated at {@code build()}.
 *
 * @param <B> the concrete builder
 */
public abstract class AdaptiveMomentBuilder<B extends AdaptiveMomentBuilder<B>>
        extends DescentOptimizer.Builder<B> {

    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon;

    /**
     * Creates a builder with the reference defaults of an optimizer; β1 0.9 and β2 0.999 unless it
     * changes them.
     *
     * @param defaultLearningRate the reference learning rate
     * @param defaultDecayMode the reference weight-decay mode
     * @param defaultEpsilon the reference ε
     */
    AdaptiveMomentBuilder(
            double defaultLearningRate, WeightDecayMode defaultDecayMode, double defaultEpsilon) {
        super(defaultLearningRate, defaultDecayMode);
        epsilon = defaultEpsilon;
    }

    /**
     * Sets β1, the decay of the first moment, in [0, 1).
     *
     * @param beta1 β1
     * @return this builder
     */
    public B optBeta1(double beta1) {
        this.beta1 = beta1;
        return self();
    }

    /**
     * Sets β2, the decay of the second moment, in [0, 1).
     *
     * @param beta2 β2
     * @return this builder
     */
    public B optBeta2(double beta2) {
        this.beta2 = beta2;
        return self();
    }

    /**
     * Sets ε, the term that keeps the denominator away from zero, finite and {@code >= 0}.
     *
     * @param epsilon ε
     * @return this builder
     */
    public B optEpsilon(double epsilon) {
        this.epsilon = epsilon;
        return self();
    }

    /** Validates the shared options, β1, β2 and ε. */
    void validateMoments() {
        validateShared();
        Arguments.inClosedOpen("beta1", beta1, 0, 1);
        Arguments.inClosedOpen("beta2", beta2, 0, 1);
        Arguments.nonNegative("epsilon", epsilon);
    }
}
