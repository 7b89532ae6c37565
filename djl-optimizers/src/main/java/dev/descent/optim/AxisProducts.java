package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Products of a tensor with one matrix per axis, in the engine: the pieces the per-axis
 * preconditioners (SOAP, Shampoo) are built from. A tensor is viewed in a working shape {@code
 * d_0×…×d_{k−1}} (a reshape of its own).
 */
final class AxisProducts {

    private AxisProducts() {}

    /**
     * Contracts each selected axis {@code i} of {@code x} with the first index of {@code M_i}
     * ({@code transposed}: with its second index), i.e. multiplies that axis by {@code M_iᵀ} (by
     * {@code M_i}); for a matrix {@code M_0ᵀ·X·M_1} ({@code M_0·X·M_1ᵀ}). As a sequence of
     * tensordots: each contracts the leading axis and appends the result as the last one, so that
     * after all axes the order is restored.
     *
     * @param x the tensor (not modified), of {@code shape}'s size
     * @param shape the working shape
     * @param selected which axes have a matrix
     * @param matrices {@code M_i} of the selected axes, in axis order ({@code d_i×d_i})
     * @param transposed whether to contract with the second index
     * @return a new array of the working shape, or {@code x} itself when no matrix is given
     */
    static NDArray contract(
            NDArray x,
            Shape shape,
            boolean[] selected,
            List<NDArray> matrices,
            boolean transposed) {
        if (matrices.isEmpty()) {
            return x;
        }
        int k = selected.length;
        long[] dims = shape.getShape();
        NDArray y = x;
        for (int i = 0, r = 0; i < k; i++) {
            long[] next = new long[k];
            for (int j = 0; j < k; j++) {
                next[j] = dims[(i + 1 + j) % k];
            }
            NDArray turned;
            try (NDArray flat = y.reshape(dims[i], -1);
                    NDArray rows = flat.transpose()) {
                if (selected[i]) {
                    NDArray m = matrices.get(r++);
                    if (transposed) {
                        try (NDArray mt = m.transpose()) {
                            turned = rows.matMul(mt);
                        }
                    } else {
                        turned = rows.matMul(m);
                    }
                } else {
                    turned = rows.duplicate();
                }
            }
            if (y != x) {
                y.close();
            }
            y = turned.reshape(new Shape(next));
            if (y != turned) {
                turned.close();
            }
        }
        return y;
    }

    /**
     * Returns {@code C_i(g)}: {@code g} contracted with itself over every axis but {@code axis}
     * ({@code G·Gᵀ} for axis 0 of a matrix, {@code Gᵀ·G} for axis 1).
     *
     * @param g the tensor (not modified)
     * @param shape its working shape
     * @param axis the kept axis
     * @return a new {@code d_axis×d_axis} array
     */
    static NDArray gram(NDArray g, Shape shape, int axis) {
        int k = shape.dimension();
        long d = shape.get(axis);
        if (axis == 0) {
            try (NDArray rows = g.reshape(d, -1);
                    NDArray columns = rows.transpose()) {
                return rows.matMul(columns);
            }
        }
        if (axis == k - 1) {
            try (NDArray columns = g.reshape(-1, d);
                    NDArray rows = columns.transpose()) {
                return rows.matMul(columns);
            }
        }
        try (NDArray swapped = g.swapAxes(0, axis);
                NDArray rows = swapped.reshape(d, -1);
                NDArray columns = rows.transpose()) {
            return rows.matMul(columns);
        }
    }
}
