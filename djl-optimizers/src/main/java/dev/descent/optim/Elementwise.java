package dev.descent.optim;

import ai.djl.ndarray.NDArray;

/**
 * The in-place pieces the elementwise update rules are composed of. Each works on whole tensors
 * with as few passes over memory and as few temporaries as DJL's NDArray API allows (it has no
 * fused {@code addcmul}/{@code lerp}); every temporary is closed before returning.
 */
final class Elementwise {

    private Elementwise() {}

    /** {@code avg ← β·avg + (1 − β)·x}, in place; returns {@code avg}. */
    static NDArray ema(NDArray avg, NDArray x, double beta) {
        try (NDArray scaled = x.mul(1 - beta)) {
            return avg.muli(beta).addi(scaled);
        }
    }

    /** {@code avg ← β·avg + (1 − β)·x²}, in place; returns {@code avg}. */
    static NDArray emaOfSquare(NDArray avg, NDArray x, double beta) {
        try (NDArray sq = x.mul(x)) {
            sq.muli(1 - beta);
            return avg.muli(beta).addi(sq);
        }
    }

    /** Returns {@code scale · x / (sqrt(v) + eps)} as a new array. */
    static NDArray scaledRatio(NDArray x, NDArray v, double eps, double scale) {
        try (NDArray denom = v.sqrt()) {
            denom.addi(eps);
            return x.div(denom).muli(scale);
        }
    }
}
