package dev.descent.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.descent.curvature.SafeL2Loss;
import dev.descent.optim.Descent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The imported CNN fine-tuned through DJL's real Trainer loop with a Descent optimizer: the loss
 * falls, trainable parameters move, and the BatchNormalization running statistics do not.
 */
class FineTuneTest {

    private static final int STEPS = 40;

    private static final int BATCH = 16;

    /** {@code mean((y − ŷ)²)}, with its weight made by libtorch (see {@link SafeL2Loss}). */
    private static final Loss MEAN_SQUARED_ERROR = new SafeL2Loss("MeanSquaredError", 1f);

    @Test
    void importedCnnTrainsWithADescentOptimizer() {
        try (OnnxModel onnx = OnnxModel.open(Fixtures.path("cnn_opset13.onnx"));
                Model model = Model.newInstance("cnn", Device.cpu(), "PyTorch")) {
            OnnxBlock block = OnnxImporter.importModel(onnx, model.getNDManager());
            model.setBlock(block);
            Map<String, float[]> before = snapshot(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(MEAN_SQUARED_ERROR)
                            .optOptimizer(Descent.adaBelief().optLearningRate(3e-2).build())
                            .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 1, 8, 8));
                NDArray x =
                        ImportParityTest.randomArray(
                                trainer.getManager(),
                                new long[] {BATCH, 1, 8, 8},
                                new Random(4),
                                DataType.FLOAT32);
                // a target the network does not produce: one class per row, chosen by seed
                float[] target = new float[BATCH * 3];
                Random random = new Random(5);
                for (int r = 0; r < BATCH; r++) {
                    target[3 * r + random.nextInt(3)] = 1;
                }
                NDArray y = trainer.getManager().create(target, new Shape(BATCH, 3));
                float first = 0;
                float last = 0;
                for (int step = 0; step < STEPS; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss =
                                trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
                        if (step == 0) {
                            first = loss.getFloat();
                        }
                        last = loss.getFloat();
                        collector.backward(loss);
                    }
                    trainer.step();
                }
                assertThat(last)
                        .as("loss after %d steps vs first %s", STEPS, first)
                        .isLessThan(0.7f * first);
            }
            Map<String, float[]> after = snapshot(block);
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                if (e.getKey().contains("running_")) {
                    assertThat(after.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
                } else {
                    assertThat(after.get(e.getKey())).as(e.getKey()).isNotEqualTo(e.getValue());
                }
            }
        }
    }

    private static Map<String, float[]> snapshot(OnnxBlock block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
