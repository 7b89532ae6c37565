package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizer state of one parameter: its own step count, the tensors the update rule keeps, and
 * any scalars it carries between steps. Each optimizer declares one record implementing this
 * interface; {@link DescentOptimizer#saveState} writes exactly these three parts, and {@link
 * StatefulOptimizer#stateView()} names the tensors by {@link #bufferNames()}.
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
     * Returns scalars carried between steps (e.g. NAdam's running momentum product).
     *
     * @return the scalars; empty by default
     */
    default double[] scalars() {
        return new double[0];
    }

    /**
     * Returns the names of the tensors of {@link #buffers()}, in the same order, for {@link
     * StatefulOptimizer#stateView()}: the record's component names (e.g. {@code m}, {@code v}),
     * with an index for tensors that come in lists ({@code statistic0}, {@code statistic1}).
     *
     * @return one name per tensor; by default the positions {@code 0, 1, …}
     */
    default List<String> bufferNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < buffers().size(); i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }
}
