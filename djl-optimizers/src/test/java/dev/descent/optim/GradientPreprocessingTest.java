package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Rescaling and value clipping happen before the rule; clipping is symmetric. */
class GradientPreprocessingTest {

    @Test
    void rescalesThenClipsOnBothSides() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            DescentOptimizer<?> sgd =
                    Descent.sgd().optLearningRate(1.0).setRescaleGrad(2f).optClipGrad(0.5f).build();
            NDArray w = manager.create(new double[] {0, 0, 0, 0});
            sgd.update("w", w, manager.create(new double[] {2, -3, 0.1, -0.2}));
            // g·2 = (4, −6, 0.2, −0.4), clipped to [−0.5, 0.5]; SGD with lr 1: p = −g
            assertThat(w.toDoubleArray())
                    .containsExactly(new double[] {-0.5, 0.5, -0.2, 0.4}, within(1e-12));
        }
    }
}
