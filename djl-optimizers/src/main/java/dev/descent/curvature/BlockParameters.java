package dev.descent.curvature;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a block that require gradients, in {@code block.getParameters()} order, and
 * forward passes of the block with other arrays (leaves) in their place.
 */
final class BlockParameters {

    final Block block;
    final List<Parameter> parameters = new ArrayList<>();
    final List<NDArray> values = new ArrayList<>();
    final List<String> names = new ArrayList<>();

    BlockParameters(Block block) {
        this.block = block;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient()) {
                if (!parameter.isInitialized()) {
                    throw new IllegalArgumentException(
                            "parameter '" + p.getKey() + "' is not initialized");
                }
                parameters.add(parameter);
                values.add(parameter.getArray());
                names.add(p.getKey());
            }
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(
                    "the block has no parameters that require gradients");
        }
    }

    /** Runs the block in inference mode with {@code leaves} in place of the parameters. */
    NDList forward(List<NDArray> leaves, NDList inputs) {
        return block.forward(new Substitution(parameters, leaves), inputs, false);
    }

    /** A parameter store that serves the leaves in place of the parameters' own arrays. */
    private static final class Substitution extends ParameterStore {
        private final Map<String, NDArray> byId = new HashMap<>();

        Substitution(List<Parameter> parameters, List<NDArray> leaves) {
            super(leaves.get(0).getManager(), false); // the no-argument constructor leaks a manager
            for (int i = 0; i < parameters.size(); i++) {
                byId.put(parameters.get(i).getId(), leaves.get(i));
            }
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            NDArray leaf = byId.get(parameter.getId());
            return leaf != null ? leaf : parameter.getArray();
        }
    }
}
