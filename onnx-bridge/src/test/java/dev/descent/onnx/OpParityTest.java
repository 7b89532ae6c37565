package dev.descent.onnx;

import static dev.descent.onnx.Fixtures.floatsAttr;
import static dev.descent.onnx.OnnxExporter.floatAttr;
import static dev.descent.onnx.OnnxExporter.intAttr;
import static dev.descent.onnx.OnnxExporter.intsAttr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import dev.descent.curvature.DirectBuffers;
import dev.descent.curvature.HessianVectorProduct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Op-level parity: small graphs written in Java, each exercising operators or attribute values the
 * torch fixtures do not (asymmetric pads, groups on 1-D convolution, negative indices, steps,
 * opset-dependent axes), run by ONNX Runtime and by the imported block; then the float64 input
 * gradient against central differences.
 */
class OpParityTest {

    private static final double F32_RTOL = ImportParityTest.F32_RTOL;

    /**
     * As for the fixtures, {@code |a − e| ≤ 1e-5·max(|e|, 0.1·max|e|)}: the dilated convolution
     * here sums 18 products of size ~1 to an output of 0.0115, where ONNX Runtime and the block
     * were both measured within 2.5e-7 of a float64 evaluation but 3e-5 apart relative to it.
     */
    private static final double F32_FLOOR_OF_MAX = ImportParityTest.F32_FLOOR_OF_MAX;

    private static final double F64_GRAD_RTOL = ImportParityTest.F64_GRAD_RTOL;

    private static final double F64_GRAD_ATOL = ImportParityTest.F64_GRAD_ATOL;

    private static final double FD_STEP = ImportParityTest.FD_STEP;

    private static final List<String> X = List.of("x");

    static Stream<GraphBuilder> graphs() {
        return Stream.of(
                new GraphBuilder("Pad asymmetric with value")
                        .input("x", 2, 3, 4, 5)
                        .longInit("pads", 0, 0, 1, 2, 0, 1, 0, 3)
                        .floatValues("v", new long[] {}, 1.5f)
                        .node("Pad", List.of("x", "pads", "v"), "y")
                        .output("y"),
                new GraphBuilder("Gather axis 1, 2-D negative indices")
                        .input("x", 2, 3, 4)
                        .longInit2d("i", 2, 2, 0, -1, 1, 1)
                        .node("Gather", List.of("x", "i"), "y", intAttr("axis", 1))
                        .output("y"),
                new GraphBuilder("Slice with steps and clamped end")
                        .input("x", 3, 8)
                        .longInit("starts", 1, 0)
                        .longInit("ends", 3, 100)
                        .longInit("axes", 0, 1)
                        .longInit("steps", 1, 3)
                        .node("Slice", List.of("x", "starts", "ends", "axes", "steps"), "y")
                        .output("y"),
                new GraphBuilder("Transpose, Squeeze, Unsqueeze")
                        .input("x", 2, 1, 3)
                        .longInit("sq", 1)
                        .longInit("unsq", 0, 3)
                        .node("Squeeze", List.of("x", "sq"), "s")
                        .node("Unsqueeze", List.of("s", "unsq"), "u")
                        .node("Transpose", List.of("u"), "y", intsAttr("perm", 3, 2, 0, 1))
                        .output("y"),
                new GraphBuilder("Unsqueeze and Squeeze with attribute axes (opset 11)")
                        .opset(11)
                        .input("x", 2, 3)
                        .node("Unsqueeze", X, "u", intsAttr("axes", 1))
                        .node("Squeeze", List.of("u"), "y", intsAttr("axes", 1))
                        .output("y"),
                new GraphBuilder("Clip with min and max inputs")
                        .input("x", 4, 5)
                        .floatValues("lo", new long[] {}, -0.5f)
                        .floatValues("hi", new long[] {}, 0.7f)
                        .node("Clip", List.of("x", "lo", "hi"), "y")
                        .output("y"),
                new GraphBuilder("activations summed")
                        .input("x", 4, 5)
                        .node("LeakyRelu", X, "l", floatAttr("alpha", 0.2f))
                        .node("Elu", X, "e", floatAttr("alpha", 0.7f))
                        .node("Selu", X, "s")
                        .node("Softplus", X, "p")
                        .node("Max", List.of("l", "e", "s"), "m")
                        .node("Min", List.of("m", "p"), "n")
                        .node("Neg", List.of("n"), "g")
                        .node("Abs", X, "a")
                        .node("Sub", List.of("g", "a"), "y")
                        .output("y"),
                new GraphBuilder("Exp, Log, Sqrt, Pow, Div")
                        .input("x", 3, 4)
                        .floatValues("three", new long[] {}, 3f)
                        .node("Exp", X, "e")
                        .node("Log", List.of("e"), "l")
                        .node("Sqrt", List.of("e"), "s")
                        .node("Pow", List.of("l", "three"), "p")
                        .node("Div", List.of("p", "s"), "y")
                        .output("y"),
                new GraphBuilder("LogSoftmax axis 1, Softmax axis -1 on rank 3")
                        .input("x", 2, 3, 4)
                        .node("LogSoftmax", X, "l", intAttr("axis", 1))
                        .node("Softmax", List.of("l"), "y", intAttr("axis", -1))
                        .output("y"),
                new GraphBuilder("Softmax default axis at opset 11 (2-D coercion)")
                        .opset(11)
                        .input("x", 2, 3, 4)
                        .node("Softmax", X, "y")
                        .output("y"),
                new GraphBuilder("batched MatMul")
                        .input("x", 2, 3, 4)
                        .floatInit("w", false, 4, 5)
                        .node("MatMul", List.of("x", "w"), "y")
                        .output("y"),
                new GraphBuilder("Gemm transA, alpha, beta")
                        .input("x", 4, 3)
                        .floatInit("b", false, 4, 5)
                        .floatInit("c", false, 1, 5)
                        .node(
                                "Gemm",
                                List.of("x", "b", "c"),
                                "y",
                                intAttr("transA", 1),
                                floatAttr("alpha", 0.5f),
                                floatAttr("beta", 2f))
                        .output("y"),
                new GraphBuilder("ReduceSum axes input keepdims 0, ReduceMean attribute axes")
                        .opset(13)
                        .input("x", 2, 3, 4)
                        .longInit("axes", 1)
                        .node("ReduceSum", List.of("x", "axes"), "s", intAttr("keepdims", 0))
                        .node("ReduceMean", List.of("s"), "y", intsAttr("axes", 0, 1))
                        .output("y"),
                new GraphBuilder("Conv 1-D asymmetric pads, stride 2, groups 2")
                        .input("x", 2, 4, 9)
                        .floatInit("w", false, 6, 2, 3)
                        .floatInit("b", false, 6)
                        .node(
                                "Conv",
                                List.of("x", "w", "b"),
                                "y",
                                intsAttr("pads", 1, 2),
                                intsAttr("strides", 2),
                                intAttr("group", 2))
                        .output("y"),
                new GraphBuilder("Conv 2-D without bias, dilation 2")
                        .input("x", 1, 2, 7, 7)
                        .floatInit("w", false, 3, 2, 3, 3)
                        .node(
                                "Conv",
                                List.of("x", "w"),
                                "y",
                                intsAttr("dilations", 2, 2),
                                intsAttr("pads", 1, 1, 1, 1))
                        .output("y"),
                new GraphBuilder("MaxPool asymmetric pads")
                        .input("x", 2, 2, 6, 6)
                        .node(
                                "MaxPool",
                                X,
                                "y",
                                intsAttr("kernel_shape", 3, 3),
                                intsAttr("pads", 0, 0, 1, 1),
                                intsAttr("strides", 2, 2))
                        .output("y"),
                new GraphBuilder("MaxPool ceil_mode")
                        .input("x", 1, 2, 7, 7)
                        .node(
                                "MaxPool",
                                X,
                                "y",
                                intsAttr("kernel_shape", 2, 2),
                                intsAttr("strides", 2, 2),
                                intAttr("ceil_mode", 1))
                        .output("y"),
                new GraphBuilder("AveragePool count_include_pad")
                        .input("x", 2, 2, 5, 5)
                        .node(
                                "AveragePool",
                                X,
                                "y",
                                intsAttr("kernel_shape", 3, 3),
                                intsAttr("pads", 1, 1, 1, 1),
                                intAttr("count_include_pad", 1))
                        .output("y"),
                new GraphBuilder("AveragePool excluding pads")
                        .input("x", 2, 2, 5, 5)
                        .node(
                                "AveragePool",
                                X,
                                "y",
                                intsAttr("kernel_shape", 3, 3),
                                intsAttr("pads", 1, 1, 1, 1))
                        .output("y"),
                new GraphBuilder("BatchNormalization on [N, C]")
                        .input("x", 4, 3)
                        .floatInit("scale", false, 3)
                        .floatInit("bias", false, 3)
                        .floatInit("mean", false, 3)
                        .floatInit("var", true, 3)
                        .node(
                                "BatchNormalization",
                                List.of("x", "scale", "bias", "mean", "var"),
                                "y",
                                floatAttr("epsilon", 1e-3f))
                        .output("y"),
                new GraphBuilder("LayerNormalization over the last two axes")
                        .input("x", 2, 3, 4)
                        .floatInit("scale", false, 3, 4)
                        .floatInit("bias", false, 3, 4)
                        .node(
                                "LayerNormalization",
                                List.of("x", "scale", "bias"),
                                "y",
                                intAttr("axis", -2))
                        .output("y"),
                new GraphBuilder("Shape, ConstantOfShape, Flatten axis 2, Reshape [0, -1]")
                        .input("x", 2, 3, 4, 5)
                        .longInit("target", 0, -1)
                        .node("Shape", X, "s")
                        .node(
                                "ConstantOfShape",
                                List.of("s"),
                                "k",
                                Fixtures.tensorAttr(
                                        "value", Fixtures.floatTensor("v", new long[] {1}, 2.5f)))
                        .node("Add", List.of("x", "k"), "a")
                        .node("Flatten", List.of("a"), "f", intAttr("axis", 2))
                        .node("Reshape", List.of("f", "target"), "y")
                        .output("y"),
                new GraphBuilder("Concat, Constant value_floats, Identity, Dropout, Cast")
                        .input("x", 2, 3)
                        .node("Concat", List.of("x", "x"), "c", intAttr("axis", -1))
                        .node(
                                "Constant",
                                List.of(),
                                "k",
                                floatsAttr("value_floats", 1, 2, 3, 4, 5, 6))
                        .node("Mul", List.of("c", "k"), "m")
                        .node("Identity", List.of("m"), "i")
                        .node("Dropout", List.of("i"), "d")
                        .node(
                                "Cast",
                                List.of("d"),
                                "y",
                                intAttr("to", OnnxMl.TensorProto.DataType.DOUBLE.getNumber()))
                        .output("y", OnnxMl.TensorProto.DataType.DOUBLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void importedGraphMatchesOnnxRuntime(GraphBuilder graph) {
        OnnxMl.ModelProto proto = graph.model();
        try (OnnxModel model =
                        OnnxModel.open(proto.toByteArray(), graph.name(), RuntimeOptions.DEFAULTS);
                NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block = OnnxImporter.importModel(model, manager);
            Map<String, NDArray> feeds = randomFeeds(graph, manager, DataType.FLOAT32, 1);
            float[] expected =
                    model.run(feeds)
                            .values()
                            .iterator()
                            .next()
                            .toType(DataType.FLOAT32, false)
                            .toFloatArray();
            NDArray y = forward(block, manager, feeds);
            float[] actual = y.toType(DataType.FLOAT32, false).toFloatArray();
            double floor = F32_FLOOR_OF_MAX * ImportParityTest.maxAbs(expected);
            assertThat(ImportParityTest.maxRelativeError(actual, expected, floor))
                    .as("%s: max |a-e|/max(|e|, %s)", graph, floor)
                    .isLessThanOrEqualTo(F32_RTOL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void inputGradientMatchesCentralDifferences(GraphBuilder graph) {
        OnnxMl.ModelProto proto = graph.model();
        try (NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block =
                    OnnxImporter.importModel(proto, graph.name(), manager, DataType.FLOAT64);
            Map<String, NDArray> feeds = randomFeeds(graph, manager, DataType.FLOAT64, 2);
            NDArray x = feeds.get("x");
            NDArray weights;
            try (NDManager scope = manager.newSubManager()) {
                long[] outShape = forward(block, scope, feeds).getShape().getShape();
                weights =
                        ImportParityTest.randomArray(
                                manager, outShape, new Random(9), DataType.FLOAT64);
            }
            double[] analytic;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                x.setRequiresGradient(true);
                collector.backward(forward(block, manager, feeds).mul(weights).sum());
                analytic = x.getGradient().toDoubleArray();
            }
            double[] base = x.toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += FD_STEP;
                minus[i] -= FD_STEP;
                double numeric =
                        (objective(block, manager, feeds, plus, weights)
                                        - objective(block, manager, feeds, minus, weights))
                                / (2 * FD_STEP);
                assertThat(analytic[i])
                        .as(
                                "%s d/dx[%d] (rtol %s, atol %s)",
                                graph, i, F64_GRAD_RTOL, F64_GRAD_ATOL)
                        .isCloseTo(
                                numeric, offset(F64_GRAD_ATOL + F64_GRAD_RTOL * Math.abs(numeric)));
            }
        }
    }

    /** Graphs of the operators whose backward pass reads a constant of the operator. */
    static Stream<GraphBuilder> graphsWithConstants() {
        return Stream.of(
                new GraphBuilder("Elu, Selu, Softplus")
                        .input("x", 4, 5)
                        .node("Elu", X, "e", floatAttr("alpha", 0.7f))
                        .node("Selu", X, "s")
                        .node("Softplus", X, "p")
                        .node("Add", List.of("e", "s"), "a")
                        .node("Add", List.of("a", "p"), "y")
                        .output("y"),
                new GraphBuilder("Gemm alpha, beta with an input C")
                        .input("x", 4, 3)
                        .input("c", 1, 5)
                        .floatInit("b", false, 3, 5)
                        .node(
                                "Gemm",
                                List.of("x", "b", "c"),
                                "y",
                                floatAttr("alpha", 0.5f),
                                floatAttr("beta", 2f))
                        .output("y"),
                new GraphBuilder("Clip with attribute bounds (opset 6)")
                        .opset(6)
                        .input("x", 4, 5)
                        .node("Clip", X, "y", floatAttr("min", -0.3f), floatAttr("max", 0.4f))
                        .output("y"),
                new GraphBuilder("LayerNormalization epsilon")
                        .input("x", 2, 3, 4)
                        .floatInit("scale", false, 4)
                        .node("LayerNormalization", List.of("x", "scale"), "y")
                        .output("y"),
                new GraphBuilder("BatchNormalization epsilon")
                        .input("x", 4, 3)
                        .floatInit("scale", false, 3)
                        .floatInit("bias", false, 3)
                        .floatInit("mean", false, 3)
                        .floatInit("var", true, 3)
                        .node(
                                "BatchNormalization",
                                List.of("x", "scale", "bias", "mean", "var"),
                                "y",
                                floatAttr("epsilon", 1e-3f))
                        .output("y"));
    }

    /**
     * A differentiated forward pass through these operators makes no array from Java data: DJL
     * keeps such an array's values in a direct buffer that the garbage collector frees once the
     * array is closed, while the graph may still read it (a gradient of {@code x.mul(3f)} read
     * -6.5e30 instead of 3 after a collection between forward and backward). Counted in windows
     * without a collection, where the number of direct buffers can only grow.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("graphsWithConstants")
    void differentiatingOperatorsWithConstantsMakesNoArrayFromJavaData(GraphBuilder graph) {
        try (NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block =
                    OnnxImporter.importModel(
                            graph.model(), graph.name(), manager, DataType.FLOAT64);
            Map<String, NDArray> feeds = randomFeeds(graph, manager, DataType.FLOAT64, 3);
            feeds.values().forEach(a -> a.setRequiresGradient(true));
            long most =
                    DirectBuffers.mostMadeBy(
                            5,
                            () -> {
                                try (NDManager scope = manager.newSubManager();
                                        GradientCollector collector =
                                                Engine.getInstance().newGradientCollector()) {
                                    collector.backward(forward(block, scope, feeds).sum());
                                }
                            });
            assertThat(most).as("direct buffers made by forward and backward").isZero();
            double[] grad = feeds.get("x").getGradient().toDoubleArray();
            assertThat(Arrays.stream(grad).allMatch(Double::isFinite)).as("x's gradient").isTrue();
        }
    }

    /**
     * Graphs whose operators make an array from Java data that the graph keeps: a Constant node's
     * value, Gather's flat index. Imported in float32, where a float32 Constant is used as it is.
     */
    static Stream<GraphBuilder> graphsWithJavaData() {
        return Stream.of(
                new GraphBuilder("Mul by a Constant tensor")
                        .input("x", 2, 3)
                        .node(
                                "Constant",
                                List.of(),
                                "k",
                                Fixtures.tensorAttr(
                                        "value",
                                        Fixtures.floatTensor(
                                                "v", new long[] {2, 3}, 1, -2, 3, 0.5f, 5, -6)))
                        .node("Mul", List.of("x", "k"), "y")
                        .output("y"),
                new GraphBuilder("Mul by a Constant value_floats")
                        .input("x", 2, 3)
                        .node("Constant", List.of(), "k", floatsAttr("value_floats", 1.5f, -2, 3))
                        .node("Mul", List.of("x", "k"), "y")
                        .output("y"),
                new GraphBuilder("Gather axis 1")
                        .input("x", 2, 4)
                        .longInit("i", 3, 0, 3, -3)
                        .node("Gather", List.of("x", "i"), "y", intAttr("axis", 1))
                        .output("y"));
    }

    /**
     * Hessian-vector products of {@code sum(block(x)²)} with respect to x, whose graph is kept
     * between products, are the same after a collection as before it: the arrays these operators
     * make from Java data are copies libtorch owns (before, the products after the collection read
     * freed memory, see GraphConstantsTest for why that shows with glibc).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("graphsWithJavaData")
    void hessianProductsThroughJavaDataAreTheSameAfterACollection(GraphBuilder graph) {
        try (NDManager manager = NDManager.newBaseManager()) {
            OnnxBlock block =
                    OnnxImporter.importModel(
                            graph.model(), graph.name(), manager, DataType.FLOAT32);
            NDArray x = randomFeeds(graph, manager, DataType.FLOAT32, 4).get("x");
            try (HessianVectorProduct h =
                    HessianVectorProduct.ofInputs(
                            block,
                            x,
                            out -> out.singletonOrThrow().square().sum(),
                            HessianVectorProduct.Method.EXACT)) {
                NDArray v = manager.arange(1f, 1f + h.dimension());
                float[] before = h.apply(v).toFloatArray();
                DirectBuffers.settle();
                float[] after = h.apply(v).toFloatArray();
                assertThat(after).as("H·v after the collection").containsExactly(before);
                assertThat(before).as("H·v is not zero").isNotEqualTo(new float[before.length]);
            }
        }
    }

    private static double objective(
            OnnxBlock block,
            NDManager manager,
            Map<String, NDArray> feeds,
            double[] x,
            NDArray weights) {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> shifted = new LinkedHashMap<>(feeds);
            shifted.put("x", scope.create(x, feeds.get("x").getShape()));
            return forward(block, scope, shifted).mul(weights).sum().getDouble();
        }
    }

    private static NDArray forward(OnnxBlock block, NDManager manager, Map<String, NDArray> feeds) {
        List<NDArray> inputs = new ArrayList<>();
        for (String name : block.inputNames()) {
            inputs.add(feeds.get(name));
        }
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false)
                .singletonOrThrow();
    }

    private static Map<String, NDArray> randomFeeds(
            GraphBuilder graph, NDManager manager, DataType type, long salt) {
        Random random = new Random(graph.name().hashCode() * 31L + salt);
        Map<String, NDArray> feeds = new LinkedHashMap<>();
        for (GraphBuilder.Input input : graph.inputs()) {
            feeds.put(
                    input.name(),
                    ImportParityTest.randomArray(manager, input.shape(), random, type));
        }
        return feeds;
    }
}
