package dev.descent.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph as a DJL {@link ai.djl.nn.Block}: the nodes run in graph order on DJL arrays
 * (PyTorch engine), so that the output is differentiable with respect to the inputs and to every
 * floating-point initializer, which the block holds as a trainable {@link Parameter} named after
 * the initializer. BatchNormalization running statistics are parameters that do not require
 * gradients; integer initializers (shapes, indices) are constants.
 *
 * <p>Why an interpreter rather than a translation into DJL layers: graphs exported by {@code
 * torch.onnx.export} compute shapes at run time (Shape, Gather, Concat, Reshape around a flatten),
 * and running the nodes eagerly handles any batch size without shape inference, while every
 * arithmetic node stays an autograd operation of the engine.
 *
 * <p>Created by {@link OnnxImporter}. The inputs of {@link #forward} are the graph inputs that are
 * not initializers, in graph order; the outputs are the graph outputs, in graph order. Arrays made
 * during a forward (constants, shapes, intermediates) belong to the manager of the first input.
 */
public final class OnnxBlock extends AbstractBlock {

    private final String source;
    private final OnnxMl.GraphProto graph;
    private final long opset;
    private final DataType floatType;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<String, Parameter> parametersByName;
    private final Map<String, NDArray> constants;

    OnnxBlock(
            String source,
            OnnxMl.GraphProto graph,
            long opset,
            DataType floatType,
            List<String> inputNames,
            Map<String, NDArray> floatInitializers,
            List<String> frozen,
            Map<String, NDArray> constants) {
        this.source = source;
        this.graph = graph;
        this.opset = opset;
        this.floatType = floatType;
        this.inputNames = List.copyOf(inputNames);
        this.outputNames =
                graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
        this.parametersByName = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : floatInitializers.entrySet()) {
            boolean trainable = !frozen.contains(e.getKey());
            NDArray array = e.getValue();
            Parameter p =
                    addParameter(
                            Parameter.builder()
                                    .setName(e.getKey())
                                    .setType(Parameter.Type.OTHER)
                                    .optRequiresGrad(trainable)
                                    .optArray(array)
                                    .build());
            if (trainable) {
                array.setRequiresGradient(true);
            }
            parametersByName.put(e.getKey(), p);
        }
        this.constants = Collections.unmodifiableMap(new HashMap<>(constants));
    }

    /**
     * Returns the names of the graph inputs that {@link #forward} expects, in order.
     *
     * @return the input names
     */
    public List<String> inputNames() {
        return inputNames;
    }

    /**
     * Returns the names of the graph outputs, in the order {@link #forward} returns them.
     *
     * @return the output names
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Returns the floating-point type of the parameters (FLOAT32 unless imported in FLOAT64).
     *
     * @return the parameter type
     */
    public DataType floatType() {
        return floatType;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != inputNames.size()) {
            throw new OnnxException(
                    "imported model "
                            + source
                            + " takes "
                            + inputNames.size()
                            + " inputs "
                            + inputNames
                            + ", got "
                            + inputs.size());
        }
        NDManager manager = inputs.head().getManager();
        Device device = inputs.head().getDevice();
        Map<String, NDArray> values = new HashMap<>(constants);
        for (Map.Entry<String, Parameter> e : parametersByName.entrySet()) {
            values.put(e.getKey(), parameterStore.getValue(e.getValue(), device, training));
        }
        for (int i = 0; i < inputNames.size(); i++) {
            values.put(inputNames.get(i), inputs.get(i));
        }
        List<OnnxMl.NodeProto> nodes = graph.getNodeList();
        for (int index = 0; index < nodes.size(); index++) {
            OnnxMl.NodeProto node = nodes.get(index);
            NodeContext context = new NodeContext(node, index, opset, manager);
            List<NDArray> args = new ArrayList<>(node.getInputCount());
            for (String name : node.getInputList()) {
                if (name.isEmpty()) {
                    args.add(null);
                    continue;
                }
                NDArray value = values.get(name);
                if (value == null) {
                    throw context.error("input '" + name + "' is not produced by any earlier node");
                }
                args.add(value);
            }
            List<NDArray> results = OnnxOps.apply(context, args);
            for (int k = 0; k < node.getOutputCount() && k < results.size(); k++) {
                NDArray r = results.get(k);
                if (floatType == DataType.FLOAT64 && r.getDataType() == DataType.FLOAT32) {
                    r = r.toType(DataType.FLOAT64, false);
                }
                values.put(node.getOutput(k), r);
            }
        }
        NDList out = new NDList(outputNames.size());
        for (String name : outputNames) {
            NDArray value = values.get(name);
            if (value == null) {
                throw new OnnxException(
                        "graph output '" + name + "' of model " + source + " is never computed");
            }
            out.add(value);
        }
        return out;
    }

    /**
     * Returns the output shapes by running the graph once on zeros of the given shapes (the graph's
     * shapes may be computed at run time, so there is no static inference).
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            NDList zeros = new NDList();
            for (Shape s : inputShapes) {
                zeros.add(scratch.zeros(s, floatType));
            }
            NDList out = forward(new ParameterStore(scratch, false), zeros, false);
            return out.getShapes();
        }
    }

    @Override
    public String toString() {
        return "OnnxBlock["
                + source
                + ", "
                + graph.getNodeCount()
                + " nodes, "
                + parametersByName.size()
                + " parameters, inputs "
                + inputNames
                + ", outputs "
                + outputNames
                + "]";
    }
}
