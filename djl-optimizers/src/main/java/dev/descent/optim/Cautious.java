package dev.descent.optim;

import ai.djl.ndarray.NDArray;

/**
 * The Cautious mask, applicable to any Descent optimizer through {@code optCautious(true)}.
 *
 * <p>With the step {@code Δ} (so {@code p ← p − Δ}) and the gradient {@code g}, over the {@code d}
 * elements of a parameter:
 *
 * <pre>
 * φ = 1[Δ ⊙ g &gt; 0]              keep only coordinates where the step descends along g
 * Δ ← Δ ⊙ φ · d / (Σφ + 1)       rescale by the inverse of the fraction kept
 * </pre>
 *
 * <p>Paper: Liang, Chen, Liu, Liu, "Cautious Optimizers: Improving Training with One Line of Code",
 * arXiv:2411.16085 (Algorithm 1, the {@code d/(nnz(φ)+1)} scaling of the reference code
 * kyleliang919/C-Optim).
 */
public final class Cautious {

    private Cautious() {}

    /**
     * Masks a step in place.
     *
     * @param delta the step {@code Δ} (modified)
     * @param grad the gradient (overwritten: it is used as scratch space)
     */
    public static void mask(NDArray delta, NDArray grad) {
        // 1[Δ·g > 0] in floating point: with s = sign(Δ·g), s² + s is 2 where they agree, else 0.
        NDArray agree = grad.muli(delta).signi();
        try (NDArray twice = agree.mul(agree)) {
            twice.addi(agree);
            double kept;
            try (NDArray sum = twice.sum()) {
                kept = DescentOptimizer.scalar(sum) / 2;
            }
            delta.muli(twice).muli(delta.size() / (kept + 1.0) / 2);
        }
    }
}
