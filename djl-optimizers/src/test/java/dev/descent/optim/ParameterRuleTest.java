package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-parameter rules, name binding, and checkpoints keyed by name. */
class ParameterRuleTest {

    private static Map<String, float[]> snapshot(TinyMlp mlp) {
        Map<String, float[]> w = new HashMap<>();
        for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
            w.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return w;
    }

    @Test
    void oneDimensionalRuleExemptsBiasesFromDecay() {
        // One SGD step from the same seed three ways: biases must move as without decay,
        // matrices as with decay.
        DescentOptimizer<?> exempt =
                Descent.sgd()
                        .optLearningRate(0.1)
                        .optWeightDecay(0.5)
                        .optParameterRule(ParameterRule.oneDimensional().weightDecay(0))
                        .build();
        DescentOptimizer<?> noDecay = Descent.sgd().optLearningRate(0.1).build();
        DescentOptimizer<?> decayAll =
                Descent.sgd().optLearningRate(0.1).optWeightDecay(0.5).build();
        Map<String, float[]> a;
        Map<String, float[]> b;
        Map<String, float[]> c;
        try (TinyMlp mlp = new TinyMlp(exempt)) {
            mlp.step();
            a = snapshot(mlp);
        }
        try (TinyMlp mlp = new TinyMlp(noDecay)) {
            mlp.step();
            b = snapshot(mlp);
        }
        try (TinyMlp mlp = new TinyMlp(decayAll)) {
            mlp.step();
            c = snapshot(mlp);
        }
        for (String name : a.keySet()) {
            if (name.endsWith("bias")) {
                assertThat(a.get(name)).as(name).isEqualTo(b.get(name));
            } else {
                assertThat(a.get(name)).as(name).isEqualTo(c.get(name));
                assertThat(a.get(name)).as(name).isNotEqualTo(b.get(name));
            }
        }
    }

    @Test
    void nameRuleScalesTheLearningRateOfBoundParameters() {
        DescentOptimizer<?> sgd =
                Descent.sgd()
                        .optLearningRate(0.1)
                        .optParameterRule(
                                ParameterRule.nameMatches("^03Linear").learningRateScale(0))
                        .build();
        try (TinyMlp mlp = new TinyMlp(sgd)) {
            sgd.bind(mlp.model.getBlock());
            Map<String, float[]> before = snapshot(mlp);
            mlp.step();
            Map<String, float[]> after = snapshot(mlp);
            assertThat(before.keySet()).contains("03Linear_weight", "01Linear_weight");
            for (String name : before.keySet()) {
                if (name.startsWith("03Linear")) {
                    assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
                } else {
                    assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
                }
            }
        }
    }

    @Test
    void checkpointKeyedByNameRestoresIntoANewModelInstance() throws IOException {
        DescentOptimizer<?> first = Descent.adaBelief().optLearningRate(0.01).build();
        byte[] checkpoint;
        Map<String, float[]> trained;
        try (TinyMlp mlp = new TinyMlp(first)) {
            first.bind(mlp.model.getBlock());
            for (int i = 0; i < 5; i++) {
                mlp.step();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            first.saveState(out);
            checkpoint = out.toByteArray();
            trained = snapshot(mlp);
            mlp.step();
            trained.putAll(prefixed(snapshot(mlp)));
        }
        DescentOptimizer<?> resumed = Descent.adaBelief().optLearningRate(0.01).build();
        try (TinyMlp mlp = new TinyMlp(resumed)) {
            assertThatThrownBy(
                            () ->
                                    resumed.loadState(
                                            new ByteArrayInputStream(checkpoint),
                                            mlp.trainer.getManager()))
                    .hasMessageContaining("call bind(block) before loadState");
            resumed.bind(mlp.model.getBlock());
            resumed.loadState(new ByteArrayInputStream(checkpoint), mlp.trainer.getManager());
            for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
                NDArray array = p.getValue().getArray();
                array.set(java.nio.FloatBuffer.wrap(trained.get(p.getKey())));
                assertThat(resumed.state(p.getValue().getId()).step()).isEqualTo(5);
            }
            mlp.step();
            Map<String, float[]> after = snapshot(mlp);
            for (String name : after.keySet()) {
                float[] expected = trained.get("next/" + name);
                float[] actual = after.get(name);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as(name).isCloseTo(expected[i], within(1e-6f));
                }
            }
        }
    }

    private static Map<String, float[]> prefixed(Map<String, float[]> m) {
        Map<String, float[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put("next/" + k, v));
        return out;
    }

    @Test
    void checkpointOfAnotherOptimizerIsRefused() throws IOException {
        DescentOptimizer<?> lion = Descent.lion().build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lion.saveState(out);
        try (TinyMlp mlp = new TinyMlp(Descent.sgd().build())) {
            assertThatThrownBy(
                            () ->
                                    Descent.adaBelief()
                                            .build()
                                            .loadState(
                                                    new ByteArrayInputStream(out.toByteArray()),
                                                    mlp.trainer.getManager()))
                    .isInstanceOf(IOException.class)
                    .hasMessage(
                            "checkpoint was written by dev.descent.optim.Lion, not by"
                                    + " dev.descent.optim.AdaBelief");
            assertThatThrownBy(
                            () ->
                                    Descent.lion()
                                            .build()
                                            .loadState(
                                                    new ByteArrayInputStream(
                                                            new byte[] {1, 2, 3, 4}),
                                                    mlp.trainer.getManager()))
                    .hasMessage("not a Descent optimizer checkpoint (bad magic number)");
        }
    }
}
