package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer trained through DJL's real Trainer loop on the PyTorch engine: the loss falls and
 * the gradients are zero after each step (they would accumulate otherwise, and every step after the
 * first would be wrong — unit tests calling update() directly cannot see that).
 */
class TrainerIntegrationTest {

    private static final int STEPS = 60;

    static Stream<OptimizerCase> cases() {
        return OptimizerRegistry.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lowersTheLossAndClearsGradients(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        try (TinyMlp mlp = new TinyMlp(optimizer)) {
            trainAndCheck(mlp);
        }
    }

    /** The same bound to the model, as Descent.trainingConfig does: the step-level check runs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lowersTheLossAndClearsGradientsWhenBound(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        try (TinyMlp mlp = new TinyMlp(optimizer, BindingListener.of(optimizer))) {
            trainAndCheck(mlp);
        }
    }

    private static void trainAndCheck(TinyMlp mlp) {
        float first = mlp.step();
        for (int i = 1; i < STEPS; i++) {
            mlp.step();
            for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
                try (NDArray g = p.getValue().getArray().getGradient();
                        NDArray abs = g.abs();
                        NDArray max = abs.max()) {
                    assertThat(max.getFloat()).as("|grad| of %s after step", p.getKey()).isZero();
                }
            }
        }
        float last = mlp.loss();
        assertThat(last).as("loss after %d steps, first %s", STEPS, first).isLessThan(0.7f * first);
    }
}
