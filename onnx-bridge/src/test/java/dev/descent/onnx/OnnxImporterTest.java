package dev.descent.onnx;

import static dev.descent.onnx.Fixtures.stringAttr;
import static dev.descent.onnx.OnnxExporter.intsAttr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxImporterTest {

    @Test
    void everyUnsupportedNodeIsListedWithItsOperatorAndReason() throws Exception {
        OnnxMl.NodeProto tree =
                OnnxMl.ModelProto.parseFrom(Fixtures.treeEnsemble()).getGraph().getNode(0);
        OnnxMl.GraphProto graph =
                OnnxMl.GraphProto.newBuilder()
                        .setName("mixed")
                        .addInput(Fixtures.floatInput("x", "batch", 2))
                        .addInput(Fixtures.floatInput("img", "batch", 1, 4, 4))
                        .addInitializer(
                                Fixtures.floatTensor("w", new long[] {1, 1, 3, 3}, new float[9]))
                        .addOutput(Fixtures.floatInput("y", "batch", 1))
                        .addNode(tree)
                        .addNode(Fixtures.node("Hardmax", "hard", List.of("y"), List.of("h")))
                        .addNode(
                                Fixtures.node(
                                        "Conv",
                                        "same",
                                        List.of("img", "w"),
                                        List.of("c"),
                                        stringAttr("auto_pad", "SAME_UPPER")))
                        .addNode(
                                Fixtures.node(
                                        "MaxPool",
                                        "",
                                        List.of("c"),
                                        List.of("p", "indices"),
                                        intsAttr("kernel_shape", 2, 2)))
                        .addNode(Fixtures.node("Relu", "fine", List.of("x"), List.of("r")))
                        .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Fixtures.model(graph, true));

        assertThat(OnnxImporter.problems(model))
                .containsExactly(
                        "node 'tree' (TreeEnsembleRegressor): operator"
                                + " ai.onnx.ml.TreeEnsembleRegressor of domain 'ai.onnx.ml' is not"
                                + " supported (only the standard ONNX domain)",
                        "node 'hard' (Hardmax): operator Hardmax is not supported",
                        "node 'same' (Conv): auto_pad=SAME_UPPER is not supported (NOTSET with"
                                + " explicit pads, or VALID)",
                        "node #3 (MaxPool): the Indices output is not supported");
        try (NDManager manager = NDManager.newBaseManager()) {
            UnsupportedGraphException e =
                    catchThrowableOfType(
                            UnsupportedGraphException.class,
                            () ->
                                    OnnxImporter.importModel(
                                            model, "mixed.onnx", manager, DataType.FLOAT32));
            assertThat(e.problems()).hasSize(4);
            assertThat(e)
                    .hasMessageStartingWith(
                            "model mixed.onnx cannot be imported into DJL (4 problems)")
                    .hasMessageContaining("node 'hard' (Hardmax)")
                    .hasMessageContaining("node #3 (MaxPool)");
        }
    }

    @Test
    void supportedOperatorsCoverTheIssueList() {
        assertThat(OnnxImporter.supportedOperators())
                .contains(
                        "Gemm",
                        "MatMul",
                        "Add",
                        "Sub",
                        "Mul",
                        "Div",
                        "Neg",
                        "Pow",
                        "Sqrt",
                        "Exp",
                        "Log",
                        "Abs",
                        "Relu",
                        "LeakyRelu",
                        "Elu",
                        "Selu",
                        "Sigmoid",
                        "Tanh",
                        "Softplus",
                        "Softmax",
                        "LogSoftmax",
                        "Erf",
                        "LayerNormalization",
                        "BatchNormalization",
                        "Conv",
                        "MaxPool",
                        "AveragePool",
                        "GlobalAveragePool",
                        "Flatten",
                        "Reshape",
                        "Transpose",
                        "Squeeze",
                        "Unsqueeze",
                        "Concat",
                        "Slice",
                        "Gather",
                        "Shape",
                        "Constant",
                        "ConstantOfShape",
                        "Identity",
                        "Dropout",
                        "Clip",
                        "Min",
                        "Max",
                        "ReduceSum",
                        "ReduceMean",
                        "Cast",
                        "Pad");
    }

    @Test
    void floatTypeOtherThan32Or64IsRefused() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset13.onnx"));
                NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(
                            () ->
                                    OnnxImporter.importModel(
                                            model.proto(), "mlp", manager, DataType.FLOAT16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("floatType must be FLOAT32 or FLOAT64, got float16");
        }
    }
}
