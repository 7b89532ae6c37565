package dev.descent.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.descent.solve.ConvexReluAdmm;
import dev.descent.solve.ConvexReluNetwork;
import dev.descent.solve.ConvexReluProgram;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ReLU network recovered from the convex program, exported to ONNX and run by ONNX Runtime. */
class ConvexReluExportTest {

    /** float32 agreement of ONNX Runtime with DJL and with the float64 network. */
    private static final double F32 = 1e-5;

    @Test
    void onnxRuntimeReproducesTheRecoveredNetwork() {
        Random random = new Random(21);
        int n = 40;
        double[][] x = new double[n][2];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            x[r][0] = 2 * random.nextDouble() - 1;
            x[r][1] = 2 * random.nextDouble() - 1;
            y[r] = Math.abs(x[r][0]) - x[r][1] * x[r][1];
        }
        ConvexReluProgram program = ConvexReluProgram.sample(x, y, 1e-3, 30, 4, true);
        ConvexReluNetwork network =
                ConvexReluNetwork.recover(
                        program,
                        ConvexReluAdmm.builder()
                                .optMaxIterations(500)
                                .build()
                                .solve(program)
                                .solution());
        assertThat(network.width()).isPositive();
        double[] expected = network.predict(x);
        float[][] batch = new float[n][2];
        float[] flat = new float[2 * n];
        for (int r = 0; r < n; r++) {
            batch[r][0] = (float) x[r][0];
            batch[r][1] = (float) x[r][1];
            flat[2 * r] = batch[r][0];
            flat[2 * r + 1] = batch[r][1];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = network.toBlock(manager);
            float[] djl =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.create(flat, new Shape(n, 2))),
                                    false)
                            .singletonOrThrow()
                            .toFloatArray();
            byte[] bytes = OnnxExporter.toModel(block, new Shape(1, 2)).toByteArray();
            try (OnnxModel model = OnnxModel.open(bytes, "convex-relu", RuntimeOptions.DEFAULTS)) {
                float[][] ort = model.evaluate(batch);
                assertThat(ort).hasNumberOfRows(n);
                for (int r = 0; r < n; r++) {
                    double scale = Math.max(1, Math.abs(expected[r]));
                    assertThat((double) ort[r][0]).isCloseTo(djl[r], within(F32 * scale));
                    assertThat((double) ort[r][0]).isCloseTo(expected[r], within(F32 * scale));
                }
            }
        }
    }
}
