package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.loss.Loss;
import dev.descent.curvature.GraphConstants;

/**
 * DCDM's training loss: how well one exact line search along the network's direction solves A x =
 * b,
 *
 * <pre>
 * loss = mean over the batch of ‖b − A q (qᵀb / qᵀAq)‖²,   q = f_θ(b)
 * </pre>
 *
 * invariant to the scale (and sign) of q. The labels are the right-hand sides b and the predictions
 * the directions q, both (batch, 1, ny, nx). A is the unscaled 5-point Dirichlet Laplacian of
 * {@link Laplacian#dirichlet}, applied in the engine (and so differentiated) as the fixed 3×3
 * stencil [[0, −1, 0], [−1, 4, −1], [0, −1, 0]] convolved with zero padding 1: exactly the matrix
 * on the grid ({@link #applyLaplacian}). The stencil and every constant are made by libtorch
 * ({@link GraphConstants}), never read from Java buffers inside the graph.
 *
 * <p>Reference: ayano721/2023_DCDM, {@code src/train.py}, {@code custom_loss_function_cnn_1d_fast}
 * (the same sum over the batch divided by the batch size; A there a sparse matrix product).
 */
public final class DcdmLoss extends Loss {

    /** A loss named "dcdm". */
    public DcdmLoss() {
        super("dcdm");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray b = labels.singletonOrThrow();
        NDArray q = predictions.singletonOrThrow();
        if (!b.getShape().equals(q.getShape()) || b.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "DCDM loss: directions of shape "
                            + q.getShape()
                            + " for right-hand sides of shape "
                            + b.getShape()
                            + ", expected both (batch, 1, ny, nx)");
        }
        int[] grid = {1, 2, 3};
        NDArray aq = applyLaplacian(q);
        NDArray qb = q.mul(b).sum(grid, true);
        NDArray qaq = q.mul(aq).sum(grid, true);
        NDArray residual = b.sub(aq.mul(qb.div(qaq)));
        return residual.square().sum(grid).mean();
    }

    /**
     * A q for the 5-point Dirichlet Laplacian on each grid of a batch, differentiable.
     *
     * @param q (batch, 1, ny, nx), floating point, not modified
     * @return A q, of the same shape
     */
    public static NDArray applyLaplacian(NDArray q) {
        float[] stencil = {0, -1, 0, -1, 4, -1, 0, -1, 0};
        NDArray weight =
                GraphConstants.owned(q.getManager().create(stencil, new Shape(1, 1, 3, 3)))
                        .toType(q.getDataType(), false);
        return Conv2d.conv2d(q, weight, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
    }
}
