package dev.descent.optim;

import ai.djl.ndarray.types.Shape;

/**
 * What a {@link ParameterRule} can see of a parameter.
 *
 * @param id the id DJL passes to {@code Optimizer.update}
 * @param name the hierarchical name from the block bound with {@link DescentOptimizer#bind}, or the
 *     id when no block was bound
 * @param shape the shape of the weight
 */
public record ParameterInfo(String id, String name, Shape shape) {}
