package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.descent.optim.ReferenceOptimizers.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared tests every optimizer of the registry must pass. */
class OptimizerRegistryTest {

    private static final int SEED = 17;

    /**
     * Steps of the parity tests: past AdaBelief's and RAdam's switch from the SGD warm-up to the
     * rectified update (step 6–7 with these betas), SGD's first-step buffer copy, and long enough
     * for rounding differences to accumulate if the rule were wrong.
     */
    private static final int PARITY_STEPS = 25;

    private static final int N = 12;

    /** Steps before the first count of live arrays; the second comes after three times as many. */
    private static final int LEAK_STEPS = 5;

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

    /**
     * The engine's generator (randomNormal draws) starts from the same state whatever ran before.
     */
    @BeforeEach
    void seedEngine() {
        Engine.getInstance().setRandomSeed(SEED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float64EngineMatchesFloat64Rederivation(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        Reference reference = c.reference().apply(N);
        double[] expected = Problems.start(N);
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(expected.clone());
            for (int t = 1; t <= PARITY_STEPS; t++) {
                double[] g = Problems.gradient(t, N);
                try (NDArray grad = scope.create(g)) {
                    optimizer.update("w", weight, grad);
                }
                reference.step(expected, g, c.lr());
                assertClose(
                        weight.toDoubleArray(),
                        expected,
                        Tolerance.F64_RTOL,
                        Tolerance.F64_ATOL,
                        t);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32EngineStaysWithinFloat32ToleranceOfFloat64(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        Reference reference = c.reference().apply(N);
        double[] expected = Problems.start(N);
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(Problems.toFloat(expected));
            for (int t = 1; t <= PARITY_STEPS; t++) {
                double[] g = Problems.gradient(t, N);
                try (NDArray grad = scope.create(Problems.toFloat(g))) {
                    optimizer.update("w", weight, grad);
                }
                reference.step(expected, g, c.lr());
                assertClose(
                        Problems.toDouble(weight.toFloatArray()),
                        expected,
                        Tolerance.F32_RTOL,
                        Tolerance.F32_ATOL,
                        t);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void convergesOnIllConditionedQuadratic(OptimizerCase c) {
        double[] start = {1, -1.5, 2, -0.5, 1};
        double f0 = Problems.quadratic(start);
        double f = minimize(c, start, Problems::quadraticGradient, Problems::quadratic, 3000);
        assertThat(f).as("f after 3000 steps (f0 = %s)", f0).isLessThan(1e-3 * f0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void makesProgressOnRosenbrock(OptimizerCase c) {
        double[] start = {-1.5, 2};
        double f0 = Problems.rosenbrock(start);
        double f = minimize(c, start, Problems::rosenbrockGradient, Problems::rosenbrock, 3000);
        assertThat(f).as("f after 3000 steps (f0 = %s)", f0).isLessThan(0.1 * f0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void restoredCopyStaysBitIdenticalInLockStep(OptimizerCase c) throws IOException {
        DescentOptimizer<?> original = c.build(c.lr());
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(new Shape(3, 4));
            NDArray b = scope.randomNormal(new Shape(4));
            for (int t = 0; t < 5; t++) {
                stepBoth(scope, original, w, b, t);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveState(bytes);

            DescentOptimizer<?> restored = c.build(c.lr());
            restored.loadState(new ByteArrayInputStream(bytes.toByteArray()), scope);
            assertThat(restored.stateBytes()).isEqualTo(original.stateBytes());
            NDArray w2 = w.duplicate();
            NDArray b2 = b.duplicate();
            for (int t = 5; t < 25; t++) {
                stepBoth(scope, original, w, b, t);
                stepBoth(scope, restored, w2, b2, t);
                assertThat(w2.toFloatArray()).as("w at step %d", t + 1).isEqualTo(w.toFloatArray());
                assertThat(b2.toFloatArray()).as("b at step %d", t + 1).isEqualTo(b.toFloatArray());
            }
            assertThat(restored.state("w").step()).isEqualTo(25);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateViewNamesEveryLiveStateTensorOnce(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(new Shape(3, 4));
            NDArray b = scope.randomNormal(new Shape(4));
            for (int t = 0; t < 3; t++) {
                stepBoth(scope, optimizer, w, b, t);
            }
            Map<String, NDArray> view = optimizer.stateView();
            for (String id : new String[] {"w", "b"}) {
                ParameterState state = optimizer.state(id);
                Set<NDArray> named = Collections.newSetFromMap(new IdentityHashMap<>());
                view.forEach(
                        (key, array) -> {
                            if (key.startsWith(id + "/")) {
                                named.add(array);
                            }
                        });
                Set<NDArray> held = Collections.newSetFromMap(new IdentityHashMap<>());
                held.addAll(state.buffers());
                assertThat(named).as("tensors named %s/…", id).isEqualTo(held);
                assertThat(state.bufferNames()).doesNotHaveDuplicates();
            }
            assertThat(view)
                    .hasSize(
                            optimizer.state("w").buffers().size()
                                    + optimizer.state("b").buffers().size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsStepCountsPerParameterAndReportsStateBytes(OptimizerCase c) {
        DescentOptimizer<?> optimizer = c.build(c.lr());
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(new Shape(3, 4));
            NDArray b = scope.randomNormal(new Shape(4));
            for (int t = 0; t < 3; t++) {
                stepBoth(scope, optimizer, w, b, t);
            }
            try (NDArray g = scope.ones(w.getShape())) {
                optimizer.update("w", w, g);
            }
            assertThat(optimizer.state("w").step()).isEqualTo(4);
            assertThat(optimizer.state("b").step()).isEqualTo(3);
            long expected = 0;
            for (String id : new String[] {"w", "b"}) {
                for (NDArray a : optimizer.state(id).buffers()) {
                    expected += a.size() * a.getDataType().getNumOfBytes();
                }
            }
            assertThat(optimizer.stateBytes()).isEqualTo(expected);
            assertThat(
                            Arrays.stream(Problems.toDouble(w.toFloatArray()))
                                    .allMatch(Double::isFinite))
                    .isTrue();
        }
    }

    /**
     * Steps close every temporary: the arrays alive in the step's manager after {@value
     * #LEAK_STEPS} steps (when the state exists) are still exactly those after three times as many.
     * Gradient clipping is on ({@code c = 0.5}, below some of the gradients' entries) so that its
     * path is counted too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepsLeaveNoArraysBehind(OptimizerCase c) {
        DescentOptimizer<?> optimizer =
                c.builder().get().optLearningRate(c.lr()).optClipGrad(0.5f).build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(new Shape(3, 4));
            NDArray b = scope.randomNormal(new Shape(4));
            int[] live = new int[2];
            int t = 0;
            for (int round = 0; round < 2; round++) {
                for (int end = (2 * round + 1) * LEAK_STEPS; t < end; t++) {
                    stepBoth(scope, optimizer, w, b, t);
                }
                live[round] = scope.getManagedArrays().size();
            }
            assertThat(live[1])
                    .as("live arrays after %d steps (%d after %d)", t, live[0], LEAK_STEPS)
                    .isEqualTo(live[0]);
        }
    }

    private static void stepBoth(
            NDManager scope, DescentOptimizer<?> optimizer, NDArray w, NDArray b, int t) {
        float[] gw = Problems.toFloat(Problems.gradient(t + 1, 12));
        float[] gb = Problems.toFloat(Problems.gradient(t + 7, 4));
        try (NDArray g1 = scope.create(gw, new Shape(3, 4));
                NDArray g2 = scope.create(gb)) {
            optimizer.update("w", w, g1);
            optimizer.update("b", b, g2);
        }
    }

    private static double minimize(
            OptimizerCase c,
            double[] start,
            Function<double[], double[]> gradient,
            ToDoubleFunction<double[]> f,
            int steps) {
        DescentOptimizer<?> optimizer = c.build(c.convergenceLr());
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(start.clone());
            for (int t = 0; t < steps; t++) {
                try (NDArray g = scope.create(gradient.apply(x.toDoubleArray()))) {
                    optimizer.update("x", x, g);
                }
            }
            return f.applyAsDouble(x.toDoubleArray());
        }
    }

    private static void assertClose(
            double[] actual, double[] expected, double rtol, double atol, int step) {
        int bad = Tolerance.firstMismatch(actual, expected, rtol, atol);
        if (bad >= 0) {
            fail(
                    "step %d, element %d: got %s, expected %s (rtol %s, atol %s)",
                    step, bad, actual[bad], expected[bad], rtol, atol);
        }
    }
}
