package dev.descent.onnx;

import static dev.descent.onnx.ImportParityTest.F32_FLOOR_OF_MAX;
import static dev.descent.onnx.ImportParityTest.F32_RTOL;
import static dev.descent.onnx.ImportParityTest.maxAbs;
import static dev.descent.onnx.ImportParityTest.maxRelativeError;
import static dev.descent.onnx.ImportParityTest.randomArray;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blocks built and seeded in DJL, exported, then evaluated by ONNX Runtime and re-imported: both
 * must equal the DJL block within the float32 bound {@link ImportParityTest#F32_RTOL}
 * (relative per element, with the floor {@link ImportParityTest#F32_FLOOR_OF_MAX}·max|e|, for the
 * reason given there).
 */
class OnnxExporterTest {

    static final long SEED = 20240611;

    /** Batch sizes checked: one row, a few, and many (the exported batch dimension is symbolic). */
    static final int[] BATCHES = {1, 6, 64};

    record Case(String name, Supplier<Block> block, Shape inputShape) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Case("mlp", OnnxExporterTest::mlp, new Shape(1, 7))),
                Arguments.of(new Case("mlp-rank3", OnnxExporterTest::mlpRank3, new Shape(1, 3, 5))),
                Arguments.of(new Case("cnn", OnnxExporterTest::cnn, new Shape(1, 3, 10, 10))),
                Arguments.of(new Case("cnn1d", OnnxExporterTest::cnn1d, new Shape(1, 2, 16))));
    }

    /** Every LambdaBlock activation the exporter identifies, between Linear layers. */
    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(16).build())
                .add(Activation.tanhBlock())
                .add(LayerNorm.builder().build())
                .add(Linear.builder().setUnits(12).build())
                .add(Activation.leakyReluBlock(0.07f))
                .add(Linear.builder().setUnits(12).build())
                .add(Activation.eluBlock(0.8f))
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(12).build())
                .add(Activation.geluBlock())
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(12).build())
                .add(Activation.softPlusBlock())
                .add(Linear.builder().setUnits(12).build())
                .add(Activation.seluBlock())
                .add(
                        new SequentialBlock()
                                .add(Linear.builder().setUnits(10).build())
                                .add(Activation.swishBlock(1.3f))
                                .add(Linear.builder().setUnits(10).build())
                                .add(Activation.sigmoidBlock()))
                .add(Linear.builder().setUnits(3).build());
    }

    /** Linear on a rank-3 input (MatMul + Add) and a bias-free Linear. */
    static Block mlpRank3() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.mishBlock())
                .add(LayerNorm.builder().build())
                .add(Linear.builder().setUnits(4).optBias(false).build())
                .add(Activation.softSignBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
    }

    static Block cnn() {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(8)
                                .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optStride(new Shape(1, 1))
                                .optDilation(new Shape(2, 2))
                                .optPadding(new Shape(2, 2))
                                .optGroups(2)
                                .setFilters(6)
                                .build())
                .add(Activation.geluBlock())
                .add(Pool.avgPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build());
    }

    static Block cnn1d() {
        return new SequentialBlock()
                .add(
                        Conv1d.builder()
                                .setKernelShape(new Shape(3))
                                .optStride(new Shape(2))
                                .optPadding(new Shape(1))
                                .setFilters(4)
                                .build())
                .add(Activation.tanhBlock())
                .add(
                        Conv1d.builder()
                                .setKernelShape(new Shape(3))
                                .optBias(false)
                                .setFilters(4)
                                .build())
                .add(Pool.globalAvgPool1dBlock())
                .add(Linear.builder().setUnits(2).build());
    }

    /**
     * Initializes a block with a fixed seed, then gives every BatchNorm and LayerNorm random gamma,
     * beta and running statistics, as training would, so that they are not the identity.
     */
    static Block initialized(Case c, NDManager manager) {
        Engine.getInstance().setRandomSeed((int) SEED);
        Block block = c.block().get();
        block.initialize(manager, DataType.FLOAT32, c.inputShape());
        Random random = new Random(SEED);
        for (Pair<String, Parameter> p : block.getParameters()) {
            String name = p.getKey();
            NDArray a = p.getValue().getArray();
            if (name.endsWith("gamma") || name.endsWith("runningVar")) {
                a.set(positive(a, random));
            } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
                a.set(normal(a, random));
            }
        }
        return block;
    }

    private static java.nio.FloatBuffer positive(NDArray a, Random random) {
        float[] v = new float[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.5 + random.nextDouble());
        }
        return java.nio.FloatBuffer.wrap(v);
    }

    private static java.nio.FloatBuffer normal(NDArray a, Random random) {
        float[] v = new float[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.5 * random.nextGaussian());
        }
        return java.nio.FloatBuffer.wrap(v);
    }

    static NDArray djl(Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
    }

    static long[] batchShape(Shape inputShape, int batch) {
        long[] s = inputShape.getShape().clone();
        s[0] = batch;
        return s;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void onnxRuntimeMatchesDjl(Case c) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = initialized(c, manager);
            byte[] bytes = OnnxExporter.toModel(block, c.inputShape()).toByteArray();
            try (OnnxModel model = OnnxModel.open(bytes, c.name(), RuntimeOptions.DEFAULTS)) {
                assertThat(model.opset()).isEqualTo(OnnxExporter.OPSET);
                Random random = new Random(SEED + c.name().hashCode());
                for (int batch : BATCHES) {
                    NDArray x =
                            randomArray(
                                    manager,
                                    batchShape(c.inputShape(), batch),
                                    random,
                                    DataType.FLOAT32);
                    float[] expected = djl(block, manager, x).toFloatArray();
                    float[] actual = model.evaluate(x).toFloatArray();
                    double floor = F32_FLOOR_OF_MAX * maxAbs(expected);
                    assertThat(maxRelativeError(actual, expected, floor))
                            .as("%s batch %d: max |ort-djl|/max(|djl|, %s)", c, batch, floor)
                            .isLessThanOrEqualTo(F32_RTOL);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void importOfExportMatchesDjl(Case c) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = initialized(c, manager);
            OnnxMl.ModelProto proto = OnnxExporter.toModel(block, c.inputShape());
            OnnxBlock imported =
                    OnnxImporter.importModel(proto, c.name(), manager, DataType.FLOAT32);
            Random random = new Random(SEED + 1 + c.name().hashCode());
            for (int batch : BATCHES) {
                NDArray x =
                        randomArray(
                                manager,
                                batchShape(c.inputShape(), batch),
                                random,
                                DataType.FLOAT32);
                float[] expected = djl(block, manager, x).toFloatArray();
                float[] actual =
                        imported.forward(new ParameterStore(manager, false), new NDList(x), false)
                                .singletonOrThrow()
                                .toFloatArray();
                double floor = F32_FLOOR_OF_MAX * maxAbs(expected);
                assertThat(maxRelativeError(actual, expected, floor))
                        .as("%s batch %d: max |imported-djl|/max(|djl|, %s)", c, batch, floor)
                        .isLessThanOrEqualTo(F32_RTOL);
            }
        }
    }

    /**
     * DCDM's network (residual ParallelBlocks that sum, average pooling, nearest upsampling by
     * repeats) runs in ONNX Runtime as in DJL. Not in {@link #cases()}: the importer has no Resize.
     */
    @Test
    void dcdmNetworkRunsInOnnxRuntimeAsInDjl() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Case c =
                    new Case(
                            "dcdm",
                            () -> dev.descent.solve.DcdmNetwork.create(4, 1, 1),
                            new Shape(1, 1, 8, 12));
            Block block = initialized(c, manager);
            byte[] bytes = OnnxExporter.toModel(block, c.inputShape()).toByteArray();
            try (OnnxModel model = OnnxModel.open(bytes, c.name(), RuntimeOptions.DEFAULTS)) {
                Random random = new Random(SEED + 2);
                for (int batch : new int[] {1, 3}) {
                    NDArray x =
                            randomArray(
                                    manager,
                                    batchShape(c.inputShape(), batch),
                                    random,
                                    DataType.FLOAT32);
                    float[] expected = djl(block, manager, x).toFloatArray();
                    float[] actual = model.evaluate(x).toFloatArray();
                    double floor = F32_FLOOR_OF_MAX * maxAbs(expected);
                    assertThat(maxRelativeError(actual, expected, floor))
                            .as("batch %d: max |ort-djl|/max(|djl|, %s)", batch, floor)
                            .isLessThanOrEqualTo(F32_RTOL);
                }
                assertThat(model.proto().getGraph().getNodeList())
                        .extracting(OnnxMl.NodeProto::getOpType)
                        .contains("Resize", "Add", "AveragePool");
            }
        }
    }

    @Test
    void parallelBlockThatDoesNotSumIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    new SequentialBlock()
                            .add(
                                    new ParallelBlock(
                                            list ->
                                                    new NDList(
                                                            list.get(0)
                                                                    .head()
                                                                    .mul(list.get(1).head())),
                                            List.of(
                                                    Linear.builder().setUnits(4).build(),
                                                    Linear.builder().setUnits(4).build())));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            UnsupportedBlockException e =
                    org.assertj.core.api.Assertions.catchThrowableOfType(
                            () -> OnnxExporter.toModel(block, new Shape(1, 3)),
                            UnsupportedBlockException.class);
            assertThat(e).isNotNull();
            assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("block 01ParallelBlock (ai.djl.nn.ParallelBlock)")
                    .contains("not the elementwise sum of its branches");
        }
    }

    @Test
    void writesTheSameModelToAFileAndAStream(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Case c = new Case("mlp", OnnxExporterTest::mlp, new Shape(1, 7));
            Block block = initialized(c, manager);
            Path file = dir.resolve("mlp.onnx");
            OnnxExporter.export(block, c.inputShape(), file);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            OnnxExporter.export(block, c.inputShape(), stream);
            assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(stream.toByteArray());
            try (OnnxModel model = OnnxModel.open(file)) {
                assertThat(model.singleInput().name()).isEqualTo(OnnxExporter.INPUT);
                assertThat(model.singleOutput().name()).isEqualTo(OnnxExporter.OUTPUT);
                assertThat(model.singleInput().shape().get(0).isFixed()).isFalse();
            }
        }
    }

    @Test
    void unsupportedBlocksAreAllListedWithPathAndType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(4).build())
                            .add(LambdaBlock.singleton(x -> x.mul(2).exp(), "doubleExp"))
                            .add(
                                    new SequentialBlock()
                                            .add(
                                                    new ParallelBlock(
                                                            list -> list.get(0),
                                                            List.of(
                                                                    Linear.builder()
                                                                            .setUnits(4)
                                                                            .build()))))
                            .add(Linear.builder().setUnits(1).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            UnsupportedBlockException e =
                    org.assertj.core.api.Assertions.catchThrowableOfType(
                            () -> OnnxExporter.toModel(block, new Shape(1, 3)),
                            UnsupportedBlockException.class);
            assertThat(e).isNotNull();
            assertThat(e.problems()).hasSize(2);
            assertThat(e.problems().get(0))
                    .startsWith("block 02LambdaBlock (ai.djl.nn.LambdaBlock 'doubleExp')")
                    .contains("matches none of the known");
            assertThat(e.problems().get(1))
                    .startsWith("block 03SequentialBlock/01ParallelBlock (ai.djl.nn.ParallelBlock)")
                    .contains("has 1 branches, expected at least 2");
            assertThat(e.getMessage()).contains("2 problems");
        }
    }

    @Test
    void uninitializedBlockIsRefused() {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OnnxExporter.toModel(block, new Shape(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not initialized");
    }

    @Test
    void erfSeriesMatchesKnownValues() {
        // erf(0.5), erf(1), erf(2) to 16 digits (Abramowitz & Stegun, table 7.1)
        assertThat(LambdaProbes.erf(0.5))
                .isCloseTo(0.5204998778130465, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(LambdaProbes.erf(1.0))
                .isCloseTo(0.8427007929497149, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(LambdaProbes.erf(-2.0))
                .isCloseTo(-0.9953222650189527, org.assertj.core.data.Offset.offset(1e-13));
    }
}
