package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NonFiniteGradientTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[][] snapshot(NDArray weight, ParameterState state) {
        List<NDArray> buffers = state.buffers();
        float[][] copy = new float[buffers.size() + 1][];
        copy[0] = weight.toFloatArray();
        for (int i = 0; i < buffers.size(); i++) {
            copy[i + 1] = buffers.get(i).toFloatArray();
        }
        return copy;
    }

    private AdaBelief warmedUp(NonFiniteGradientPolicy policy, NDArray weight) {
        AdaBelief optimizer =
                Descent.adaBelief().optLearningRate(0.1).optNonFiniteGradientPolicy(policy).build();
        for (int t = 1; t <= 3; t++) {
            try (NDArray g = manager.create(Problems.toFloat(Problems.gradient(t, 4)))) {
                optimizer.update("w", weight, g);
            }
        }
        return optimizer;
    }

    @Test
    void throwsNamingParameterAndStepAndLeavesEverythingUntouched() {
        NDArray weight = manager.create(new float[] {1, 2, 3, 4});
        AdaBelief optimizer = warmedUp(NonFiniteGradientPolicy.THROW, weight);
        float[][] before = snapshot(weight, optimizer.state("w"));
        try (NDArray g = manager.create(new float[] {1, Float.NaN, 0, 0})) {
            assertThatThrownBy(() -> optimizer.update("w", weight, g))
                    .isInstanceOf(NonFiniteGradientException.class)
                    .hasMessageContaining("parameter 'w'")
                    .hasMessageContaining("at step 4");
        }
        assertThat(optimizer.state("w").step()).isEqualTo(3);
        assertThat(snapshot(weight, optimizer.state("w"))).isDeepEqualTo(before);
    }

    @Test
    void skipLeavesWeightsAndStateUntouchedAndContinuesAtTheSameStep() {
        NDArray weight = manager.create(new float[] {1, 2, 3, 4});
        AdaBelief optimizer = warmedUp(NonFiniteGradientPolicy.SKIP, weight);
        float[][] before = snapshot(weight, optimizer.state("w"));
        try (NDArray inf = manager.create(new float[] {0, Float.POSITIVE_INFINITY, 0, 0});
                NDArray nan = manager.create(new float[] {Float.NaN, 0, 0, 0})) {
            optimizer.update("w", weight, inf);
            optimizer.update("w", weight, nan);
        }
        assertThat(optimizer.state("w").step()).isEqualTo(3);
        assertThat(snapshot(weight, optimizer.state("w"))).isDeepEqualTo(before);
        try (NDArray g = manager.create(new float[] {1, 1, 1, 1})) {
            optimizer.update("w", weight, g);
        }
        assertThat(optimizer.state("w").step()).isEqualTo(4);
    }

    @Test
    void uncheckedLetsTheNonFiniteGradientThrough() {
        NDArray weight = manager.create(new float[] {1, 2, 3, 4});
        AdaBelief optimizer = warmedUp(NonFiniteGradientPolicy.UNCHECKED, weight);
        try (NDArray g = manager.create(new float[] {Float.NaN, 0, 0, 0})) {
            optimizer.update("w", weight, g);
        }
        assertThat(optimizer.state("w").step()).isEqualTo(4);
        assertThat(weight.toFloatArray()[0]).isNaN();
    }

    @Test
    void finiteGradientWhoseSumOverflowsIsAccepted() {
        NDArray weight = manager.create(new float[] {1, 2});
        AdaBelief optimizer = Descent.adaBelief().build();
        try (NDArray g = manager.create(new float[] {3e38f, 3e38f})) {
            optimizer.update("w", weight, g);
        }
        assertThat(optimizer.state("w").step()).isEqualTo(1);
        for (float v : weight.toFloatArray()) {
            assertThat(v).isFinite();
        }
    }
}
