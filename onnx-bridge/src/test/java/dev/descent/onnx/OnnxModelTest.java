package dev.descent.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

    /** ONNX Runtime against torch on the same float32 input: kernels differ in summation order. */
    private static final double F32_RTOL = 1e-5;

    private static final double F32_ATOL = 1e-6;

    @Test
    void reportsInputsOutputsWithSymbolicBatchAndOpset() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("cnn_opset17.onnx"))) {
            assertThat(model.opset()).isEqualTo(17);
            TensorSpec x = model.singleInput();
            assertThat(x.name()).isEqualTo("x");
            assertThat(x.type()).isEqualTo(ElementType.FLOAT);
            assertThat(x.shapeString()).isEqualTo("[batch, 1, 8, 8]");
            assertThat(x.shape().get(0).isFixed()).isFalse();
            assertThat(x.shape().get(0).symbol()).isEqualTo("batch");
            assertThat(model.singleOutput().shapeString()).isEqualTo("[batch, 3]");
        }
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset13.onnx"))) {
            assertThat(model.opsets()).containsEntry(OnnxModel.DEFAULT_DOMAIN, 13L);
        }
    }

    @Test
    void evaluatesTorchSamplesFromPathStreamAndBytesAlike() {
        for (String name : new String[] {"mlp", "cnn", "layernorm"}) {
            Fixtures.Sample sample = Fixtures.sample(name);
            String file = name + "_opset13.onnx";
            try (OnnxModel fromPath = OnnxModel.open(Fixtures.path(file));
                    OnnxModel fromStream =
                            OnnxModel.open(Fixtures.stream(file), file, RuntimeOptions.DEFAULTS);
                    OnnxModel fromBytes =
                            OnnxModel.open(Fixtures.bytes(file), file, new RuntimeOptions(1, 1));
                    NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.create(sample.input(), new Shape(sample.inputShape()));
                float[] expected = sample.output();
                for (OnnxModel model : new OnnxModel[] {fromPath, fromStream, fromBytes}) {
                    NDArray y = model.evaluate(x);
                    assertThat(y.getShape().getShape()).containsExactly(sample.outputShape());
                    assertClose(y.toFloatArray(), expected, file);
                }
            }
        }
    }

    @Test
    void floatRowsEqualNdArrayEvaluation() {
        Random random = new Random(7);
        float[][] rows = new float[5][4];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset17.onnx"));
                NDManager manager = NDManager.newBaseManager()) {
            float[][] out = model.evaluate(rows);
            float[] viaArray = model.evaluate(manager.create(rows)).toFloatArray();
            assertThat(out).hasNumberOfRows(5);
            for (int r = 0; r < rows.length; r++) {
                assertThat(out[r]).containsExactly(Arrays.copyOfRange(viaArray, 2 * r, 2 * r + 2));
            }
        }
    }

    @Test
    void closingTwiceDoesNothingAndAClosedModelRefusesToRunNamingIt() {
        OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset17.onnx"));
        model.close();
        model.close();
        assertThatThrownBy(() -> model.evaluate(new float[][] {{1, 2, 3, 4}}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mlp_opset17.onnx")
                .hasMessageContaining("closed");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = Path.of("no/such/model.onnx");
        assertThatThrownBy(() -> OnnxModel.open(missing))
                .isInstanceOf(OnnxException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("model.onnx");
    }

    @Test
    void corruptAndEmptyBytesAreNamed() {
        assertThatThrownBy(() -> OnnxModel.open(new byte[0], "empty.onnx", RuntimeOptions.DEFAULTS))
                .isInstanceOf(OnnxException.class)
                .hasMessageContaining("empty.onnx")
                .hasMessageContaining("empty");
        byte[] text = "this is not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxModel.open(text, "text.onnx", RuntimeOptions.DEFAULTS))
                .isInstanceOf(OnnxException.class)
                .hasMessageContaining("text.onnx");
    }

    /**
     * Random bytes and every kind of truncation of a real model: each must be refused with an
     * OnnxException (or, if it happens to be a loadable model, load) and never take the JVM down.
     */
    @Test
    void randomAndTruncatedBytesNeverCrash() {
        Random random = new Random(11);
        byte[] real = Fixtures.bytes("cnn_opset13.onnx");
        int refused = 0;
        int trials = 0;
        for (int i = 0; i < 200; i++) {
            byte[] bytes;
            if (i < 100) {
                bytes = new byte[1 + random.nextInt(4096)];
                random.nextBytes(bytes);
            } else if (i < 180) {
                bytes = Arrays.copyOf(real, random.nextInt(real.length));
            } else {
                bytes = real.clone();
                for (int k = 0; k < 8; k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            trials++;
            Throwable t =
                    catchThrowable(
                            () -> OnnxModel.open(bytes, "fuzz", RuntimeOptions.DEFAULTS).close());
            if (t != null) {
                assertThat(t).isInstanceOf(OnnxException.class).hasMessageContaining("fuzz");
                refused++;
            }
        }
        assertThat(refused).as("refused of %d", trials).isGreaterThanOrEqualTo(180);
    }

    @Test
    void wrongInputNameShapeAndTypeAreNamed() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset13.onnx"));
                NDManager manager = NDManager.newBaseManager()) {
            NDArray good = manager.zeros(new Shape(3, 4));
            assertThatThrownBy(() -> model.run(Map.of("z", good)))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("no input named 'z'")
                    .hasMessageContaining("x FLOAT [batch, 4]");
            assertThatThrownBy(() -> model.evaluate(manager.zeros(new Shape(3, 5))))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("input 'x'")
                    .hasMessageContaining("expects shape [batch, 4], got (3, 5)");
            assertThatThrownBy(
                            () -> model.evaluate(manager.zeros(new Shape(3, 4), DataType.FLOAT64)))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("input 'x'")
                    .hasMessageContaining("expects element type FLOAT, got DOUBLE");
            assertThatThrownBy(() -> model.evaluate(new float[][] {{1, 2, 3, 4}, {1, 2}}))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("row 1");
        }
    }

    @Test
    void severalInputsWhereOneExpectedIsNamed() {
        try (OnnxModel model =
                        OnnxModel.open(
                                Fixtures.twoInputAdd(), "add.onnx", RuntimeOptions.DEFAULTS);
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(model.inputs()).hasSize(2);
            assertThatThrownBy(() -> model.evaluate(new float[][] {{1, 2, 3}}))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("add.onnx has 2 inputs")
                    .hasMessageContaining("exactly one");
            NDArray a = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray y = model.run(Map.of("a", a, "b", a)).get("y");
            assertThat(y.toFloatArray()).containsExactly(2, 4, 6);
            assertThatThrownBy(() -> model.run(Map.of("a", a)))
                    .isInstanceOf(OnnxException.class)
                    .hasMessageContaining("input 'b'")
                    .hasMessageContaining("was not fed");
        }
    }

    @Test
    void negativeThreadCountsAreRefused() {
        assertThatThrownBy(() -> new RuntimeOptions(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads must be >= 0")
                .hasMessageContaining("-1");
    }

    static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double tol = F32_ATOL + F32_RTOL * Math.abs(expected[i]);
            assertThat((double) actual[i])
                    .as("%s element %d (rtol %s, atol %s)", what, i, F32_RTOL, F32_ATOL)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol));
        }
    }
}
