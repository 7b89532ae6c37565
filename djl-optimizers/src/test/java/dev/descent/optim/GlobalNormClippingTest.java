package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.EasyTrain;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalNormClippingTest {

    @Test
    void scalesAllGradientsByTheGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.create(new double[] {3, 0});
            NDArray b = m.create(new double[] {0, 4, 12});
            double norm = GlobalNormClipping.clip(List.of(a, b), 6.5);
            assertThat(norm).isCloseTo(13.0, within(1e-12));
            double scale = 6.5 / (13 + 1e-6);
            assertThat(a.toDoubleArray())
                    .containsExactly(new double[] {3 * scale, 0}, within(1e-12));
            assertThat(b.toDoubleArray())
                    .containsExactly(new double[] {0, 4 * scale, 12 * scale}, within(1e-12));
            double again = GlobalNormClipping.clip(List.of(a, b), 100);
            assertThat(again).isCloseTo(6.5, within(1e-5));
            assertThat(b.toDoubleArray()[2]).isCloseTo(12 * scale, within(1e-12));
        }
    }

    @Test
    void listenerClipsBeforeTheStepInEasyTrain() throws Exception {
        double maxNorm = 1e-3;
        DescentOptimizer<?> sgd = Descent.sgd().optLearningRate(1.0).build();
        try (TinyMlp mlp = new TinyMlp(sgd, GlobalNormClipping.listener(maxNorm))) {
            List<float[]> before = weights(mlp);
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(mlp.x)
                            .optLabels(mlp.y)
                            .setSampling(TinyMlp.BATCH, false)
                            .build();
            for (Batch batch : mlp.trainer.iterateDataset(data)) {
                EasyTrain.trainBatch(mlp.trainer, batch);
                mlp.trainer.step();
                batch.close();
            }
            List<float[]> after = weights(mlp);
            double sq = 0;
            for (int i = 0; i < before.size(); i++) {
                for (int j = 0; j < before.get(i).length; j++) {
                    double d = after.get(i)[j] - before.get(i)[j];
                    sq += d * d;
                }
            }
            // SGD with lr 1 moves the weights by exactly the clipped gradient
            assertThat(Math.sqrt(sq)).isCloseTo(maxNorm, within(1e-5));
        }
    }

    private static List<float[]> weights(TinyMlp mlp) {
        List<float[]> w = new ArrayList<>();
        for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
            w.add(p.getValue().getArray().toFloatArray());
        }
        return w;
    }
}
