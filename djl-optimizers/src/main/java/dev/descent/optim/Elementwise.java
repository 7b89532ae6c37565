package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The in-place pieces the elementwise update rules are composed of. DJL's NDArray API has no fused
 * {@code addcmul}/{@code lerp} and no output arguments, so each piece is written to make as few
 * passes over memory and as few allocations as the API allows: rules work in the gradient buffer
 * they are handed (see {@link DescentOptimizer#step}) and allocate only where an operation has no
 * in-place form ({@code sqrt}, {@code abs}, {@code maximum}).
 */
final class Elementwise {

    private Elementwise() {}

    /** {@code avg ← β·avg + (1 − β)·x}, as {@code β·(avg − x) + x}; {@code x} is not modified. */
    static NDArray lerp(NDArray avg, NDArray x, double beta) {
        return avg.subi(x).muli(beta).addi(x);
    }

    /**
     * {@code avg ← β·avg + (1 − β)·x²}; {@code x} is overwritten (it holds {@code (1 − β)·x²}
     * after).
     */
    static NDArray emaOfSquareConsuming(NDArray avg, NDArray x, double beta) {
        x.muli(x).muli(1 - beta);
        return avg.muli(beta).addi(x);
    }

    /**
     * Returns {@code scale · x / (sqrt(v) + eps)}: in {@code x} when {@code x} is scratch space,
     * else as a new array (one pass fewer than copying into scratch).
     */
    static NDArray scaledRatio(NDArray x, boolean xIsScratch, NDArray v, double eps, double scale) {
        try (NDArray denom = v.sqrt()) {
            denom.addi(eps);
            return (xIsScratch ? x.divi(denom) : x.div(denom)).muli(scale);
        }
    }

    /** {@code out ← scale · x}; returns {@code out}. */
    static NDArray scaled(NDArray out, NDArray x, double scale) {
        copy(out, x);
        return out.muli(scale);
    }

    /**
     * Returns {@code min(max(x, lo), hi)} as a new array ({@code x} is not modified), the values of
     * DJL's {@code x.clip(lo, hi)}. DJL 0.36's {@code clip} on PyTorch creates its two bounds as
     * arrays of {@code x}'s manager and never closes them: two arrays per call, kept until that
     * manager closes (for a gradient, as long as the model lives). Here the bounds are created
     * natively ({@code full}, no Java buffer) and closed.
     */
    static NDArray clip(NDArray x, float lo, float hi) {
        NDManager manager = x.getManager();
        try (NDArray low = manager.full(new Shape(), lo, x.getDataType());
                NDArray high = manager.full(new Shape(), hi, x.getDataType());
                NDArray floor = x.maximum(low)) {
            return floor.minimum(high);
        }
    }

    /** Copies {@code src} into {@code dst} (same shape) in one pass. */
    static void copy(NDArray dst, NDArray src) {
        dst.set(new NDIndex("..."), src);
    }
}
