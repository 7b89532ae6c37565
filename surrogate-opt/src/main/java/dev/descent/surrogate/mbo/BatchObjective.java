package dev.descent.surrogate.mbo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;

/** The loss of one training batch of a surrogate, and what its forward pass reads. */
interface BatchObjective {

    /**
     * Returns the inputs of the batch's forward pass.
     *
     * @param block the surrogate at its current parameters
     * @param x the standardized designs of the batch, shape (batch, n)
     * @return the inputs (by default the batch itself)
     */
    NDList inputs(Block block, NDArray x);

    /**
     * Returns the scalar loss from the outputs of the forward pass.
     *
     * @param outputs the outputs for {@link #inputs}
     * @param y the standardized scores of the batch, shape (batch)
     * @return the loss
     */
    NDArray loss(NDList outputs, NDArray y);

    /** Called once after each parameter update (dual variables move here). */
    void afterStep();

    /** The plain fit of a head's loss. */
    static BatchObjective fit(SurrogateHead head) {
        return new BatchObjective() {
            @Override
            public NDList inputs(Block block, NDArray x) {
                return new NDList(x);
            }

            @Override
            public NDArray loss(NDList outputs, NDArray y) {
                return head.loss(outputs, y);
            }

            @Override
            public void afterStep() {}
        };
    }
}
