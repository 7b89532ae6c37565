package dev.descent.optim;

import ai.djl.ndarray.types.Shape;

/**
 * What a {@link ParameterRule} can see of a parameter.
 *
 * @param id the id DJL passes to {@code Optimizer.update}
 * @param name the hierarchical name from the block bound with {@link DescentOptimizer#bind}, or the
 *     id when no block was bound
 * @param shape the shape of the weight
 * @param named whether {@code name} comes from a bound block (false: it is the id)
 */
public record ParameterInfo(String id, String name, Shape shape, boolean named) {

    /**
     * A parameter of a bound block, known by its name.
     *
     * @param id the id DJL passes to {@code Optimizer.update}
     * @param name the hierarchical name in the block
     * @param shape the shape of the weight
     */
    public ParameterInfo(String id, String name, Shape shape) {
        this(id, name, shape, true);
    }

    /**
     * A parameter of no bound block: its id stands in for its name.
     *
     * @param id the id DJL passes to {@code Optimizer.update}
     * @param shape the shape of the weight
     * @return the parameter
     */
    public static ParameterInfo unnamed(String id, Shape shape) {
        return new ParameterInfo(id, id, shape, false);
    }
}
