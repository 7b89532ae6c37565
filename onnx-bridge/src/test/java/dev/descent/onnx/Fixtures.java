package dev.descent.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The torch-exported fixture models (see {@code src/test/resources/dev/descent/onnx/fixtures/
 * README.md}) and small graphs written with the ONNX protobuf builders for op-level tests.
 */
final class Fixtures {

    /** Every torch-exported fixture, by file name. */
    static final List<String> TORCH_MODELS =
            List.of(
                    "mlp_opset13.onnx",
                    "mlp_opset17.onnx",
                    "cnn_opset13.onnx",
                    "cnn_opset17.onnx",
                    "layernorm_opset13.onnx",
                    "layernorm_opset17.onnx");

    private static final String DIR = "/dev/descent/onnx/fixtures/";

    private Fixtures() {}

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource(DIR + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test fixture " + name + " is missing", e);
        }
    }

    static InputStream stream(String name) {
        return Fixtures.class.getResourceAsStream(DIR + name);
    }

    static byte[] bytes(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One input batch and torch's output on it, written by the generator script. */
    record Sample(long[] inputShape, float[] input, long[] outputShape, float[] output) {}

    static Sample sample(String model) {
        try (InputStream in = stream(model + ".sample.json")) {
            JsonObject o =
                    JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            return new Sample(
                    longs(o, "input_shape"),
                    floats(o, "input"),
                    longs(o, "output_shape"),
                    floats(o, "output"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long[] longs(JsonObject o, String key) {
        var a = o.getAsJsonArray(key);
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsLong();
        }
        return v;
    }

    private static float[] floats(JsonObject o, String key) {
        var a = o.getAsJsonArray(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).getAsDouble();
        }
        return v;
    }

    // ---- graphs written in Java ----

    static OnnxMl.ValueInfoProto floatInput(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim =
                    OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
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

    static OnnxMl.TensorProto floatTensor(String name, long[] dims, float... values) {
        OnnxMl.TensorProto.Builder t =
                OnnxMl.TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    static OnnxMl.TensorProto longTensor(String name, long[] dims, long... values) {
        OnnxMl.TensorProto.Builder t =
                OnnxMl.TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    static OnnxMl.NodeProto node(
            String op,
            String name,
            List<String> in,
            List<String> out,
            OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name);
        n.addAllInput(in).addAllOutput(out);
        for (OnnxMl.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static OnnxMl.AttributeProto floatsAttr(String name, float... values) {
        OnnxMl.AttributeProto.Builder a =
                OnnxMl.AttributeProto.newBuilder()
                        .setName(name)
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    static OnnxMl.AttributeProto stringsAttr(String name, String... values) {
        OnnxMl.AttributeProto.Builder a =
                OnnxMl.AttributeProto.newBuilder()
                        .setName(name)
                        .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(com.google.protobuf.ByteString.copyFromUtf8(v));
        }
        return a.build();
    }

    static OnnxMl.AttributeProto tensorAttr(String name, OnnxMl.TensorProto value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                .setT(value)
                .build();
    }

    static OnnxMl.AttributeProto stringAttr(String name, String value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value))
                .build();
    }

    /** A model of one graph, importing the standard opset 17 and, when asked, ai.onnx.ml 3. */
    static byte[] model(OnnxMl.GraphProto graph, boolean mlDomain) {
        OnnxMl.ModelProto.Builder m =
                OnnxMl.ModelProto.newBuilder()
                        .setIrVersion(8)
                        .setProducerName("descent-tests")
                        .setGraph(graph)
                        .addOpsetImport(
                                OnnxMl.OperatorSetIdProto.newBuilder()
                                        .setDomain("")
                                        .setVersion(17));
        if (mlDomain) {
            m.addOpsetImport(
                    OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3));
        }
        return m.build().toByteArray();
    }

    /** y = a + b, both [batch, 3]: a model with two inputs. */
    static byte[] twoInputAdd() {
        OnnxMl.GraphProto g =
                OnnxMl.GraphProto.newBuilder()
                        .setName("add")
                        .addInput(floatInput("a", "batch", 3))
                        .addInput(floatInput("b", "batch", 3))
                        .addOutput(floatInput("y", "batch", 3))
                        .addNode(node("Add", "add0", List.of("a", "b"), List.of("y")))
                        .build();
        return model(g, false);
    }

    /**
     * A one-tree TreeEnsembleRegressor (domain ai.onnx.ml) on x in [batch, 2]: y = 1 if x0 <= 0.5,
     * else 2 if x1 <= 0, else 5. ONNX Runtime runs it; it cannot be imported into DJL.
     */
    static byte[] treeEnsemble() {
        OnnxMl.NodeProto tree =
                OnnxMl.NodeProto.newBuilder()
                        .setOpType("TreeEnsembleRegressor")
                        .setDomain("ai.onnx.ml")
                        .setName("tree")
                        .addInput("x")
                        .addOutput("y")
                        .addAttribute(OnnxExporter.intsAttr("nodes_treeids", 0, 0, 0, 0, 0))
                        .addAttribute(OnnxExporter.intsAttr("nodes_nodeids", 0, 1, 2, 3, 4))
                        .addAttribute(OnnxExporter.intsAttr("nodes_featureids", 0, 0, 1, 0, 0))
                        .addAttribute(
                                stringsAttr(
                                        "nodes_modes",
                                        "BRANCH_LEQ",
                                        "LEAF",
                                        "BRANCH_LEQ",
                                        "LEAF",
                                        "LEAF"))
                        .addAttribute(floatsAttr("nodes_values", 0.5f, 0, 0, 0, 0))
                        .addAttribute(OnnxExporter.intsAttr("nodes_truenodeids", 1, 0, 3, 0, 0))
                        .addAttribute(OnnxExporter.intsAttr("nodes_falsenodeids", 2, 0, 4, 0, 0))
                        .addAttribute(OnnxExporter.intsAttr("target_treeids", 0, 0, 0))
                        .addAttribute(OnnxExporter.intsAttr("target_nodeids", 1, 3, 4))
                        .addAttribute(OnnxExporter.intsAttr("target_ids", 0, 0, 0))
                        .addAttribute(floatsAttr("target_weights", 1, 2, 5))
                        .addAttribute(OnnxExporter.intAttr("n_targets", 1))
                        .addAttribute(stringAttr("post_transform", "NONE"))
                        .build();
        OnnxMl.GraphProto g =
                OnnxMl.GraphProto.newBuilder()
                        .setName("tree")
                        .addInput(floatInput("x", "batch", 2))
                        .addOutput(floatInput("y", "batch", 1))
                        .addNode(tree)
                        .build();
        return model(g, true);
    }
}
