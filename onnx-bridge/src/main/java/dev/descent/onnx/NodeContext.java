package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * One graph node as an operator implementation sees it: its attributes with the defaults of the
 * ONNX specification, the opset in force, and errors that name the node and its operator.
 */
final class NodeContext {

    private final OnnxMl.NodeProto node;
    private final int index;
    private final long opset;
    private final NDManager manager;

    NodeContext(OnnxMl.NodeProto node, int index, long opset, NDManager manager) {
        this.node = node;
        this.index = index;
        this.opset = opset;
        this.manager = manager;
    }

    /** The node as messages name it: {@code node 'name' (Op)}, or its index when unnamed. */
    String describe() {
        return describe(node, index);
    }

    static String describe(OnnxMl.NodeProto node, int index) {
        String name = node.getName().isEmpty() ? "#" + index : "'" + node.getName() + "'";
        return "node " + name + " (" + node.getOpType() + ")";
    }

    OnnxMl.NodeProto proto() {
        return node;
    }

    long opset() {
        return opset;
    }

    /** The manager for arrays the node creates (constants, shapes); they live for one forward. */
    NDManager manager() {
        return manager;
    }

    OnnxException error(String message) {
        return new OnnxException(describe() + ": " + message);
    }

    private OnnxMl.AttributeProto attribute(String name) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    boolean has(String name) {
        return attribute(name) != null;
    }

    long attrInt(String name, long defaultValue) {
        OnnxMl.AttributeProto a = attribute(name);
        return a == null ? defaultValue : a.getI();
    }

    float attrFloat(String name, float defaultValue) {
        OnnxMl.AttributeProto a = attribute(name);
        return a == null ? defaultValue : a.getF();
    }

    String attrString(String name, String defaultValue) {
        OnnxMl.AttributeProto a = attribute(name);
        return a == null ? defaultValue : a.getS().toStringUtf8();
    }

    /** The integer list attribute, or null when absent. */
    long[] attrInts(String name) {
        OnnxMl.AttributeProto a = attribute(name);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The float list attribute, or null when absent. */
    float[] attrFloats(String name) {
        OnnxMl.AttributeProto a = attribute(name);
        if (a == null) {
            return null;
        }
        float[] v = new float[a.getFloatsCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getFloats(i);
        }
        return v;
    }

    OnnxMl.TensorProto attrTensor(String name) {
        OnnxMl.AttributeProto a = attribute(name);
        return a == null || !a.hasT() ? null : a.getT();
    }

    /** A required input; a missing or empty-named one is an error naming the position. */
    NDArray required(List<NDArray> inputs, int position, String role) {
        if (position >= inputs.size() || inputs.get(position) == null) {
            throw error("input " + position + " (" + role + ") is required but missing");
        }
        return inputs.get(position);
    }

    /** An optional input, or null when absent. */
    static NDArray optional(List<NDArray> inputs, int position) {
        return position < inputs.size() ? inputs.get(position) : null;
    }

    /** Normalizes a possibly negative axis against a rank, naming the node when out of range. */
    int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }
}
