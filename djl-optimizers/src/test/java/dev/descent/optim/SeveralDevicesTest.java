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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training on two devices as DJL's {@code LocalParameterServer} does it, replayed on one CPU: DJL
 * 0.36 maps {@code Device.of("cpu", 1)} to {@code cpu()} and its trainer refuses a device twice, so
 * two real devices cannot be had here. Per parameter and step the replay sums the two devices'
 * gradients, hands a duplicate of the sum to the first device's update and then a copy of that same
 * array, made after that update, to the second device's — DJL's exact order — with the devices
 * named by the separate argument of {@code update}.
 */
class SeveralDevicesTest {

    private static final Device FIRST = Device.gpu(0);
    private static final Device SECOND = Device.gpu(1);
    private static final Device[] BOTH = {FIRST, SECOND};
    private static final int STEPS = 6;

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    static Stream<OptimizerCase> cases() {
        return OptimizerRegistry.all().stream();
    }

    /** A Linear layer of a (3, 4) weight and a (3) bias, the shapes of the registry tests. */
    private static Block block(NDManager scope) {
        Engine.getInstance().setRandomSeed(9);
        Block block = Linear.builder().setUnits(3).build();
        block.initialize(scope, DataType.FLOAT32, new Shape(1, 4));
        return block;
    }

    private static List<Parameter> parameters(Block block) {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            list.add(p.getValue());
        }
        return list;
    }

    /** The gradient of parameter {@code i} on device {@code d} at step {@code t}. */
    private static NDArray gradient(NDManager scope, Parameter p, int i, int d, int t) {
        Shape shape = p.getArray().getShape();
        double[] g = Problems.gradient(t + 5 * i + 11 * d, Math.toIntExact(shape.size()));
        return scope.create(Problems.toFloat(g), shape);
    }

    /** One step of both replicas, in LocalParameterServer's order. */
    private static void parallelStep(
            NDManager scope,
            DescentOptimizer<?> optimizer,
            List<Parameter> params,
            List<NDArray> first,
            List<NDArray> second,
            int t) {
        for (int i = 0; i < params.size(); i++) {
            String id = params.get(i).getId();
            try (NDArray g0 = gradient(scope, params.get(i), i, 0, t);
                    NDArray g1 = gradient(scope, params.get(i), i, 1, t);
                    NDArray sum = g0.add(g1);
                    NDArray handed = sum.duplicate()) {
                optimizer.update(id, FIRST, first.get(i), handed);
                try (NDArray copy = handed.duplicate()) {
                    optimizer.update(id, SECOND, second.get(i), copy);
                }
            }
        }
    }

    /** The same step on one device, with the summed gradient. */
    private static void singleStep(
            NDManager scope,
            DescentOptimizer<?> optimizer,
            List<Parameter> params,
            List<NDArray> weights,
            int t) {
        for (int i = 0; i < params.size(); i++) {
            try (NDArray g0 = gradient(scope, params.get(i), i, 0, t);
                    NDArray g1 = gradient(scope, params.get(i), i, 1, t);
                    NDArray sum = g0.add(g1)) {
                optimizer.update(params.get(i).getId(), weights.get(i), sum);
            }
        }
    }

    private static List<NDArray> copies(List<Parameter> params) {
        return params.stream().map(p -> p.getArray().duplicate()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bothReplicasFollowTheOneDeviceRunBitForBit(OptimizerCase c) {
        try (NDManager scope = manager.newSubManager()) {
            Block block = block(scope);
            List<Parameter> params = parameters(block);
            DescentOptimizer<?> parallel = c.build(c.lr());
            parallel.bind(block, BOTH);
            DescentOptimizer<?> single = c.build(c.lr());
            single.bind(block);
            List<NDArray> first = copies(params);
            List<NDArray> second = copies(params);
            List<NDArray> reference = copies(params);
            for (int t = 1; t <= STEPS; t++) {
                parallelStep(scope, parallel, params, first, second, t);
                singleStep(scope, single, params, reference, t);
                for (int i = 0; i < params.size(); i++) {
                    byte[] expected = reference.get(i).toByteArray();
                    assertThat(first.get(i).toByteArray())
                            .as("parameter %d on the first device, step %d", i, t)
                            .isEqualTo(expected);
                    assertThat(second.get(i).toByteArray())
                            .as("parameter %d on the second device, step %d", i, t)
                            .isEqualTo(expected);
                }
            }
            for (Parameter p : params) {
                assertThat(parallel.state(p.getId(), FIRST).step()).isEqualTo(STEPS);
                assertThat(parallel.state(p.getId(), SECOND).step()).isEqualTo(STEPS);
            }
            assertThat(parallel.stateBytes()).isEqualTo(2 * single.stateBytes());
        }
    }

    @Test
    void aCheckpointHoldsOneReplicaAndRestoresBoth() throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            Block block = block(scope);
            List<Parameter> params = parameters(block);
            AdaBelief original = Descent.adaBelief().optLearningRate(1e-2).build();
            original.bind(block, BOTH);
            List<NDArray> first = copies(params);
            List<NDArray> second = copies(params);
            for (int t = 1; t <= 3; t++) {
                parallelStep(scope, original, params, first, second, t);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveState(bytes);
            AdaBelief restored = Descent.adaBelief().optLearningRate(1e-2).build();
            restored.bind(block, BOTH);
            restored.loadState(new ByteArrayInputStream(bytes.toByteArray()), scope);
            assertThat(restored.stateBytes()).isEqualTo(original.stateBytes() / 2);
            List<NDArray> first2 = first.stream().map(NDArray::duplicate).toList();
            List<NDArray> second2 = second.stream().map(NDArray::duplicate).toList();
            for (int t = 4; t <= STEPS; t++) {
                parallelStep(scope, original, params, first, second, t);
                parallelStep(scope, restored, params, first2, second2, t);
                for (int i = 0; i < params.size(); i++) {
                    assertThat(first2.get(i).toByteArray()).isEqualTo(first.get(i).toByteArray());
                    assertThat(second2.get(i).toByteArray()).isEqualTo(second.get(i).toByteArray());
                }
            }
            assertThat(restored.stateBytes()).isEqualTo(original.stateBytes());
        }
    }

    @Test
    void anUpdateOnAnotherDeviceIsRefused() {
        try (NDManager scope = manager.newSubManager()) {
            Block block = block(scope);
            Parameter p = parameters(block).get(0);
            AdaBelief optimizer = Descent.adaBelief().build();
            optimizer.bind(block, BOTH);
            NDArray w = p.getArray().duplicate();
            try (NDArray g = w.onesLike()) {
                assertThatThrownBy(() -> optimizer.update(p.getId(), Device.gpu(2), w, g))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("is updated on gpu(2)")
                        .hasMessageContaining("[gpu(0), gpu(1)]");
            }
        }
    }

    @Test
    void aWholeModelOptimizerRefusesSeveralDevicesWhenBound() {
        try (NDManager scope = manager.newSubManager()) {
            Block block = block(scope);
            MFac mfac = Descent.mFac().build();
            assertThatThrownBy(() -> mfac.bind(block, BOTH))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("MFac trains on one device, but the trainer has [gpu(0), gpu(1)]");
        }
    }
}
