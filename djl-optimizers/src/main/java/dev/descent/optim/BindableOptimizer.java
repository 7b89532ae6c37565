package dev.descent.optim;

import ai.djl.nn.Block;

/**
 * An optimizer that learns the hierarchical parameter names (and order) of the block it trains:
 * rules match names, checkpoints are keyed by them, and whole-model optimizers need the full list
 * of parameters before their first step. Call {@link #bind} after the trainer has initialized the
 * block.
 */
public interface BindableOptimizer {

    /**
     * Binds the parameters of a block.
     *
     * @param block the block whose parameters this optimizer updates (initialized)
     * @return this optimizer
     */
    BindableOptimizer bind(Block block);
}
