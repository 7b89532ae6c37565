package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.descent.curvature.GraphConstants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The ONNX operators the importer runs on DJL, each written with differentiable DJL operations so
 * that gradients flow to inputs and initializers. Semantics follow the ONNX operator specification
 * at opsets 11–18 (attributes that moved to inputs, such as Unsqueeze's axes at 13, are read from
 * wherever the node has them). Attribute values this implementation does not support are refused by
 * {@link #validate} before the first forward, so that a graph is either imported whole or rejected
 * with every reason listed.
 */
final class OnnxOps {

    /** One operator: inputs (null where an optional input is absent) to outputs. */
    @FunctionalInterface
    interface Op {
        List<NDArray> apply(NodeContext node, List<NDArray> inputs);
    }

    /** Checks a node's attributes before import; returns a reason, or null when supported. */
    @FunctionalInterface
    interface Check {
        String reason(NodeContext node);
    }

    private record Def(Op op, Check check) {}

    private static final Map<String, Def> OPS = new TreeMap<>();

    private OnnxOps() {}

    /** The operator types of the standard domain that can be imported, sorted. */
    static Set<String> supported() {
        return Collections.unmodifiableSet(OPS.keySet());
    }

    static boolean isSupported(String opType) {
        return OPS.containsKey(opType);
    }

    /** Returns why a node with a supported op type cannot be imported, or null if it can. */
    static String validate(NodeContext node) {
        return OPS.get(node.proto().getOpType()).check().reason(node);
    }

    static List<NDArray> apply(NodeContext node, List<NDArray> inputs) {
        return OPS.get(node.proto().getOpType()).op().apply(node, inputs);
    }

    private static void register(String name, Op op) {
        OPS.put(name, new Def(op, n -> null));
    }

    private static void register(String name, Op op, Check check) {
        OPS.put(name, new Def(op, check));
    }

    private static void unary(String name, UnaryOperator<NDArray> f) {
        register(name, (n, in) -> List.of(f.apply(n.required(in, 0, "X"))));
    }

    private static void binary(String name, BinaryOperator<NDArray> f) {
        register(name, (n, in) -> List.of(f.apply(n.required(in, 0, "A"), n.required(in, 1, "B"))));
    }

    static {
        // ---- elementwise ----
        binary("Add", NDArray::add);
        binary("Sub", NDArray::sub);
        binary("Mul", NDArray::mul);
        binary(
                "Div",
                (a, b) ->
                        a.getDataType().isInteger() && b.getDataType().isInteger()
                                ? a.toType(DataType.FLOAT64, false)
                                        .div(b.toType(DataType.FLOAT64, false))
                                        .floor()
                                        .toType(a.getDataType(), false)
                                : a.div(b));
        binary("Pow", NDArray::pow);
        unary("Neg", NDArray::neg);
        unary("Abs", NDArray::abs);
        unary("Sqrt", NDArray::sqrt);
        unary("Exp", NDArray::exp);
        unary("Log", NDArray::log);
        unary("Erf", NDArray::erf);
        unary("Relu", Activation::relu);
        unary("Sigmoid", Activation::sigmoid);
        unary("Tanh", Activation::tanh);
        // softplus(x) = max(x, 0) + log(1 + exp(-|x|)), stable for large |x|
        unary("Softplus", OnnxOps::softplus);
        register(
                "LeakyRelu",
                (n, in) ->
                        List.of(
                                Activation.leakyRelu(
                                        n.required(in, 0, "X"), n.attrFloat("alpha", 0.01f))));
        register(
                "Elu", (n, in) -> List.of(elu(n.required(in, 0, "X"), n.attrFloat("alpha", 1.0f))));
        register(
                "Selu",
                (n, in) ->
                        List.of(
                                GraphConstants.mul(
                                        elu(
                                                n.required(in, 0, "X"),
                                                n.attrFloat("alpha", 1.67326319217681884765625f)),
                                        n.attrFloat("gamma", 1.05070102214813232421875f))));
        register("Min", (n, in) -> List.of(in.stream().reduce(NDArray::minimum).orElseThrow()));
        register("Max", (n, in) -> List.of(in.stream().reduce(NDArray::maximum).orElseThrow()));
        register("Clip", OnnxOps::clip);
        register("Softmax", (n, in) -> List.of(softmax(n, n.required(in, 0, "input"), false)));
        register("LogSoftmax", (n, in) -> List.of(softmax(n, n.required(in, 0, "input"), true)));
        register(
                "Cast",
                (n, in) ->
                        List.of(
                                n.required(in, 0, "input")
                                        .toType(castTarget(n).djlType().orElseThrow(), false)),
                n -> {
                    ElementType t = castTarget(n);
                    return t == ElementType.FLOAT
                                    || t == ElementType.DOUBLE
                                    || t == ElementType.INT64
                                    || t == ElementType.INT32
                                    || t == ElementType.BOOL
                            ? null
                            : "Cast to "
                                    + t
                                    + " is not supported (FLOAT, DOUBLE, INT64, INT32, BOOL)";
                });
        register("Identity", (n, in) -> List.of(n.required(in, 0, "input")));
        register(
                "Dropout",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "data");
                    return n.proto().getOutputCount() > 1
                            ? List.of(x, x.onesLike().toType(DataType.BOOLEAN, false))
                            : List.of(x);
                },
                n ->
                        n.proto().getInputCount() > 2 && !n.proto().getInput(2).isEmpty()
                                ? "Dropout with a training_mode input is not supported (inference"
                                        + " only)"
                                : null);

        // ---- linear algebra ----
        register(
                "MatMul",
                (n, in) -> List.of(n.required(in, 0, "A").matMul(n.required(in, 1, "B"))));
        register("Gemm", OnnxOps::gemm);

        // ---- neural network ----
        register("Conv", OnnxOps::conv, n -> checkAutoPad(n));
        register(
                "BatchNormalization",
                OnnxOps::batchNorm,
                n ->
                        n.attrInt("training_mode", 0) != 0 || n.proto().getOutputCount() > 1
                                ? "training_mode=1 (or running-statistics outputs) is not"
                                        + " supported; export the model in eval mode"
                                : null);
        register(
                "MaxPool",
                (n, in) -> List.of(pool(n, n.required(in, 0, "X"), true)),
                n -> {
                    String reason = checkAutoPad(n);
                    if (reason != null) {
                        return reason;
                    }
                    if (n.proto().getOutputCount() > 1) {
                        return "the Indices output is not supported";
                    }
                    long[] dilations = n.attrInts("dilations");
                    if (dilations != null && Arrays.stream(dilations).anyMatch(d -> d != 1)) {
                        return "dilations "
                                + Arrays.toString(dilations)
                                + " are not supported (only 1)";
                    }
                    return null;
                });
        register(
                "AveragePool",
                (n, in) -> List.of(pool(n, n.required(in, 0, "X"), false)),
                OnnxOps::checkAutoPad);
        register(
                "GlobalAveragePool",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "X");
                    int[] axes = new int[x.getShape().dimension() - 2];
                    for (int i = 0; i < axes.length; i++) {
                        axes[i] = i + 2;
                    }
                    return List.of(reduceAxes(x, axes, true, true));
                });
        register(
                "LayerNormalization",
                OnnxOps::layerNorm,
                n ->
                        n.proto().getOutputCount() > 1
                                ? "the Mean and InvStdDev outputs are not supported"
                                : null);
        register(
                "Pad",
                OnnxOps::pad,
                n -> {
                    String mode = n.attrString("mode", "constant");
                    if (!mode.equals("constant")) {
                        return "mode '" + mode + "' is not supported (only 'constant')";
                    }
                    return n.proto().getInputCount() > 3 && !n.proto().getInput(3).isEmpty()
                            ? "the axes input is not supported"
                            : null;
                });

        // ---- reductions ----
        register("ReduceMean", (n, in) -> List.of(reduce(n, in, true)));
        register("ReduceSum", (n, in) -> List.of(reduce(n, in, false)));

        // ---- shapes and indexing ----
        register(
                "Shape",
                (n, in) -> {
                    long[] shape = n.required(in, 0, "data").getShape().getShape();
                    int rank = shape.length;
                    int start = (int) clampAxis(n.attrInt("start", 0), rank);
                    int end = (int) clampAxis(n.attrInt("end", rank), rank);
                    long[] part = Arrays.copyOfRange(shape, start, Math.max(start, end));
                    return List.of(n.manager().create(part));
                });
        register(
                "Flatten",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "input");
                    long[] s = x.getShape().getShape();
                    int axis =
                            (int)
                                    (n.attrInt("axis", 1) < 0
                                            ? n.attrInt("axis", 1) + s.length
                                            : n.attrInt("axis", 1));
                    if (axis < 0 || axis > s.length) {
                        throw n.error(
                                "axis "
                                        + n.attrInt("axis", 1)
                                        + " is out of range for rank "
                                        + s.length);
                    }
                    long outer = 1;
                    for (int i = 0; i < axis; i++) {
                        outer *= s[i];
                    }
                    return List.of(x.reshape(outer, x.getShape().size() / Math.max(outer, 1)));
                });
        register("Reshape", OnnxOps::reshape);
        register(
                "Transpose",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "data");
                    long[] perm = n.attrInts("perm");
                    int rank = x.getShape().dimension();
                    int[] axes = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        axes[i] = perm == null ? rank - 1 - i : (int) perm[i];
                    }
                    return List.of(x.transpose(axes));
                });
        register(
                "Squeeze",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "data");
                    long[] axes = axesOf(n, in, 1);
                    if (axes == null) {
                        return List.of(x.squeeze());
                    }
                    int rank = x.getShape().dimension();
                    int[] a = new int[axes.length];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = n.axis(axes[i], rank);
                        if (x.getShape().get(a[i]) != 1) {
                            throw n.error(
                                    "cannot squeeze axis "
                                            + axes[i]
                                            + " of size "
                                            + x.getShape().get(a[i]));
                        }
                    }
                    return List.of(x.squeeze(a));
                });
        register(
                "Unsqueeze",
                (n, in) -> {
                    NDArray x = n.required(in, 0, "data");
                    long[] axes = axesOf(n, in, 1);
                    if (axes == null) {
                        throw n.error(
                                "axes are required (attribute before opset 13, input from 13)");
                    }
                    int rank = x.getShape().dimension() + axes.length;
                    int[] a = new int[axes.length];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = n.axis(axes[i], rank);
                    }
                    Arrays.sort(a);
                    for (int axis : a) {
                        x = x.expandDims(axis);
                    }
                    return List.of(x);
                });
        register(
                "Concat",
                (n, in) -> {
                    int rank = in.get(0).getShape().dimension();
                    return List.of(
                            NDArrays.concat(new NDList(in), n.axis(n.attrInt("axis", 0), rank)));
                });
        register("Gather", OnnxOps::gather);
        register("Slice", OnnxOps::slice);
        register(
                "Constant",
                OnnxOps::constant,
                n -> {
                    for (String unsupported :
                            new String[] {"sparse_value", "value_string", "value_strings"}) {
                        if (n.has(unsupported)) {
                            return "Constant with " + unsupported + " is not supported";
                        }
                    }
                    return null;
                });
        register(
                "ConstantOfShape",
                (n, in) -> {
                    long[] shape = n.required(in, 0, "input").toLongArray();
                    var value = n.attrTensor("value");
                    NDArray fill =
                            value == null
                                    ? n.manager().create(0f)
                                    : TensorProtos.toArray(
                                            value, n.manager(), n.describe() + " value");
                    return List.of(
                            fill.reshape(new Shape()).broadcast(new Shape(shape)).duplicate());
                });
    }

    // Constants below are GraphConstants (made by libtorch), never Number operands, and arrays
    // made from Java data are GraphConstants.owned copies: the graph of a differentiated forward
    // pass reads them in the backward pass (see GraphConstants).

    private static NDArray softplus(NDArray x) {
        // softplus(x) = max(x, 0) + log(1 + exp(-|x|)), stable for large |x|
        return GraphConstants.maximum(x, 0).add(GraphConstants.add(x.abs().neg().exp(), 1).log());
    }

    private static NDArray elu(NDArray x, float alpha) {
        // x > 0 ? x : alpha * (exp(x) - 1), written with min/max so both branches stay finite
        NDArray negative = GraphConstants.sub(GraphConstants.minimum(x, 0).exp(), 1);
        return GraphConstants.maximum(x, 0).add(GraphConstants.mul(negative, alpha));
    }

    private static List<NDArray> clip(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "input");
        NDArray min = NodeContext.optional(in, 1);
        NDArray max = NodeContext.optional(in, 2);
        if (n.has("min") || n.has("max")) { // before opset 11
            // not x.clip(min, max): DJL makes its two bounds from Java data
            x =
                    GraphConstants.minimum(
                            GraphConstants.maximum(x, n.attrFloat("min", Float.NEGATIVE_INFINITY)),
                            n.attrFloat("max", Float.POSITIVE_INFINITY));
        }
        if (min != null) {
            x = x.maximum(min);
        }
        if (max != null) {
            x = x.minimum(max);
        }
        return List.of(x);
    }

    private static NDArray softmax(NodeContext n, NDArray x, boolean log) {
        int rank = x.getShape().dimension();
        if (n.opset() >= 13) {
            int axis = n.axis(n.attrInt("axis", -1), rank);
            return log ? x.logSoftmax(axis) : x.softmax(axis);
        }
        // before opset 13: coerce to 2-D at axis (default 1), normalize the second dimension
        int axis = n.axis(n.attrInt("axis", 1), rank);
        Shape shape = x.getShape();
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape.get(i);
        }
        NDArray flat = x.reshape(outer, -1);
        return (log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(shape);
    }

    private static ElementType castTarget(NodeContext n) {
        return ElementType.fromCode((int) n.attrInt("to", 0));
    }

    private static List<NDArray> gemm(NodeContext n, List<NDArray> in) {
        NDArray a = n.required(in, 0, "A");
        NDArray b = n.required(in, 1, "B");
        if (n.attrInt("transA", 0) != 0) {
            a = a.transpose();
        }
        if (n.attrInt("transB", 0) != 0) {
            b = b.transpose();
        }
        NDArray y = a.matMul(b);
        float alpha = n.attrFloat("alpha", 1f);
        if (alpha != 1f) {
            y = GraphConstants.mul(y, alpha);
        }
        NDArray c = NodeContext.optional(in, 2);
        if (c != null) {
            float beta = n.attrFloat("beta", 1f);
            y = y.add(beta == 1f ? c : GraphConstants.mul(c, beta));
        }
        return List.of(y);
    }

    private static String checkAutoPad(NodeContext n) {
        String autoPad = n.attrString("auto_pad", "NOTSET");
        return autoPad.equals("NOTSET") || autoPad.equals("VALID")
                ? null
                : "auto_pad=" + autoPad + " is not supported (NOTSET with explicit pads, or VALID)";
    }

    /** ONNX pads [x1_begin, x2_begin, ..., x1_end, x2_end, ...] over the spatial dims. */
    private static long[] spatialPads(NodeContext n, int spatial) {
        long[] pads = n.attrInts("pads");
        if (pads == null || n.attrString("auto_pad", "NOTSET").equals("VALID")) {
            return new long[2 * spatial];
        }
        if (pads.length != 2 * spatial) {
            throw n.error(
                    "pads " + Arrays.toString(pads) + " should have " + 2 * spatial + " values");
        }
        return pads;
    }

    private static boolean symmetric(long[] pads) {
        int k = pads.length / 2;
        for (int i = 0; i < k; i++) {
            if (pads[i] != pads[i + k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pads the trailing {@code pads.length / 2} dimensions of x with a constant; pads in ONNX order
     * (all begins, then all ends).
     */
    private static NDArray padTrailing(NDArray x, long[] pads, double value) {
        int k = pads.length / 2;
        int rank = x.getShape().dimension();
        long[] full = new long[2 * rank];
        for (int i = 0; i < k; i++) {
            full[rank - k + i] = pads[i];
            full[2 * rank - k + i] = pads[k + i];
        }
        return padOnnx(x, full, value);
    }

    /** Pads every dimension; {@code pads} in ONNX order for all dimensions. */
    private static NDArray padOnnx(NDArray x, long[] pads, double value) {
        int rank = x.getShape().dimension();
        // DJL (torch.nn.functional.pad) takes (begin, end) pairs starting from the last dimension
        long[] torchOrder = new long[2 * rank];
        for (int d = 0; d < rank; d++) {
            torchOrder[2 * d] = pads[rank - 1 - d];
            torchOrder[2 * d + 1] = pads[2 * rank - 1 - d];
        }
        if (Arrays.stream(torchOrder).allMatch(p -> p == 0)) {
            return x;
        }
        return x.pad(new Shape(torchOrder), value);
    }

    private static List<NDArray> conv(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "X");
        NDArray w = n.required(in, 1, "W");
        NDArray b = NodeContext.optional(in, 2);
        int spatial = x.getShape().dimension() - 2;
        long[] pads = spatialPads(n, spatial);
        long[] padding = new long[spatial];
        if (symmetric(pads)) {
            System.arraycopy(pads, 0, padding, 0, spatial);
        } else {
            x = padTrailing(x, pads, 0);
        }
        Shape strides = ones(n.attrInts("strides"), spatial);
        Shape dilations = ones(n.attrInts("dilations"), spatial);
        int groups = (int) n.attrInt("group", 1);
        if (b == null) {
            b = x.getManager().zeros(new Shape(w.getShape().get(0)), w.getDataType());
        }
        return List.of(
                x.getNDArrayInternal()
                        .convolution(x, w, b, strides, new Shape(padding), dilations, groups)
                        .singletonOrThrow());
    }

    private static Shape ones(long[] values, int spatial) {
        if (values == null) {
            long[] v = new long[spatial];
            Arrays.fill(v, 1);
            return new Shape(v);
        }
        return new Shape(values);
    }

    private static List<NDArray> batchNorm(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "X");
        int rank = x.getShape().dimension();
        long[] channel = new long[rank - 1];
        Arrays.fill(channel, 1);
        channel[0] = -1;
        Shape c = new Shape(channel);
        NDArray scale = n.required(in, 1, "scale").reshape(c);
        NDArray bias = n.required(in, 2, "B").reshape(c);
        NDArray mean = n.required(in, 3, "input_mean").reshape(c);
        NDArray var = n.required(in, 4, "input_var").reshape(c);
        float eps = n.attrFloat("epsilon", 1e-5f);
        return List.of(x.sub(mean).div(GraphConstants.add(var, eps).sqrt()).mul(scale).add(bias));
    }

    private static NDArray pool(NodeContext n, NDArray x, boolean max) {
        int spatial = x.getShape().dimension() - 2;
        long[] kernel = n.attrInts("kernel_shape");
        if (kernel == null) {
            throw n.error("kernel_shape is required");
        }
        long[] pads = spatialPads(n, spatial);
        long[] padding = new long[spatial];
        boolean countIncludePad = n.attrInt("count_include_pad", 0) != 0;
        if (symmetric(pads)) {
            System.arraycopy(pads, 0, padding, 0, spatial);
        } else if (max) {
            x = padTrailing(x, pads, Double.NEGATIVE_INFINITY);
        } else if (countIncludePad) {
            x = padTrailing(x, pads, 0);
        } else {
            throw n.error(
                    "asymmetric pads "
                            + Arrays.toString(pads)
                            + " with count_include_pad=0 are not supported");
        }
        Shape strides = ones(n.attrInts("strides"), spatial);
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        if (max) {
            return x.getNDArrayInternal()
                    .maxPool(new Shape(kernel), strides, new Shape(padding), ceil);
        }
        // The PyTorch engine's average pool divides by the full window whatever
        // countIncludePad says; where pads exist and must be excluded, divide by the average of
        // ones over the same windows (the valid fraction), which leaves sum / valid count.
        NDArray sum =
                x.getNDArrayInternal()
                        .avgPool(new Shape(kernel), strides, new Shape(padding), ceil, true);
        if (countIncludePad || Arrays.stream(padding).allMatch(p -> p == 0) && !ceil) {
            return sum;
        }
        NDArray ones = x.onesLike();
        NDArray validFraction =
                ones.getNDArrayInternal()
                        .avgPool(new Shape(kernel), strides, new Shape(padding), ceil, true);
        return sum.div(validFraction);
    }

    private static List<NDArray> layerNorm(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "X");
        NDArray scale = n.required(in, 1, "Scale");
        NDArray bias = NodeContext.optional(in, 2);
        int rank = x.getShape().dimension();
        int axis = n.axis(n.attrInt("axis", -1), rank);
        int[] axes = new int[rank - axis];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis + i;
        }
        float eps = n.attrFloat("epsilon", 1e-5f);
        NDArray centered = x.sub(reduceAxes(x, axes, true, true));
        NDArray var = reduceAxes(centered.square(), axes, true, true);
        NDArray y = centered.div(GraphConstants.add(var, eps).sqrt()).mul(scale);
        return List.of(bias == null ? y : y.add(bias));
    }

    private static List<NDArray> pad(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "data");
        long[] pads = n.has("pads") ? n.attrInts("pads") : n.required(in, 1, "pads").toLongArray();
        if (pads.length != 2 * x.getShape().dimension()) {
            throw n.error(
                    "pads "
                            + Arrays.toString(pads)
                            + " should have "
                            + 2 * x.getShape().dimension()
                            + " values for rank "
                            + x.getShape().dimension());
        }
        NDArray value = NodeContext.optional(in, 2);
        double v =
                value != null
                        ? value.toType(DataType.FLOAT64, false).getDouble()
                        : n.attrFloat("value", 0f);
        if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw n.error("negative pads " + Arrays.toString(pads) + " are not supported");
        }
        return List.of(padOnnx(x, pads, v));
    }

    /**
     * Axes from the input at a position (opset 13+) or from the "axes" attribute; null if neither.
     */
    private static long[] axesOf(NodeContext n, List<NDArray> in, int position) {
        NDArray axes = NodeContext.optional(in, position);
        if (axes != null) {
            return axes.toLongArray();
        }
        return n.attrInts("axes");
    }

    private static NDArray reduce(NodeContext n, List<NDArray> in, boolean mean) {
        NDArray x = n.required(in, 0, "data");
        long[] axes = axesOf(n, in, 1);
        boolean keep = n.attrInt("keepdims", 1) != 0;
        int rank = x.getShape().dimension();
        if (axes == null || axes.length == 0) {
            if (n.attrInt("noop_with_empty_axes", 0) != 0) {
                return x;
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.axis(axes[i], rank);
        }
        return reduceAxes(x, a, mean, keep);
    }

    /**
     * Mean or sum over several axes (the PyTorch engine's mean takes one axis at a time): reduce
     * each axis keeping it, then drop the reduced axes unless asked to keep them.
     */
    private static NDArray reduceAxes(NDArray x, int[] axes, boolean mean, boolean keep) {
        int[] sorted = Arrays.stream(axes).distinct().sorted().toArray();
        NDArray y = x;
        for (int axis : sorted) {
            y = mean ? y.mean(new int[] {axis}, true) : y.sum(new int[] {axis}, true);
        }
        return keep || sorted.length == 0 ? y : y.squeeze(sorted);
    }

    private static long clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return Math.max(0, Math.min(rank, a));
    }

    private static List<NDArray> reshape(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "data");
        long[] target = n.required(in, 1, "shape").toLongArray();
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        long[] shape = target.clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && !allowZero) {
                if (i >= x.getShape().dimension()) {
                    throw n.error(
                            "shape "
                                    + Arrays.toString(target)
                                    + " copies dimension "
                                    + i
                                    + " of an input of rank "
                                    + x.getShape().dimension());
                }
                shape[i] = x.getShape().get(i);
            }
        }
        try {
            return List.of(x.reshape(new Shape(shape)));
        } catch (RuntimeException e) {
            throw n.error(
                    "cannot reshape "
                            + x.getShape()
                            + " to "
                            + Arrays.toString(target)
                            + ": "
                            + e.getMessage());
        }
    }

    /** ONNX Gather (numpy take along an axis), written with torch.take so it is differentiable. */
    private static List<NDArray> gather(NodeContext n, List<NDArray> in) {
        NDArray data = n.required(in, 0, "data");
        NDArray indices = n.required(in, 1, "indices");
        Shape s = data.getShape();
        int rank = s.dimension();
        int axis = n.axis(n.attrInt("axis", 0), rank);
        long size = s.get(axis);
        long[] idx = indices.toType(DataType.INT64, false).toLongArray();
        for (int i = 0; i < idx.length; i++) {
            long j = idx[i] < 0 ? idx[i] + size : idx[i];
            if (j < 0 || j >= size) {
                throw n.error(
                        "index "
                                + idx[i]
                                + " is out of range for axis "
                                + axis
                                + " of size "
                                + size);
            }
            idx[i] = j;
        }
        Shape indexShape = indices.getShape();
        // move the gathered axis to the front, flatten the rest, take rows
        int[] front = new int[rank];
        front[0] = axis;
        for (int i = 0, k = 1; i < rank; i++) {
            if (i != axis) {
                front[k++] = i;
            }
        }
        NDArray moved = rank == 1 ? data : data.transpose(front);
        long inner = s.size() / Math.max(size, 1);
        long[] linear = new long[idx.length * (int) inner];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < inner; j++) {
                linear[i * (int) inner + j] = idx[i] * inner + j;
            }
        }
        NDArray taken = moved.take(GraphConstants.owned(n.manager().create(linear)));
        List<Long> outDims = new ArrayList<>();
        for (long d : indexShape.getShape()) {
            outDims.add(d);
        }
        for (int i = 1; i < rank; i++) {
            outDims.add(s.get(front[i]));
        }
        NDArray shaped = taken.reshape(new Shape(outDims));
        int k = indexShape.dimension();
        if (axis == 0) {
            return List.of(shaped);
        }
        // dims now: I..., S[:axis]..., S[axis+1:]...; wanted: S[:axis]..., I..., S[axis+1:]...
        int outRank = outDims.size();
        int[] perm = new int[outRank];
        int p = 0;
        for (int i = 0; i < axis; i++) {
            perm[p++] = k + i;
        }
        for (int i = 0; i < k; i++) {
            perm[p++] = i;
        }
        for (int i = k + axis; i < outRank; i++) {
            perm[p++] = i;
        }
        return List.of(shaped.transpose(perm));
    }

    private static List<NDArray> slice(NodeContext n, List<NDArray> in) {
        NDArray x = n.required(in, 0, "data");
        int rank = x.getShape().dimension();
        long[] starts =
                n.has("starts") ? n.attrInts("starts") : n.required(in, 1, "starts").toLongArray();
        long[] ends = n.has("ends") ? n.attrInts("ends") : n.required(in, 2, "ends").toLongArray();
        long[] axes =
                n.has("axes")
                        ? n.attrInts("axes")
                        : (NodeContext.optional(in, 3) == null ? null : in.get(3).toLongArray());
        NDArray stepsArray = NodeContext.optional(in, 4);
        long[] steps = stepsArray == null ? null : stepsArray.toLongArray();
        long[] from = new long[rank];
        long[] to = x.getShape().getShape().clone();
        long[] step = new long[rank];
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = n.axis(axes == null ? i : axes[i], rank);
            long dim = x.getShape().get(axis);
            long st = steps == null ? 1 : steps[i];
            if (st <= 0) {
                throw n.error(
                        "step "
                                + st
                                + " on axis "
                                + axis
                                + " is not supported (positive steps only)");
            }
            long b = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            from[axis] = Math.max(0, Math.min(dim, b));
            to[axis] = Math.max(from[axis], Math.min(dim, e));
            step[axis] = st;
        }
        NDIndex index = new NDIndex();
        for (int d = 0; d < rank; d++) {
            index.addSliceDim(from[d], to[d], step[d]);
        }
        return List.of(x.get(index));
    }

    private static List<NDArray> constant(NodeContext n, List<NDArray> in) {
        return List.of(GraphConstants.owned(constantValue(n)));
    }

    private static NDArray constantValue(NodeContext n) {
        var tensor = n.attrTensor("value");
        if (tensor != null) {
            return TensorProtos.toArray(tensor, n.manager(), n.describe() + " value");
        }
        if (n.has("value_float")) {
            return n.manager().create(n.attrFloat("value_float", 0f));
        }
        if (n.has("value_floats")) {
            return n.manager().create(n.attrFloats("value_floats"));
        }
        if (n.has("value_int")) {
            return n.manager().create(n.attrInt("value_int", 0));
        }
        if (n.has("value_ints")) {
            return n.manager().create(n.attrInts("value_ints"));
        }
        throw n.error("has no value attribute");
    }
}
