package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Converts between flattened {@code double[]} rows and the batched tensor a single-input model
 * declares ({@code [batch, d1, d2, ...]} with a symbolic or fixed first dimension).
 */
final class RowBatches {

    private final String source;
    private final TensorSpec input;
    private final long[] sampleShape;
    private final int width;

    RowBatches(OnnxModel model) {
        this.source = model.source();
        this.input = model.singleInput();
        model.singleOutput();
        if (input.rank() < 1) {
            throw new OnnxException(
                    "model " + source + " input " + input + " has no batch dimension");
        }
        TensorSpec.Dimension batch = input.shape().get(0);
        if (batch.isFixed() && batch.size() != 1) {
            throw new OnnxException(
                    "model "
                            + source
                            + " input "
                            + input
                            + " has a fixed first dimension "
                            + batch.size()
                            + "; a surrogate needs a symbolic batch dimension or 1");
        }
        this.sampleShape = new long[input.rank() - 1];
        long w = 1;
        for (int i = 1; i < input.rank(); i++) {
            TensorSpec.Dimension d = input.shape().get(i);
            if (!d.isFixed()) {
                throw new OnnxException(
                        "model "
                                + source
                                + " input "
                                + input
                                + " has a symbolic dimension "
                                + i
                                + " besides the batch; a surrogate needs fixed sample dimensions");
            }
            sampleShape[i - 1] = d.size();
            w *= d.size();
        }
        this.width = Math.toIntExact(w);
    }

    int width() {
        return width;
    }

    boolean batched() {
        return !input.shape().get(0).isFixed();
    }

    NDArray toArray(NDManager manager, double[][] rows, DataType type) {
        double[] flat = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new OnnxException(
                        "point "
                                + r
                                + " has length "
                                + rows[r].length
                                + " but model "
                                + source
                                + " input "
                                + input
                                + " needs rows of length "
                                + width);
            }
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return manager.create(flat, new Shape(shape)).toType(type, false);
    }

    static double[][] toRows(NDArray batch) {
        int rows = Math.toIntExact(batch.getShape().get(0));
        double[] flat = batch.toType(DataType.FLOAT64, false).toDoubleArray();
        int cols = rows == 0 ? 0 : flat.length / rows;
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    DataType inputType() {
        return input.type().djlType().orElseThrow();
    }
}
