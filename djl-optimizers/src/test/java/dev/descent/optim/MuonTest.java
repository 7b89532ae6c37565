package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Muon's matrix path against a float64 re-derivation, and its default split of a DJL block. */
class MuonTest {

    private static final int SEED = 17;

    /** Steps of the parity test: long enough for momentum and decay to matter (β^25 ≈ 0.28). */
    private static final int STEPS = 25;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * The engine's generator (block initializers) starts from the same state whatever ran before.
     */
    @BeforeEach
    void seedEngine() {
        Engine.getInstance().setRandomSeed(SEED);
    }

    @ParameterizedTest(name = "{0}x{1} nesterov={2}")
    @CsvSource({"4, 7, true", "7, 4, true", "5, 5, false"})
    void hiddenMatrixMatchesFloat64Rederivation(int rows, int cols, boolean nesterov) {
        double lr = 0.02;
        double momentum = 0.9;
        double wd = 0.1;
        Muon muon =
                Descent.muon()
                        .optLearningRate(lr)
                        .optMomentum(momentum)
                        .optNesterov(nesterov)
                        .optWeightDecay(wd)
                        .optMatrixFilter(info -> true)
                        .build();
        int n = rows * cols;
        double[] p = Problems.start(n);
        double[] buf = new double[n];
        double scale = Math.sqrt(Math.max(1, (double) rows / cols));
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(p.clone(), new Shape(rows, cols));
            for (int t = 1; t <= STEPS; t++) {
                double[] g = Problems.gradient(t, n);
                try (NDArray grad = scope.create(g, new Shape(rows, cols))) {
                    muon.update("hidden", w, grad);
                }
                double[] u = new double[n];
                for (int i = 0; i < n; i++) {
                    buf[i] = momentum * buf[i] + (1 - momentum) * g[i];
                    u[i] = nesterov ? (1 - momentum) * g[i] + momentum * buf[i] : buf[i];
                }
                double[] o = Matrices.flat(Matrices.newtonSchulz(Matrices.of(u, rows, cols), 5));
                for (int i = 0; i < n; i++) {
                    p[i] = p[i] * (1 - lr * wd) - lr * scale * o[i];
                }
                int bad =
                        Tolerance.firstMismatch(
                                w.toDoubleArray(), p, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
                if (bad >= 0) {
                    fail(
                            "step %d element %d: got %s, expected %s",
                            t, bad, w.toDoubleArray()[bad], p[bad]);
                }
            }
        }
    }

    @Test
    void boundBlockSendsHiddenWeightsToNewtonSchulzAndTheRestToAdamW() {
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(8).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(3).build());
        try (NDManager scope = manager.newSubManager()) {
            block.initialize(scope, DataType.FLOAT32, new Shape(1, 5));
            Muon muon = Descent.muon().build().bind(block);
            Map<String, Boolean> routes = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                routes.put(
                        p.getKey(),
                        muon.isHiddenMatrix(
                                new ParameterInfo(
                                        p.getValue().getId(),
                                        p.getKey(),
                                        p.getValue().getArray().getShape())));
            }
            assertThat(routes)
                    .containsExactly(
                            Map.entry("01Linear_weight", true),
                            Map.entry("01Linear_bias", false),
                            Map.entry("03Linear_weight", true),
                            Map.entry("03Linear_bias", false),
                            Map.entry("05Linear_weight", false),
                            Map.entry("05Linear_bias", false));
        }
    }

    @Test
    void filterReplacesTheDefaultChoice() {
        Muon muon = Descent.muon().optMatrixFilter(p -> p.name().startsWith("keep")).build();
        assertThat(muon.isHiddenMatrix(new ParameterInfo("a", "keep", new Shape(3, 3)))).isTrue();
        assertThat(muon.isHiddenMatrix(new ParameterInfo("b", "drop", new Shape(3, 3)))).isFalse();
        assertThat(muon.isHiddenMatrix(new ParameterInfo("c", "keep", new Shape(3)))).isFalse();
    }
}
