package dev.descent.surrogate.mbo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.descent.curvature.GraphConstants;

/**
 * What a surrogate MLP predicts and the loss it is trained with. Column 0 of the network's output
 * is always the predicted score μ, the quantity searched over and the one in IGNITE's {@code G}.
 */
public enum SurrogateHead {

    /** One output μ; loss {@code mean (μ − y)²}. */
    MSE(1),

    /**
     * Two outputs (μ, s), a Gaussian with {@code log σ} the soft-clamped s of the reference ({@code
     * log σ = hi − softplus(hi − s)}, then {@code lo + softplus(log σ − lo)}) with fixed bounds lo
     * = log {@value #MIN_STD}, hi = log {@value #MAX_STD}; loss the mean negative log-likelihood
     * {@code log σ + (y − μ)²/(2σ²)} (the constant ½ log 2π dropped).
     */
    GAUSSIAN(2);

    /** Lower bound of σ of the Gaussian head (the reference trains it from 0.1). */
    public static final double MIN_STD = 0.01;

    /** Upper bound of σ of the Gaussian head (the reference trains it from 0.2). */
    public static final double MAX_STD = 2.0;

    private final int outputs;

    SurrogateHead(int outputs) {
        this.outputs = outputs;
    }

    /**
     * Returns the number of network outputs.
     *
     * @return 1 or 2
     */
    public int outputs() {
        return outputs;
    }

    /**
     * Returns the predicted scores μ, one per row.
     *
     * @param outputs the network's outputs, shape (batch, outputs())
     * @return μ, shape (batch)
     */
    public static NDArray mean(NDList outputs) {
        return outputs.singletonOrThrow().get(new NDIndex(":, 0"));
    }

    /**
     * Returns the training loss of a batch.
     *
     * @param outputs the network's outputs, shape (batch, outputs())
     * @param y the standardized scores, shape (batch)
     * @return the scalar loss
     */
    public NDArray loss(NDList outputs, NDArray y) {
        NDArray mu = mean(outputs);
        NDArray error = mu.sub(y);
        if (this == MSE) {
            return error.square().mean();
        }
        double lo = Math.log(MIN_STD);
        double hi = Math.log(MAX_STD);
        NDArray s = outputs.singletonOrThrow().get(new NDIndex(":, 1"));
        // constants by GraphConstants, not Number operands: the loss is differentiated
        NDArray logStd =
                GraphConstants.add(Activation.softPlus(GraphConstants.add(s.neg(), hi)).neg(), hi);
        logStd = GraphConstants.add(Activation.softPlus(GraphConstants.sub(logStd, lo)), lo);
        NDArray variance = GraphConstants.mul(logStd, 2).exp();
        return logStd.add(error.square().div(GraphConstants.mul(variance, 2))).mean();
    }
}
