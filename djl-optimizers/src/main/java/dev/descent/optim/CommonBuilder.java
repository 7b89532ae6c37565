package dev.descent.optim;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Optimizer.OptimizerBuilder;
import ai.djl.training.tracker.ParameterTracker;

/**
 * The options every Descent optimizer shares, per-parameter ({@link DescentOptimizer}) and
 * whole-model ({@link WholeModelOptimizer}) alike, on top of DJL's ({@code setRescaleGrad}, {@code
 * optWeightDecays}, {@code optClipGrad}): learning rate or schedule, weight decay, gradient
 * rescaling and clipping, and what to do with NaN or infinite gradients.
 *
 * @param <B> the concrete builder
 */
public abstract class CommonBuilder<B extends CommonBuilder<B>> extends OptimizerBuilder<B> {

    ParameterTracker learningRate;
    double constantLearningRate;
    NonFiniteGradientPolicy nonFiniteGradientPolicy = NonFiniteGradientPolicy.THROW;
    double weightDecay;
    float rescale = 1f;
    float clip = -1f;

    /**
     * Creates a builder with an optimizer's reference learning rate.
     *
     * @param defaultLearningRate the reference learning rate
     */
    CommonBuilder(double defaultLearningRate) {
        constantLearningRate = defaultLearningRate;
    }

    /**
     * Sets a constant learning rate, kept in double precision (a DJL {@code Tracker} returns
     * floats).
     *
     * @param lr the learning rate, finite and {@code >= 0}
     * @return this builder
     */
    public B optLearningRate(double lr) {
        constantLearningRate = lr;
        learningRate = null;
        return self();
    }

    /**
     * Sets a learning-rate schedule, e.g. {@code Tracker.cosine()}. A per-parameter optimizer asks
     * it with each parameter's own step count, a whole-model optimizer with the model's step count.
     *
     * @param tracker the schedule
     * @return this builder
     */
    public B optLearningRateTracker(ParameterTracker tracker) {
        learningRate = Arguments.notNull("learningRateTracker", tracker);
        return self();
    }

    /**
     * Sets what happens on NaN or infinite gradients (default: throw).
     *
     * @param policy the policy
     * @return this builder
     */
    public B optNonFiniteGradientPolicy(NonFiniteGradientPolicy policy) {
        nonFiniteGradientPolicy = policy;
        return self();
    }

    /**
     * Sets the weight decay, finite and {@code >= 0}, kept in double precision.
     *
     * @param weightDecay the rate
     * @return this builder
     */
    public B optWeightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
        return super.optWeightDecays((float) weightDecay);
    }

    /**
     * Sets the weight decay (DJL's spelling); same as {@link #optWeightDecay(double)}.
     *
     * @param weightDecays the rate
     * @return this builder
     */
    @Override
    public B optWeightDecays(float weightDecays) {
        return optWeightDecay(weightDecays);
    }

    /**
     * Sets the factor the gradient is multiplied by, finite and {@code > 0}.
     *
     * @param rescaleGrad the factor
     * @return this builder
     */
    @Override
    public B setRescaleGrad(float rescaleGrad) {
        rescale = rescaleGrad;
        return super.setRescaleGrad(rescaleGrad);
    }

    /**
     * Clips each gradient element to {@code [−clipGrad, clipGrad]}; a value {@code <= 0} disables
     * clipping. For clipping by the global norm see {@link GlobalNormClipping}.
     *
     * @param clipGrad the bound
     * @return this builder
     */
    @Override
    public B optClipGrad(float clipGrad) {
        clip = clipGrad;
        return super.optClipGrad(clipGrad);
    }

    /**
     * Returns the reference learning rate this builder started with, or the constant rate set
     * since.
     *
     * @return the constant learning rate (ignored once a schedule is set)
     */
    double constantLearningRate() {
        return constantLearningRate;
    }

    /**
     * Builds the optimizer after validating every hyper-parameter.
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming the first invalid value and its range
     */
    public abstract Optimizer build();

    /**
     * Checks the shared options; each optimizer's {@code build()} calls it first.
     *
     * @throws IllegalArgumentException naming the first invalid value and its range
     */
    protected void validateShared() {
        if (learningRate == null) {
            Arguments.nonNegative("learningRate", constantLearningRate);
        }
        Arguments.notNull("nonFiniteGradientPolicy", nonFiniteGradientPolicy);
        Arguments.nonNegative("weightDecay", weightDecay);
        Arguments.positive("rescaleGrad", rescale);
        if (Float.isNaN(clip) || Float.isInfinite(clip)) {
            throw new IllegalArgumentException("clipGrad must be finite, got " + clip);
        }
    }
}
