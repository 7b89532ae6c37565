package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * How a flat vector of dimension d is cut into {@code blocks} consecutive blocks of {@code size}
 * entries (the last one padded with zeros), so that M-FAC's blockwise variants work on all blocks
 * at once with batched products. One block of size d when no block size is given.
 */
final class BlockLayout {

    final long dimension;
    final long size;
    final int blocks;

    /**
     * @param dimension d, {@code >= 1}
     * @param blockSize the block size, {@code >= 1}; 0 or anything {@code >= d} gives one block
     */
    BlockLayout(long dimension, long blockSize) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException(
                    "blockSize must be >= 1, or 0 for one block over the whole vector, got "
                            + blockSize);
        }
        this.dimension = dimension;
        this.size = blockSize == 0 || blockSize >= dimension ? dimension : blockSize;
        this.blocks = Math.toIntExact((dimension + size - 1) / size);
    }

    long padded() {
        return blocks * size;
    }

    /** Requires a 1-D vector of length d and the given data type. */
    void check(String what, NDArray v, DataType type) {
        if (v.getShape().dimension() != 1 || v.size() != dimension) {
            throw new IllegalArgumentException(
                    what
                            + " must be a 1-D vector of length "
                            + dimension
                            + ", got shape "
                            + v.getShape());
        }
        if (v.getDataType() != type) {
            throw new IllegalArgumentException(
                    what
                            + " must be "
                            + type
                            + " like the stored gradients, got "
                            + v.getDataType());
        }
    }

    /** The vector as a (blocks, size) array (a new array; zeros in the padding). */
    NDArray toBlocks(NDArray flat) {
        if (padded() == dimension) {
            return flat.reshape(blocks, size);
        }
        try (NDArray zeros =
                flat.getManager()
                        .zeros(
                                new Shape(padded() - dimension),
                                flat.getDataType(),
                                flat.getDevice())) {
            return flat.concat(zeros).reshape(blocks, size);
        }
    }

    /** A (blocks, …, size) array with blocks·size entries as a flat vector of length d. */
    NDArray toFlat(NDArray blocked) {
        NDArray flat = blocked.reshape(padded());
        if (padded() == dimension) {
            return flat;
        }
        return flat.get(new NDIndex("0:{}", dimension));
    }

    /** An m×d matrix of row vectors as (blocks, m, size). */
    NDArray rowsToBlocks(NDArray rows) {
        long m = rows.getShape().get(0);
        NDArray padded = rows;
        if (padded() != dimension) {
            NDManager manager = rows.getManager();
            try (NDArray zeros =
                    manager.zeros(
                            new Shape(m, padded() - dimension),
                            rows.getDataType(),
                            rows.getDevice())) {
                padded = rows.concat(zeros, 1);
            }
        }
        return padded.reshape(m, blocks, size).transpose(1, 0, 2);
    }
}
