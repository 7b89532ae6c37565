package dev.descent.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small ONNX graphs written with the protobuf builders, for op-level tests. */
final class GraphBuilder {

    /** A graph input: its name and concrete shape (tests feed exactly this shape). */
    record Input(String name, long[] shape) {}

    private final String name;
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final List<Input> inputs = new ArrayList<>();
    private final Random random;
    private long opset = 17;
    private int nodes;

    GraphBuilder(String name) {
        this.name = name;
        this.random = new Random(name.hashCode());
        graph.setName(name);
    }

    String name() {
        return name;
    }

    List<Input> inputs() {
        return inputs;
    }

    GraphBuilder opset(long opset) {
        this.opset = opset;
        return this;
    }

    GraphBuilder input(String input, long... shape) {
        Object[] dims = Arrays.stream(shape).boxed().toArray();
        graph.addInput(Fixtures.floatInput(input, dims));
        inputs.add(new Input(input, shape));
        return this;
    }

    /** A float initializer with standard normal values (positive when asked: |N(0,1)| + 0.5). */
    GraphBuilder floatInit(String init, boolean positive, long... shape) {
        int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            double g = random.nextGaussian();
            values[i] = (float) (positive ? Math.abs(g) + 0.5 : g);
        }
        graph.addInitializer(Fixtures.floatTensor(init, shape, values));
        return this;
    }

    GraphBuilder floatValues(String init, long[] shape, float... values) {
        graph.addInitializer(Fixtures.floatTensor(init, shape, values));
        return this;
    }

    GraphBuilder longInit(String init, long... values) {
        graph.addInitializer(Fixtures.longTensor(init, new long[] {values.length}, values));
        return this;
    }

    GraphBuilder longInit2d(String init, long rows, long cols, long... values) {
        graph.addInitializer(Fixtures.longTensor(init, new long[] {rows, cols}, values));
        return this;
    }

    GraphBuilder node(String op, List<String> in, String out, OnnxMl.AttributeProto... attrs) {
        graph.addNode(Fixtures.node(op, op.toLowerCase() + nodes++, in, List.of(out), attrs));
        return this;
    }

    GraphBuilder output(String output) {
        return output(output, OnnxMl.TensorProto.DataType.FLOAT);
    }

    GraphBuilder output(String output, OnnxMl.TensorProto.DataType type) {
        graph.addOutput(
                OnnxMl.ValueInfoProto.newBuilder()
                        .setName(output)
                        .setType(
                                OnnxMl.TypeProto.newBuilder()
                                        .setTensorType(
                                                OnnxMl.TypeProto.Tensor.newBuilder()
                                                        .setElemType(type.getNumber()))));
        return this;
    }

    OnnxMl.ModelProto model() {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("descent-tests")
                .setGraph(graph)
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .build();
    }

    @Override
    public String toString() {
        return name;
    }
}
