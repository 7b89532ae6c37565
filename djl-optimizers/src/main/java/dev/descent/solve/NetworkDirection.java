package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * A {@link DeepConjugateDirection.Direction} computed by a DJL block on an nx × ny grid: the unit
 * residual, unknown (x, y) at index {@code y·nx + x} as in {@link Laplacian}, goes in as a float32
 * array of shape (1, 1, ny, nx); the block runs in inference mode ({@code training = false}) and
 * must give back the same shape. A fully convolutional network (such as {@link DcdmNetwork}'s)
 * works on any grid its pooling divides, without retraining.
 *
 * <p>Each call works in its own sub-manager, closed before it returns. Close this object to release
 * the manager (the block itself is not closed).
 */
public final class NetworkDirection implements DeepConjugateDirection.Direction, AutoCloseable {

    private final Block network;
    private final int nx;
    private final int ny;
    private final NDManager manager;

    /**
     * Wraps an initialized block.
     *
     * @param network the trained network, not modified
     * @param nx grid points along x, ≥ 1
     * @param ny grid points along y, ≥ 1
     * @throws IllegalArgumentException if the block is not initialized or the grid is empty
     */
    public NetworkDirection(Block network, int nx, int ny) {
        this.network = Objects.requireNonNull(network, "network");
        if (!network.isInitialized()) {
            throw new IllegalArgumentException(
                    "network is not initialized; initialize or load it before solving");
        }
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException(
                    "the grid needs at least one point per side, got nx = " + nx + ", ny = " + ny);
        }
        this.nx = nx;
        this.ny = ny;
        this.manager = NDManager.newBaseManager();
    }

    /**
     * Runs the network on a unit residual.
     *
     * @param unitResidual r / ‖r‖ of length nx·ny, not modified
     * @return the network's output, flattened as the input
     * @throws IllegalArgumentException if the residual's length is not nx·ny or the network's
     *     output shape is not (1, 1, ny, nx)
     */
    @Override
    public double[] apply(double[] unitResidual) {
        if (unitResidual.length != nx * ny) {
            throw new IllegalArgumentException(
                    "the residual has length "
                            + unitResidual.length
                            + ", the "
                            + nx
                            + " x "
                            + ny
                            + " grid has "
                            + nx * ny
                            + " points");
        }
        Shape grid = new Shape(1, 1, ny, nx);
        try (NDManager call = manager.newSubManager()) {
            float[] values = new float[unitResidual.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) unitResidual[i];
            }
            NDArray input = call.create(values, grid);
            NDList output;
            try {
                output = network.forward(new ParameterStore(call, false), new NDList(input), false);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "the network fails on a residual of shape "
                                + grid
                                + " (DcdmNetwork needs even grid sides): "
                                + e.getMessage(),
                        e);
            }
            NDArray q = output.head();
            if (output.size() != 1 || !q.getShape().equals(grid)) {
                throw new IllegalArgumentException(
                        "the network maps a residual of shape "
                                + grid
                                + " to "
                                + (output.size() == 1
                                        ? "shape " + q.getShape()
                                        : output.size() + " outputs")
                                + ", expected one output of shape "
                                + grid
                                + " (the "
                                + nx
                                + " x "
                                + ny
                                + " grid)");
            }
            return q.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /** Closes this object's manager. */
    @Override
    public void close() {
        manager.close();
    }
}
