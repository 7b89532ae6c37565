package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import org.junit.jupiter.api.Test;

class PyTorchEngineTest {

    @Test
    void defaultEngineIsPyTorchFromTheMavenNativeJar() {
        Engine engine = Engine.getInstance();
        assertThat(engine.getEngineName()).isEqualTo("PyTorch");
        // the libtorch of the build's pytorch-native jar (2.7.1; 2.5.1 under -Pcuda)
        assertThat(engine.getVersion()).startsWith(System.getProperty("descent.pytorch.version"));
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        try (NDManager manager = NDManager.newBaseManager();
                NDArray a = manager.create(new float[] {1, 2, 3})) {
            assertThat(a).isInstanceOf(PtNDArray.class);
            assertThat(a.sum().getFloat()).isEqualTo(6f);
        }
    }
}
