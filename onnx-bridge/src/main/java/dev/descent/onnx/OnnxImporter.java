package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports an ONNX graph into DJL as a differentiable, trainable {@link OnnxBlock}.
 *
 * <p>Why: ONNX Runtime evaluates a network fast but gives no derivatives (its training API is not
 * in the inference package), while a search over a surrogate needs input gradients and fine-tuning
 * needs parameter gradients. Re-expressing the graph as DJL operations on the PyTorch engine gives
 * both exactly.
 *
 * <p>Supported: the standard-domain operators listed by {@link #supportedOperators()}, which cover
 * what {@code torch.onnx.export} emits for MLPs, small CNNs and LayerNorm models at opsets 13–17.
 * Before anything is built, every node is checked; a graph with operators of another domain (for
 * example {@code ai.onnx.ml} tree ensembles), unknown operators or unsupported attribute values is
 * rejected with an {@link UnsupportedGraphException} that lists each offending node.
 */
public final class OnnxImporter {

    private OnnxImporter() {}

    /**
     * Returns the operator types that can be imported.
     *
     * @return the sorted operator names of the standard domain
     */
    public static Set<String> supportedOperators() {
        return OnnxOps.supported();
    }

    /**
     * Lists why a model cannot be imported.
     *
     * @param model the parsed model; not modified
     * @return one line per offending node (node name, operator, reason); empty when importable
     */
    public static List<String> problems(OnnxMl.ModelProto model) {
        long opset = standardOpset(model);
        List<String> problems = new ArrayList<>();
        List<OnnxMl.NodeProto> nodes = model.getGraph().getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            OnnxMl.NodeProto node = nodes.get(i);
            String where = NodeContext.describe(node, i);
            String domain = node.getDomain();
            if (!domain.isEmpty() && !domain.equals(OnnxModel.DEFAULT_DOMAIN)) {
                problems.add(
                        where
                                + ": operator "
                                + domain
                                + "."
                                + node.getOpType()
                                + " of domain '"
                                + domain
                                + "' is not supported (only the standard ONNX domain)");
            } else if (!OnnxOps.isSupported(node.getOpType())) {
                problems.add(where + ": operator " + node.getOpType() + " is not supported");
            } else {
                String reason = OnnxOps.validate(new NodeContext(node, i, opset, null));
                if (reason != null) {
                    problems.add(where + ": " + reason);
                }
            }
        }
        return problems;
    }

    /**
     * Imports an open model with float32 parameters.
     *
     * @param model the model; not modified, and may be closed afterwards
     * @param manager the manager that owns the block's parameters
     * @return the block
     * @throws UnsupportedGraphException listing every node that cannot be imported
     */
    public static OnnxBlock importModel(OnnxModel model, NDManager manager) {
        return importModel(model.proto(), model.source(), manager, DataType.FLOAT32);
    }

    /**
     * Imports a parsed model.
     *
     * @param model the model; not modified
     * @param source what to call the model in messages
     * @param manager the manager that owns the block's parameters
     * @param floatType FLOAT32, or FLOAT64 to run the whole graph in double precision (floating
     *     initializers and constants are widened), e.g. for finite-difference checks
     * @return the block
     * @throws UnsupportedGraphException listing every node that cannot be imported
     * @throws IllegalArgumentException if floatType is neither FLOAT32 nor FLOAT64
     */
    public static OnnxBlock importModel(
            OnnxMl.ModelProto model, String source, NDManager manager, DataType floatType) {
        if (floatType != DataType.FLOAT32 && floatType != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    "floatType must be FLOAT32 or FLOAT64, got " + floatType);
        }
        List<String> problems = problems(model);
        if (!problems.isEmpty()) {
            throw new UnsupportedGraphException(source, problems);
        }
        OnnxMl.GraphProto graph = model.getGraph();
        Set<String> initializerNames = new HashSet<>();
        Map<String, NDArray> floats = new LinkedHashMap<>();
        Map<String, NDArray> constants = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            initializerNames.add(t.getName());
            NDArray array = TensorProtos.toArray(t, manager, "initializer '" + t.getName() + "'");
            if (array.getDataType().isFloating()) {
                floats.put(t.getName(), array.toType(floatType, false));
            } else {
                constants.put(t.getName(), array);
            }
        }
        List<String> frozen = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("BatchNormalization")) {
                for (int k = 3; k < node.getInputCount() && k < 5; k++) {
                    frozen.add(node.getInput(k));
                }
            }
        }
        List<String> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            if (!initializerNames.contains(input.getName())) {
                inputs.add(input.getName());
            }
        }
        return new OnnxBlock(
                source, graph, standardOpset(model), floatType, inputs, floats, frozen, constants);
    }

    private static long standardOpset(OnnxMl.ModelProto model) {
        for (OnnxMl.OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals(OnnxModel.DEFAULT_DOMAIN)) {
                return id.getVersion();
            }
        }
        return 0;
    }
}
