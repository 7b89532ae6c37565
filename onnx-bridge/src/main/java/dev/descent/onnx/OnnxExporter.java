package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Writes a DJL block tree (an MLP or a small CNN trained in Descent) as an ONNX model of opset
 * {@value #OPSET} that ONNX Runtime evaluates and {@link OnnxImporter} imports back.
 *
 * <p>The tree is walked in forward order; each block becomes a few ONNX nodes and its parameters
 * become float32 initializers named after the block's path (the child names of the enclosing {@link
 * SequentialBlock}s joined by '/', e.g. {@code 03SequentialBlock/01Conv2d.weight}). The model has
 * one input {@value #INPUT} and one output {@value #OUTPUT}, both float32, whose first dimension is
 * the symbolic {@value #BATCH}; the other dimensions are those of the input shape given to {@link
 * #toModel}.
 *
 * <p>Supported blocks and their ONNX form:
 *
 * <ul>
 *   <li>{@link SequentialBlock} (nested at any depth, without {@code returnIntermediate}): its
 *       children in order.
 *   <li>{@link Linear}, {@code y = x·Wᵀ + b} with DJL's weight {@code W} of shape (out, in): {@code
 *       Gemm(x, W, b, transB=1)} for rank-2 inputs, else {@code MatMul(x, Wᵀ)} then {@code Add(b)}.
 *   <li>{@link Conv1d}, {@link Conv2d}: {@code Conv} with kernel_shape, strides, symmetric pads,
 *       dilations and group.
 *   <li>{@link LayerNorm}: {@code LayerNormalization} over the trailing axes of its gamma's shape,
 *       with its epsilon.
 *   <li>{@link BatchNorm} on axis 1: inference {@code BatchNormalization} with the running mean and
 *       variance.
 *   <li>{@link ParallelBlock} whose join is the elementwise sum of its branches (a residual
 *       connection, e.g. an identity LambdaBlock next to a block): each branch from the same input,
 *       then {@code Add}. The join cannot be inspected: the block's output on a probe must equal
 *       the sum of its branches' outputs on it (to the LambdaBlocks' tolerance below); other joins
 *       (concatenation, a product) are refused.
 *   <li>{@link Dropout}: nothing (the identity at inference).
 *   <li>{@link LambdaBlock}: identified by probing, see below.
 * </ul>
 *
 * <p><b>LambdaBlocks.</b> DJL's activation blocks ({@code Activation.reluBlock()} and friends),
 * {@code Blocks.batchFlattenBlock()} and the pooling blocks of {@code Pool} are {@link
 * LambdaBlock}s whose function cannot be inspected. The exporter evaluates each one on a seeded
 * random probe of the shape that reaches it (values uniform in [−{@value #PROBE_RANGE}, {@value
 * #PROBE_RANGE}]) and compares the result with each known function evaluated by DJL on the same
 * probe; it is identified when the shapes agree and every element agrees to {@value
 * #PROBE_RTOL}·max(1, max|y|). Known functions: identity, relu, relu6, sigmoid, tanh, softplus,
 * softsign, selu, mish, GELU (only when DJL's GELU is the exact erf form, which is checked against
 * an erf series; the tanh approximation is refused), softmax and log-softmax over the last axis,
 * leaky relu, ELU and swish (their parameter estimated from one probe element, then verified on
 * all), batch flatten, global average and max pooling, max and average pooling with equal kernel,
 * stride and padding on every spatial axis (kernel ≤ 4, ceil mode off), and nearest-neighbour
 * upsampling by one integer factor on every spatial axis (each element repeated, ONNX {@code
 * Resize}). A LambdaBlock that matches none of them is refused. Because the probe is drawn at the
 * exported shape, a match means the two functions agree there, not everywhere: a lambda that is,
 * say, relu on the probe's range but not beyond would be mis-identified (no DJL block does this).
 *
 * <p>Anything else (other ParallelBlocks, Prelu, Conv3d, deconvolutions, recurrent blocks,
 * BatchNorm on another axis, unidentified lambdas) is refused with an {@link
 * UnsupportedBlockException} that lists every offending block with its path and class. The block
 * must be initialized; its parameters are read, not modified.
 */
public final class OnnxExporter {

    /** The opset of the standard domain that exported models import. */
    public static final long OPSET = 17;

    /** The name of the exported model's input. */
    public static final String INPUT = "input";

    /** The name of the exported model's output. */
    public static final String OUTPUT = "output";

    /** The symbolic name of the first (batch) dimension of the input and output. */
    public static final String BATCH = "batch";

    /** The ONNX IR version written (ONNX 1.12, the first with opset 17). */
    static final long IR_VERSION = 8;

    /** Half-width of the uniform range of probe values fed to LambdaBlocks. */
    static final double PROBE_RANGE = 4.0;

    /** Relative agreement that identifies a LambdaBlock with a known function. */
    static final double PROBE_RTOL = 1e-6;

    /** Batch size of the probes fed to each block. */
    static final int PROBE_BATCH = 2;

    /** Largest pooling kernel tried when identifying a pooling LambdaBlock. */
    static final int MAX_POOL_KERNEL = 4;

    /** Largest difference from the erf form accepted for DJL's GELU (float32 rounding). */
    static final double GELU_ERF_ATOL = 1e-5;

    private OnnxExporter() {}

    /**
     * Exports a block to a file.
     *
     * @param block the initialized block; not modified
     * @param inputShape the input shape including the batch dimension, e.g. (1, 3, 28, 28); the
     *     batch dimension is written as the symbolic {@value #BATCH}
     * @param path the .onnx file to write (replaced if it exists)
     * @throws UnsupportedBlockException listing every block that cannot be exported
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void export(Block block, Shape inputShape, Path path) {
        byte[] bytes = toModel(block, inputShape).toByteArray();
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model to " + path, e);
        }
    }

    /**
     * Exports a block to a stream.
     *
     * @param block the initialized block; not modified
     * @param inputShape the input shape including the batch dimension
     * @param out where the serialized model is written; not closed
     * @throws UnsupportedBlockException listing every block that cannot be exported
     * @throws UncheckedIOException if the stream fails
     */
    public static void export(Block block, Shape inputShape, OutputStream out) {
        try {
            toModel(block, inputShape).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model to the stream", e);
        }
    }

    /**
     * Builds the ONNX model of a block.
     *
     * @param block the initialized block; not modified
     * @param inputShape the input shape including the batch dimension (rank at least 2)
     * @return the model: opset {@value #OPSET}, one input {@value #INPUT}, one output {@value
     *     #OUTPUT}, float32 initializers
     * @throws UnsupportedBlockException listing every block that cannot be exported
     * @throws IllegalArgumentException if the block is not initialized or the input shape has rank
     *     below 2
     */
    public static OnnxMl.ModelProto toModel(Block block, Shape inputShape) {
        if (!block.isInitialized()) {
            throw new IllegalArgumentException(
                    "block "
                            + block.getClass().getName()
                            + " is not initialized; call initialize(manager, dataType, shape)"
                            + " before exporting");
        }
        if (inputShape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "inputShape must include the batch dimension and at least one more, got "
                            + inputShape);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            GraphWriter w = new GraphWriter(manager);
            Flow out = w.emit(block, "", new Flow(INPUT, inputShape.slice(1)));
            if (!w.problems.isEmpty()) {
                throw new UnsupportedBlockException(w.problems);
            }
            w.finish(out);
            w.graph.addInput(valueInfo(INPUT, inputShape.slice(1)));
            w.graph.addOutput(valueInfo(OUTPUT, out.shape()));
            return OnnxMl.ModelProto.newBuilder()
                    .setIrVersion(IR_VERSION)
                    .setProducerName("descent")
                    .setDocString("exported from DJL by dev.descent.onnx.OnnxExporter")
                    .setGraph(w.graph.setName("descent-export"))
                    .addOpsetImport(
                            OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .build();
        }
    }

    /** A value of the graph: its name and its shape without the batch dimension. */
    record Flow(String value, Shape shape) {}

    private static OnnxMl.ValueInfoProto valueInfo(String name, Shape perRow) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : perRow.getShape()) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        OnnxMl.TypeProto.newBuilder()
                                .setTensorType(
                                        OnnxMl.TypeProto.Tensor.newBuilder()
                                                .setElemType(
                                                        OnnxMl.TensorProto.DataType.FLOAT
                                                                .getNumber())
                                                .setShape(shape)))
                .build();
    }

    /** Builds the graph while walking the block tree; collects problems instead of stopping. */
    static final class GraphWriter {

        final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
        final List<String> problems = new ArrayList<>();
        final NDManager manager;

        GraphWriter(NDManager manager) {
            this.manager = manager;
        }

        Flow emit(Block block, String path, Flow in) {
            String where = path.isEmpty() ? "(root)" : path;
            if (block instanceof SequentialBlock seq) {
                if (seq.isReturnIntermediate()) {
                    problem(where, block, "returnIntermediate=true gives several outputs");
                    return null;
                }
                Flow flow = in;
                for (Pair<String, Block> child : seq.getChildren()) {
                    String childPath =
                            path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
                    flow = emit(child.getValue(), childPath, flow);
                    if (flow == null) {
                        return null;
                    }
                }
                return flow;
            }
            if (block instanceof Dropout) {
                return in;
            }
            if (block instanceof ParallelBlock parallel) {
                return sum(parallel, path, where, in);
            }
            Shape out;
            NDArray probe = probe(in.shape(), where.hashCode());
            NDArray probeOut;
            try {
                NDList result =
                        block.forward(new ParameterStore(manager, false), new NDList(probe), false);
                if (result.size() != 1) {
                    problem(where, block, "gives " + result.size() + " outputs, expected 1");
                    return null;
                }
                probeOut = result.singletonOrThrow();
                out = probeOut.getShape().slice(1);
            } catch (RuntimeException e) {
                problem(
                        where,
                        block,
                        "fails on an input of shape " + probe.getShape() + ": " + e.getMessage());
                return null;
            }
            if (block instanceof Linear) {
                return new Flow(linear(block, where, in), out);
            }
            if (block instanceof Conv1d || block instanceof Conv2d) {
                return new Flow(conv((Convolution) block, where, in), out);
            }
            if (block instanceof LayerNorm) {
                String v = layerNorm(block, where, in);
                return v == null ? new Flow(in.value(), out) : new Flow(v, out);
            }
            if (block instanceof BatchNorm) {
                String v = batchNorm(block, where, in);
                return v == null ? new Flow(in.value(), out) : new Flow(v, out);
            }
            if (block instanceof LambdaBlock) {
                String v = LambdaProbes.identify(this, block, where, in, probe, probeOut);
                if (v == null) {
                    problem(
                            where,
                            block,
                            "its function matches none of the known activations, flatten or"
                                    + " pooling on a probe of shape "
                                    + probe.getShape()
                                    + " (see OnnxExporter's Javadoc for the list)");
                    return new Flow(in.value(), out);
                }
                return new Flow(v, out);
            }
            problem(
                    where,
                    block,
                    "block type not supported (supported: SequentialBlock, Linear, Conv1d, Conv2d,"
                            + " LayerNorm, BatchNorm, Dropout, summing ParallelBlocks,"
                            + " identifiable LambdaBlocks)");
            return new Flow(in.value(), out);
        }

        /** A ParallelBlock identified as the sum of its branches: the branches, then Add. */
        Flow sum(ParallelBlock block, String path, String where, Flow in) {
            List<Pair<String, Block>> branches = toPairs(block);
            if (branches.size() < 2) {
                problem(where, block, "has " + branches.size() + " branches, expected at least 2");
                return null;
            }
            NDArray probe = probe(in.shape(), where.hashCode());
            try {
                ParameterStore store = new ParameterStore(manager, false);
                NDList whole = block.forward(store, new NDList(probe), false);
                NDArray total = null;
                for (Pair<String, Block> branch : branches) {
                    NDList part = branch.getValue().forward(store, new NDList(probe), false);
                    if (part.size() != 1) {
                        problem(where, block, "a branch gives " + part.size() + " outputs");
                        return null;
                    }
                    total = total == null ? part.head() : total.add(part.head());
                }
                NDArray y = whole.size() == 1 ? whole.head() : null;
                if (y == null
                        || !y.getShape().equals(total.getShape())
                        || y.sub(total).abs().max().getFloat()
                                > PROBE_RTOL * Math.max(1, y.abs().max().getFloat())) {
                    problem(
                            where,
                            block,
                            "its join is not the elementwise sum of its branches on a probe of"
                                    + " shape "
                                    + probe.getShape()
                                    + " (only sums, residual connections, are exported)");
                    return null;
                }
            } catch (RuntimeException e) {
                problem(
                        where,
                        block,
                        "fails on an input of shape " + probe.getShape() + ": " + e.getMessage());
                return null;
            }
            String value = null;
            Shape shape = null;
            for (Pair<String, Block> branch : branches) {
                String childPath = path.isEmpty() ? branch.getKey() : path + "/" + branch.getKey();
                Flow out = emit(branch.getValue(), childPath, in);
                if (out == null) {
                    return null;
                }
                value =
                        value == null
                                ? out.value()
                                : node("Add", where + "/Add", List.of(value, out.value()));
                shape = out.shape();
            }
            return new Flow(value, shape);
        }

        private static List<Pair<String, Block>> toPairs(ParallelBlock block) {
            List<Pair<String, Block>> list = new ArrayList<>();
            for (Pair<String, Block> child : block.getChildren()) {
                list.add(child);
            }
            return list;
        }

        void problem(String where, Block block, String reason) {
            String type = block.getClass().getName();
            if (block instanceof LambdaBlock lambda) {
                type += " '" + lambda.getName() + "'";
            }
            problems.add("block " + where + " (" + type + "): " + reason);
        }

        /** A seeded probe batch of the given per-row shape, uniform in ±PROBE_RANGE. */
        NDArray probe(Shape perRow, long seed) {
            Shape shape = new Shape(PROBE_BATCH).addAll(perRow);
            Random random = new Random(seed);
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((2 * random.nextDouble() - 1) * PROBE_RANGE);
            }
            return manager.create(v, shape);
        }

        String linear(Block block, String where, Flow in) {
            NDArray weight = parameter(block, "weight", where);
            NDArray bias = optionalParameter(block, "bias");
            if (in.shape().dimension() == 1) {
                List<String> inputs = new ArrayList<>();
                inputs.add(in.value());
                inputs.add(initializer(where + ".weight", weight));
                if (bias != null) {
                    inputs.add(initializer(where + ".bias", bias));
                }
                return node("Gemm", where + "/Gemm", inputs, intAttr("transB", 1));
            }
            String product =
                    node(
                            "MatMul",
                            where + "/MatMul",
                            List.of(
                                    in.value(),
                                    initializer(where + ".weight_t", weight.transpose())));
            return bias == null
                    ? product
                    : node(
                            "Add",
                            where + "/Add",
                            List.of(product, initializer(where + ".bias", bias)));
        }

        String conv(Convolution c, String where, Flow in) {
            long[] padding = c.getPadding().getShape();
            long[] pads = new long[2 * padding.length];
            System.arraycopy(padding, 0, pads, 0, padding.length);
            System.arraycopy(padding, 0, pads, padding.length, padding.length);
            List<String> inputs = new ArrayList<>();
            inputs.add(in.value());
            inputs.add(initializer(where + ".weight", parameter(c, "weight", where)));
            NDArray bias = c.isIncludeBias() ? optionalParameter(c, "bias") : null;
            if (bias != null) {
                inputs.add(initializer(where + ".bias", bias));
            }
            return node(
                    "Conv",
                    where + "/Conv",
                    inputs,
                    intsAttr("kernel_shape", c.getKernelShape().getShape()),
                    intsAttr("strides", c.getStride().getShape()),
                    intsAttr("pads", pads),
                    intsAttr("dilations", c.getDilation().getShape()),
                    intAttr("group", c.getGroups()));
        }

        String layerNorm(Block block, String where, Flow in) {
            NDArray gamma = parameter(block, "gamma", where);
            NDArray beta = parameter(block, "beta", where);
            Shape normalized = gamma.getShape();
            int rank = in.shape().dimension() + 1;
            Shape trailing = in.shape().slice(in.shape().dimension() - normalized.dimension());
            if (normalized.dimension() > in.shape().dimension() || !trailing.equals(normalized)) {
                problem(
                        where,
                        block,
                        "gamma of shape "
                                + normalized
                                + " is not the trailing part of the input shape "
                                + in.shape());
                return null;
            }
            float epsilon = floatField(block, LayerNorm.class, "epsilon", where);
            return node(
                    "LayerNormalization",
                    where + "/LayerNormalization",
                    List.of(
                            in.value(),
                            initializer(where + ".gamma", gamma),
                            initializer(where + ".beta", beta)),
                    intAttr("axis", rank - normalized.dimension()),
                    floatAttr("epsilon", epsilon));
        }

        String batchNorm(Block block, String where, Flow in) {
            int axis = intField(block, BatchNorm.class, "axis", where);
            if (axis != 1) {
                problem(
                        where,
                        block,
                        "normalizes axis "
                                + axis
                                + "; ONNX BatchNormalization normalizes axis 1 only");
                return null;
            }
            float epsilon = floatField(block, BatchNorm.class, "epsilon", where);
            return node(
                    "BatchNormalization",
                    where + "/BatchNormalization",
                    List.of(
                            in.value(),
                            initializer(where + ".gamma", parameter(block, "gamma", where)),
                            initializer(where + ".beta", parameter(block, "beta", where)),
                            initializer(
                                    where + ".running_mean",
                                    parameter(block, "runningMean", where)),
                            initializer(
                                    where + ".running_var", parameter(block, "runningVar", where))),
                    floatAttr("epsilon", epsilon));
        }

        /** Adds a node with one output named after the node; returns the output's name. */
        String node(String op, String name, List<String> inputs, OnnxMl.AttributeProto... attrs) {
            String unique = name;
            for (int k = 2; taken(unique); k++) {
                unique = name + "_" + k;
            }
            graph.addNode(
                    OnnxMl.NodeProto.newBuilder()
                            .setOpType(op)
                            .setName(unique)
                            .addAllInput(inputs)
                            .addOutput(unique)
                            .addAllAttribute(Arrays.asList(attrs)));
            return unique;
        }

        private boolean taken(String name) {
            return graph.getNodeList().stream().anyMatch(n -> n.getName().equals(name));
        }

        /** Adds a scalar float Constant node (not an initializer, so not trainable on import). */
        String constant(String name, float value) {
            OnnxMl.TensorProto tensor =
                    OnnxMl.TensorProto.newBuilder()
                            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                            .addFloatData(value)
                            .build();
            return node(
                    "Constant",
                    name,
                    List.of(),
                    OnnxMl.AttributeProto.newBuilder()
                            .setName("value")
                            .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(tensor)
                            .build());
        }

        /** Adds a 1-D float Constant node (not an initializer, so not trainable on import). */
        String constant(String name, float[] values) {
            OnnxMl.TensorProto.Builder tensor =
                    OnnxMl.TensorProto.newBuilder()
                            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                            .addDims(values.length);
            for (float v : values) {
                tensor.addFloatData(v);
            }
            return node(
                    "Constant",
                    name,
                    List.of(),
                    OnnxMl.AttributeProto.newBuilder()
                            .setName("value")
                            .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(tensor)
                            .build());
        }

        /** Adds a float32 initializer holding the array's values; returns its name. */
        String initializer(String name, NDArray array) {
            float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
            ByteBuffer bytes =
                    ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                bytes.putFloat(v);
            }
            bytes.flip();
            OnnxMl.TensorProto.Builder t =
                    OnnxMl.TensorProto.newBuilder()
                            .setName(name)
                            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                            .setRawData(ByteString.copyFrom(bytes));
            for (long d : array.getShape().getShape()) {
                t.addDims(d);
            }
            graph.addInitializer(t);
            return name;
        }

        /** Names the last value {@value #OUTPUT}: renames its node's output, or adds Identity. */
        void finish(Flow out) {
            for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
                OnnxMl.NodeProto node = graph.getNode(i);
                if (node.getOutputCount() == 1 && node.getOutput(0).equals(out.value())) {
                    graph.setNode(i, node.toBuilder().setOutput(0, OUTPUT));
                    return;
                }
            }
            node("Identity", OUTPUT, List.of(out.value()));
        }

        private NDArray parameter(Block block, String name, String where) {
            NDArray array = optionalParameter(block, name);
            if (array == null) {
                throw new OnnxException(
                        "block "
                                + where
                                + " ("
                                + block.getClass().getName()
                                + ") has no initialized parameter '"
                                + name
                                + "'");
            }
            return array;
        }

        private static NDArray optionalParameter(Block block, String name) {
            Parameter p = block.getParameters().get(name);
            return p == null || !p.isInitialized() ? null : p.getArray();
        }
    }

    static OnnxMl.AttributeProto intAttr(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static OnnxMl.AttributeProto intsAttr(String name, long... values) {
        OnnxMl.AttributeProto.Builder a =
                OnnxMl.AttributeProto.newBuilder()
                        .setName(name)
                        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static OnnxMl.AttributeProto stringAttr(String name, String value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    static OnnxMl.AttributeProto floatAttr(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    /**
     * Reads a hyper-parameter DJL keeps in a private field without a getter (LayerNorm and
     * BatchNorm epsilon, BatchNorm axis).
     */
    private static float floatField(Block block, Class<?> owner, String name, String where) {
        try {
            return field(owner, name).getFloat(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw fieldError(block, name, where, e);
        }
    }

    private static int intField(Block block, Class<?> owner, String name, String where) {
        try {
            return field(owner, name).getInt(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw fieldError(block, name, where, e);
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static OnnxException fieldError(Block block, String name, String where, Exception e) {
        return new OnnxException(
                "cannot read field '"
                        + name
                        + "' of block "
                        + where
                        + " ("
                        + block.getClass().getName()
                        + "); this DJL version may have renamed it: "
                        + e,
                e);
    }
}
