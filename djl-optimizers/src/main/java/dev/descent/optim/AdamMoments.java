package dev.descent.optim;

import ai.djl.ndarray.NDArray;

/**
 * Adam's moment update and step direction, the piece shared by {@link AdamW} and by the optimizers
 * that run Adam on a part of the model or in a rotated basis.
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 * Δ = lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + ε)
 * </pre>
 *
 * <p>This is torch.optim.Adam's form (ε added after the bias correction of {@code v}).
 */
final class AdamMoments {

    private AdamMoments() {}

    /**
     * Advances the moments by one step and returns {@code Δ} in the gradient's buffer.
     *
     * @param m the first moment (modified)
     * @param v the second moment (modified)
     * @param grad the gradient (consumed: it holds {@code Δ} on return)
     * @param beta1 β1
     * @param beta2 β2
     * @param epsilon ε
     * @param t the step number, from 1
     * @param lr the learning rate
     * @return {@code grad}, holding {@code Δ}
     */
    static NDArray step(
            NDArray m,
            NDArray v,
            NDArray grad,
            double beta1,
            double beta2,
            double epsilon,
            long t,
            double lr) {
        double bc1 = 1 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
        return direction(m, v, grad, beta1, beta2, epsilon * sqrtBc2, lr * sqrtBc2 / bc1);
    }

    /**
     * Advances the moments by one step and returns {@code scale·m/(sqrt(v) + denominatorEpsilon)}
     * in the gradient's buffer, for rules with their own bias correction or ε placement (SOAP).
     *
     * @param m the first moment (modified)
     * @param v the second moment (modified)
     * @param grad the gradient (consumed: it holds the direction on return)
     * @param beta1 β1
     * @param beta2 β2
     * @param denominatorEpsilon the term added to {@code sqrt(v)}
     * @param scale the factor of the direction
     * @return {@code grad}, holding the direction
     */
    static NDArray direction(
            NDArray m,
            NDArray v,
            NDArray grad,
            double beta1,
            double beta2,
            double denominatorEpsilon,
            double scale) {
        Elementwise.lerp(m, grad, beta1);
        Elementwise.emaOfSquareConsuming(v, grad, beta2);
        Elementwise.copy(grad, m);
        return Elementwise.scaledRatio(grad, true, v, denominatorEpsilon, scale);
    }
}
