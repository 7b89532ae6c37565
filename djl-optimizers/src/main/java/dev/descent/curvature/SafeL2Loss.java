package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * DJL's L2 loss, {@code mean(weight·(label − prediction)²)} with {@code weight} ½ by default, with
 * its weight made by libtorch ({@link GraphConstants#mul}) so that it can be differentiated after a
 * garbage collection: {@code Loss.l2Loss()} multiplies by a {@code Number}, whose Java buffer the
 * collector may free while the graph still reads it (see {@link GraphConstants}). Use it wherever
 * an L2 loss is differentiated: a training loop, {@link HessianVectorProduct}, {@link
 * SharpnessMonitor}, Sophia. Its values are {@code Loss.l2Loss(name, weight)}'s to the bit.
 */
public final class SafeL2Loss extends Loss {

    private final float weight;

    /** The L2 loss with weight ½, named "L2Loss" as DJL's. */
    public SafeL2Loss() {
        this("L2Loss", 0.5f);
    }

    /**
     * The L2 loss with a weight.
     *
     * @param name the name of the loss (its key in the training metrics)
     * @param weight the factor of the squared errors, finite
     * @throws IllegalArgumentException if the weight is not finite
     */
    public SafeL2Loss(String name, float weight) {
        super(name);
        if (!Float.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow().reshape(prediction.getShape());
        return GraphConstants.mul(label.sub(prediction).square(), weight).mean();
    }
}
