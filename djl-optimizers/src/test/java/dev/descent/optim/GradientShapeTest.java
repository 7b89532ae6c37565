package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A gradient of another shape than its (3, 4) weight is refused by every optimizer before anything
 * is modified: the ones that broadcast ((4), (1, 4), (3, 1), (1)), the ones that reshape ((12), (4,
 * 3)) and one with an extra axis ((3, 4, 1)).
 */
class GradientShapeTest {

    private static final Shape WEIGHT = new Shape(3, 4);

    private static final List<Shape> WRONG =
            List.of(
                    new Shape(12),
                    new Shape(4, 3),
                    new Shape(1, 4),
                    new Shape(3, 1),
                    new Shape(1),
                    new Shape(3, 4, 1));

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    static Stream<Arguments> cases() {
        return OptimizerRegistry.all().stream()
                .flatMap(c -> WRONG.stream().map(s -> Arguments.of(c, s)));
    }

    private static List<byte[]> bytes(ParameterState state) {
        List<byte[]> b = new ArrayList<>();
        state.buffers().forEach(a -> b.add(a.toByteArray()));
        return b;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void wrongShapeIsRefusedNamingParameterAndShapesWithNothingModified(
            OptimizerCase c, Shape wrong) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(WEIGHT);
            for (int t = 1; t <= 2; t++) {
                try (NDArray g = scope.create(Problems.toFloat(Problems.gradient(t, 12)), WEIGHT)) {
                    optimizer.update("w", w, g);
                }
            }
            byte[] weight = w.toByteArray();
            ParameterState before = optimizer.state("w");
            List<byte[]> state = bytes(before);
            try (NDArray g = scope.ones(wrong)) {
                assertThatThrownBy(() -> optimizer.update("w", w, g))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("parameter 'w'")
                        .hasMessageContaining(wrong.toString())
                        .hasMessageContaining(WEIGHT.toString());
            }
            assertThat(w.toByteArray()).as("weight").isEqualTo(weight);
            ParameterState after = optimizer.state("w");
            assertThat(after.step()).isEqualTo(2);
            assertThat(bytes(after)).containsExactlyElementsOf(state);
            try (NDArray g = scope.ones(WEIGHT)) {
                optimizer.update("w", w, g);
            }
            assertThat(optimizer.state("w").step()).isEqualTo(3);
        }
    }

    @Test
    void wholeModelOptimizerRefusesTheWholeStepAndTheNextStepTrains() {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(5);
            Block block = Linear.builder().setUnits(3).build();
            block.initialize(scope, DataType.FLOAT32, new Shape(1, 4));
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                params.add(p.getValue());
            }
            Parameter weight = params.get(0);
            assertThat(weight.getArray().getShape()).isEqualTo(WEIGHT);
            MFac mfac = Descent.mFac().optGradients(4).build();
            mfac.bind(block);
            step(mfac, params, null);
            for (Shape wrong : WRONG) {
                List<byte[]> weights =
                        params.stream().map(p -> p.getArray().toByteArray()).toList();
                List<byte[]> state = bytes(mfac.state());
                assertThatThrownBy(() -> step(mfac, params, wrong))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("parameter '" + block.getParameters().get(0).getKey())
                        .hasMessageContaining(wrong.toString())
                        .hasMessageContaining(WEIGHT.toString())
                        .hasMessageContaining("no weight moved");
                assertThat(params.stream().map(p -> p.getArray().toByteArray()).toList())
                        .containsExactlyElementsOf(weights);
                assertThat(mfac.state().step()).isEqualTo(1);
                assertThat(bytes(mfac.state())).containsExactlyElementsOf(state);
            }
            step(mfac, params, null);
            assertThat(mfac.state().step()).isEqualTo(2);
        }
    }

    /** One step of ones, bias first; the weight's gradient of shape {@code wrong} when not null. */
    private static void step(MFac mfac, List<Parameter> params, Shape wrong) {
        for (int i = params.size() - 1; i >= 0; i--) {
            NDArray w = params.get(i).getArray();
            Shape shape = i == 0 && wrong != null ? wrong : w.getShape();
            try (NDArray g = w.getManager().ones(shape)) {
                mfac.update(params.get(i).getId(), w, g);
            }
        }
    }
}
