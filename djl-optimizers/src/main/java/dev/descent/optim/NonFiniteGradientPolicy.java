package dev.descent.optim;

/**
 * What an optimizer does when a gradient holds NaN or an infinity.
 *
 * <p>Bound to the model it trains ({@link BindingListener}, {@link
 * Descent#trainingConfig(ai.djl.training.loss.Loss, ai.djl.training.optimizer.Optimizer)} or {@code
 * bind(block)}), a per-parameter optimizer ({@link DescentOptimizer}) checks the whole step at its
 * first {@code update}, before any parameter moves: the gradients of every parameter of the block,
 * with one device-to-host copy per step. A refused step moves no parameter, leaves the optimizer
 * state (step counts included) unchanged and clears every gradient of the step, so that the next
 * batch trains. A whole-model optimizer ({@link WholeModelOptimizer}) refuses whole steps in the
 * same way. An unbound per-parameter optimizer can only check each parameter as DJL hands it over
 * (one device-to-host copy per parameter): the refused parameter is left unchanged and its gradient
 * cleared, but parameters DJL updated earlier in the same {@code trainer.step()} have moved and
 * those after it keep their gradients, so atomic refusal needs binding.
 */
public enum NonFiniteGradientPolicy {
    /**
     * Refuse the step and throw a {@link NonFiniteGradientException} naming the parameter (bound:
     * the first in the block's order whose gradient is not finite) and its step.
     */
    THROW,
    /**
     * Refuse the step without an exception: weights, state and step counts are left untouched, the
     * gradients are cleared, and the next step trains on the next batch.
     */
    SKIP,
    /**
     * Do not check: no device-to-host copy for the check, and a NaN or infinite gradient enters the
     * weights and the state. For training loops that check the loss themselves.
     */
    UNCHECKED
}
