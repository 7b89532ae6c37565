package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * DCDM's network: a fully convolutional 2-D CNN from a residual (batch, 1, ny, nx) to a search
 * direction of the same shape, the 2-D form of the reference's 3-D Keras model for N = 64.
 *
 * <pre>
 * h  = conv(b)                                     linear, 3×3, "same"
 * h  = relu(conv(h));  h = relu(conv(relu(conv(h)))) + h;  f = relu(conv(h))
 * c  = avgpool₂ₓ₂(f);  coarsePairs × [ c = relu(conv(relu(conv(c)))) + c ]
 * u  = upsample₂ₓ₂(c) + f                          nearest neighbour, skip-add
 * finePairs × [ u = relu(conv(relu(conv(u)))) + u ]
 * q  = conv₁ₓ₁(u)                                  linear, one channel (the reference's Dense(1))
 * </pre>
 *
 * Every 3×3 convolution has {@code filters} channels and padding 1, so the network runs on any grid
 * with even sides (the 2×2 pooling level) without retraining. It is built from DJL blocks that
 * {@code dev.descent.onnx.OnnxExporter} writes as ONNX: residuals are {@link ParallelBlock}s that
 * add an identity branch, the upsampling a {@link LambdaBlock} of repeats (ONNX Resize, nearest).
 *
 * <p>Reference: ayano721/2023_DCDM, {@code src/train.py} (16 filters, 3 coarse and 2 fine pairs at
 * N = 64). Deviations: 2-D instead of 3-D; DJL's default initialization instead of Keras' Glorot
 * uniform.
 */
public final class DcdmNetwork {

    /** The reference's filter count. */
    public static final int DEFAULT_FILTERS = 16;

    /** The reference's residual pairs on the pooled level (N = 64). */
    public static final int DEFAULT_COARSE_PAIRS = 3;

    /** The reference's residual pairs after the upsampling (N = 64). */
    public static final int DEFAULT_FINE_PAIRS = 2;

    private DcdmNetwork() {}

    /**
     * The reference's layout with a given width.
     *
     * @param filters channels of every 3×3 convolution, ≥ 1
     * @return the uninitialized network
     */
    public static SequentialBlock create(int filters) {
        return create(filters, DEFAULT_COARSE_PAIRS, DEFAULT_FINE_PAIRS);
    }

    /**
     * The layout with given widths and depths.
     *
     * @param filters channels of every 3×3 convolution, ≥ 1
     * @param coarsePairs residual pairs on the pooled level, ≥ 0
     * @param finePairs residual pairs after the upsampling, ≥ 0
     * @return the uninitialized network
     * @throws IllegalArgumentException if a count is out of range
     */
    public static SequentialBlock create(int filters, int coarsePairs, int finePairs) {
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
        if (coarsePairs < 0 || finePairs < 0) {
            throw new IllegalArgumentException(
                    "coarsePairs and finePairs must be >= 0, got "
                            + coarsePairs
                            + " and "
                            + finePairs);
        }
        SequentialBlock coarse =
                new SequentialBlock().add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        for (int i = 0; i < coarsePairs; i++) {
            coarse.add(residualPair(filters));
        }
        coarse.add(upsample());
        SequentialBlock net =
                new SequentialBlock()
                        .add(conv(filters))
                        .add(conv(filters))
                        .add(Activation::relu)
                        .add(residualPair(filters))
                        .add(conv(filters))
                        .add(Activation::relu)
                        .add(plusIdentity(coarse));
        for (int i = 0; i < finePairs; i++) {
            net.add(residualPair(filters));
        }
        net.add(
                Conv2d.builder()
                        .setKernelShape(new Shape(1, 1))
                        .setFilters(1)
                        .optPadding(new Shape(0, 0))
                        .build());
        return net;
    }

    /** Nearest-neighbour upsampling by 2 on both spatial axes of (batch, channels, y, x). */
    static NDArray upsample(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    private static Block upsample() {
        return new LambdaBlock(list -> new NDList(upsample(list.singletonOrThrow())), "upsample2x");
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optPadding(new Shape(1, 1))
                .build();
    }

    /** x ↦ relu(conv(relu(conv(x)))) + x. */
    private static Block residualPair(int filters) {
        return plusIdentity(
                new SequentialBlock()
                        .add(conv(filters))
                        .add(Activation::relu)
                        .add(conv(filters))
                        .add(Activation::relu));
    }

    /** x ↦ branch(x) + x, as a ParallelBlock whose join is the sum. */
    private static Block plusIdentity(Block branch) {
        return new ParallelBlock(
                list ->
                        new NDList(
                                list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                List.of(new LambdaBlock(x -> x, "identity"), branch));
    }
}
