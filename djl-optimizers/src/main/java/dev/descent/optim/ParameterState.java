package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The optimizer state of one parameter: its own step count, the tensors the update rule keeps, and
 * any scalars it carries between steps. Each optimizer declares one record implementing this
 * interface; {@link DescentOptimizer#saveState} writes exactly these three parts.
 */
public interface ParameterState {

    /**
     * Returns how many updates this parameter has received (0 before the first).
     *
     * @return the per-parameter step count
     */
    long step();

    /**
     * Returns the tensors of the state, in the order the optimizer's {@code restore} expects.
     *
     * @return the state tensors; empty when the rule keeps none
     */
    List<NDArray> buffers();

    /**
     * Returns the tensors of the state that have the weight's shape (the others, e.g. SOAP's
     * per-axis matrices, are exempt from the shape check before each step).
     *
     * @return the weight-shaped tensors; all of {@link #buffers()} by default
     */
    default List<NDArray> weightShaped() {
        return buffers();
    }

    /**
     * Returns scalars carried between steps (e.g. NAdam's running momentum product).
     *
     * @return the scalars; empty by default
     */
    default double[] scalars() {
        return new double[0];
    }
}
