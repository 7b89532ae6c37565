package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import dev.descent.curvature.DirectBuffers;
import dev.descent.curvature.GraphConstants;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.curvature.SafeL2Loss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sophia's curvature path, which the shared registry tests (always {@code h = 0}) do not reach:
 * parity with a fed curvature schedule, checkpoints holding {@code h}, the Hutchinson and
 * Gauss–Newton–Bartlett estimators, and the listener in DJL's training loop.
 */
class SophiaTest {

    private static final int SEED = 17;

    /**
     * Steps of the parity tests: six refreshes (after steps 5, 10, …, 30) with a schedule that
     * takes {@code h} negative on some elements and makes the clip bind on some and not on others.
     */
    private static final int STEPS = 32;

    private static final int K = 5;
    private static final int N = 12;
    private static final double BS = 8;
    private static final double RHO = 0.04;
    private static final double BETA2 = 0.5;

    private NDManager manager;

    /**
     * The engine's generator (block initializers) starts from the same state whatever ran before.
     */
    @BeforeEach
    void seedEngine() {
        Engine.getInstance().setRandomSeed(SEED);
    }

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Sophia.Builder parityBuilder() {
        return Descent.sophia()
                .setBatchSize(BS)
                .optRho(RHO)
                .optBeta2(BETA2)
                .optUpdateInterval(K)
                .optLearningRate(0.05);
    }

    /**
     * The fed estimate before step t + 1: {@code 20·(0.5 + cos(0.9t + 0.4i)) − 4}, in [−14, 26].
     */
    private static double[] curvature(int t) {
        double[] h = new double[N];
        for (int i = 0; i < N; i++) {
            h[i] = 20 * (0.5 + StrictMath.cos(0.9 * t + 0.4 * i)) - 4;
        }
        return h;
    }

    @Test
    void float64MatchesRederivationWithFedCurvature() {
        runParity(DataType.FLOAT64, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
    }

    @Test
    void float32StaysWithinFloat32ToleranceOfFloat64WithFedCurvature() {
        runParity(DataType.FLOAT32, Tolerance.F32_RTOL, Tolerance.F32_ATOL);
    }

    private void runParity(DataType type, double rtol, double atol) {
        Sophia sophia = parityBuilder().build();
        ReferenceOptimizers.Sophia reference =
                new ReferenceOptimizers.Sophia(N, 0.965, BETA2, RHO, BS, 0.1);
        double[] expected = Problems.start(N);
        NDArray weight = manager.create(expected.clone()).toType(type, false);
        int clipped = 0;
        int unclipped = 0;
        int negative = 0;
        for (int t = 1; t <= STEPS; t++) {
            if (t - 1 > 0 && (t - 1) % K == 0) {
                double[] estimate = curvature(t - 1);
                try (NDArray e = manager.create(estimate).toType(type, false)) {
                    sophia.refreshCurvature(Map.of("w", e));
                }
                reference.refresh(estimate);
            }
            double[] g = Problems.gradient(t, N);
            try (NDArray grad = manager.create(g).toType(type, false)) {
                sophia.update("w", weight, grad);
            }
            reference.step(expected, g, 0.05);
            for (int i = 0; i < N; i++) {
                double d = RHO * BS * reference.h[i];
                negative += reference.h[i] < 0 ? 1 : 0;
                if (Math.abs(reference.m[i]) < d) {
                    unclipped++;
                } else {
                    clipped++;
                }
            }
            double[] actual = weight.toType(DataType.FLOAT64, false).toDoubleArray();
            int bad = Tolerance.firstMismatch(actual, expected, rtol, atol);
            if (bad >= 0) {
                fail(
                        "step %d, element %d: got %s, expected %s (rtol %s, atol %s)",
                        t, bad, actual[bad], expected[bad], rtol, atol);
            }
        }
        assertThat(clipped).as("elements where the clip binds").isPositive();
        assertThat(unclipped).as("elements where it does not").isPositive();
        assertThat(negative).as("elements with h < 0").isPositive();
        double[] h = sophia.state("w").h().toType(DataType.FLOAT64, false).toDoubleArray();
        assertThat(Tolerance.firstMismatch(h, reference.h, rtol, atol)).as("h").isEqualTo(-1);
    }

    @Test
    void restoredCopyWithCurvatureStaysBitIdentical() throws IOException {
        Sophia original = parityBuilder().build();
        NDArray w = manager.create(Problems.toFloat(Problems.start(N)));
        for (int t = 1; t <= 7; t++) {
            stepWithSchedule(original, w, t);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.saveState(bytes);
        Sophia restored = parityBuilder().build();
        restored.loadState(new ByteArrayInputStream(bytes.toByteArray()), manager);
        assertThat(restored.state("w").h().toFloatArray())
                .as("restored h")
                .isEqualTo(original.state("w").h().toFloatArray())
                .isNotEqualTo(new float[N]);
        NDArray w2 = w.duplicate();
        for (int t = 8; t <= 25; t++) {
            stepWithSchedule(original, w, t);
            stepWithSchedule(restored, w2, t);
            assertThat(w2.toFloatArray()).as("w at step %d", t).isEqualTo(w.toFloatArray());
        }
        assertThat(restored.state("w").step()).isEqualTo(25);
    }

    private void stepWithSchedule(Sophia sophia, NDArray w, int t) {
        if (t - 1 > 0 && (t - 1) % K == 0) {
            try (NDArray e = manager.create(Problems.toFloat(curvature(t - 1)))) {
                sophia.refreshCurvature(Map.of("w", e));
            }
        }
        try (NDArray g = manager.create(Problems.toFloat(Problems.gradient(t, N)))) {
            sophia.update("w", w, g);
        }
    }

    /** A linear least-squares model in float64: {@code ½·mean((Xw − y)²)} has Hessian XᵀX/n. */
    private Block linearModel(int n, int d) {
        Block block = Linear.builder().setUnits(1).optBias(false).build();
        block.initialize(manager, DataType.FLOAT64, new Shape(n, d));
        return block;
    }

    private static double[] data(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    /** {@code u⊙(Au)} computed densely in double, with u drawn as the estimator draws it. */
    private static double[] denseHutchinson(double[] x, int n, int d, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = random.nextBoolean() ? 1 : -1;
        }
        double[] result = new double[d];
        for (int j = 0; j < d; j++) {
            double au = 0;
            for (int k = 0; k < d; k++) {
                double a = 0;
                for (int i = 0; i < n; i++) {
                    a += x[i * d + j] * x[i * d + k];
                }
                au += a * scale * u[k];
            }
            result[j] = u[j] * au;
        }
        return result;
    }

    @Test
    void hutchinsonDiagonalOfQuadraticIsUTimesAu() {
        int n = 9;
        int d = 6;
        double[] x = data(n, d, 11);
        Block block = linearModel(n, d);
        NDList inputs = new NDList(manager.create(x, new Shape(n, d)));
        try (HessianVectorProduct hessian =
                HessianVectorProduct.ofParameters(
                        block,
                        inputs,
                        out -> GraphConstants.mul(out.head().square().sum(), 0.5),
                        HessianVectorProduct.Method.EXACT)) {
            double[] actual =
                    SophiaEstimator.hutchinsonDiagonal(hessian, new SplittableRandom(5), manager)
                            .toDoubleArray();
            double[] expected = denseHutchinson(x, n, d, 1, 5);
            assertThat(Tolerance.firstMismatch(actual, expected, Tolerance.F64_RTOL, 1e-12))
                    .as("u⊙(Au) (rtol %s, atol 1e-12)", Tolerance.F64_RTOL)
                    .isEqualTo(-1);
        }
    }

    @Test
    void hutchinsonEstimatorOfLeastSquaresIsUTimesAuOverBatchSize() {
        assertHutchinsonEstimateOfLeastSquares(false);
    }

    /**
     * The estimate is computed in the probe u: made from Java data with a "copy" to its own device
     * (no copy on the CPU), it was a view of a freed buffer after a collection in float64.
     */
    @Test
    void hutchinsonEstimateIsStillRightAfterACollection() {
        assertHutchinsonEstimateOfLeastSquares(true);
    }

    private void assertHutchinsonEstimateOfLeastSquares(boolean collect) {
        int n = 9;
        int d = 6;
        double[] x = data(n, d, 12);
        Block block = linearModel(n, d);
        NDList inputs = new NDList(manager.create(x, new Shape(n, d)));
        NDList labels = new NDList(manager.create(data(n, 1, 13), new Shape(n, 1)));
        long settled = DirectBuffers.settle();
        Map<String, NDArray> estimate =
                SophiaEstimator.HUTCHINSON.estimate(
                        block,
                        new SafeL2Loss(),
                        inputs,
                        labels,
                        4,
                        new SplittableRandom(8),
                        manager);
        if (collect) {
            DirectBuffers.collectDownTo(settled);
        }
        String name = block.getParameters().get(0).getKey();
        assertThat(estimate).containsOnlyKeys(name);
        double[] actual = estimate.get(name).toDoubleArray();
        // The L2 loss is mean(½(ŷ − y)²): A = XᵀX/n; the estimator returns u⊙(Au)/bs.
        double[] expected = denseHutchinson(x, n, d, 1.0 / n / 4, 8);
        assertThat(Tolerance.firstMismatch(actual, expected, Tolerance.F64_RTOL, 1e-12))
                .as("u⊙(Au)/bs (rtol %s, atol 1e-12)", Tolerance.F64_RTOL)
                .isEqualTo(-1);
    }

    @Test
    void gaussNewtonBartlettIsTheSquaredGradientOnSampledLabelsAndIsSeeded() {
        int n = 7;
        int d = 3;
        int classes = 4;
        double[] x = data(n, d, 21);
        Block block = Linear.builder().setUnits(classes).optBias(false).build();
        block.initialize(manager, DataType.FLOAT64, new Shape(n, d));
        NDArray w = block.getParameters().get(0).getValue().getArray(); // (classes, d)
        double[] wv = w.toDoubleArray();
        NDList inputs = new NDList(manager.create(x, new Shape(n, d)));
        String name = block.getParameters().get(0).getKey();
        double[] actual =
                SophiaEstimator.GAUSS_NEWTON_BARTLETT
                        .estimate(block, null, inputs, null, n, new SplittableRandom(3), manager)
                        .get(name)
                        .toDoubleArray();
        // Re-derivation: softmax of the logits, one uniform per row drawn in row order, inverse
        // CDF, then ĝ = mean_i (p_i − e_ŷi) x_iᵀ and ĥ = ĝ⊙ĝ.
        SplittableRandom random = new SplittableRandom(3);
        double[] g = new double[classes * d];
        for (int i = 0; i < n; i++) {
            double[] p = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    p[c] += wv[c * d + j] * x[i * d + j];
                }
                max = Math.max(max, p[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(p[c] - max);
                sum += p[c];
            }
            for (int c = 0; c < classes; c++) {
                p[c] /= sum;
            }
            double u = random.nextDouble();
            double cumulative = 0;
            int sampled = classes - 1;
            for (int c = 0; c < classes; c++) {
                cumulative += p[c];
                if (u < cumulative) {
                    sampled = c;
                    break;
                }
            }
            for (int c = 0; c < classes; c++) {
                double r = p[c] - (c == sampled ? 1 : 0);
                for (int j = 0; j < d; j++) {
                    g[c * d + j] += r * x[i * d + j] / n;
                }
            }
        }
        double[] expected = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            expected[i] = g[i] * g[i];
        }
        assertThat(Tolerance.firstMismatch(actual, expected, 1e-9, 1e-14))
                .as("ĝ⊙ĝ (rtol 1e-9, atol 1e-14: float64 softmax and sums in another order)")
                .isEqualTo(-1);
        double[] again =
                SophiaEstimator.GAUSS_NEWTON_BARTLETT
                        .estimate(block, null, inputs, null, n, new SplittableRandom(3), manager)
                        .get(name)
                        .toDoubleArray();
        assertThat(again).as("same seed, same estimate").isEqualTo(actual);
    }

    @ParameterizedTest
    @EnumSource(SophiaEstimator.class)
    void listenerInTrainerLoopRefreshesAfterKStepsAndLowersTheLoss(SophiaEstimator estimator) {
        Sophia sophia =
                Descent.sophia()
                        .setBatchSize(TinyMlp.BATCH)
                        .optUpdateInterval(K)
                        .optLearningRate(0.01)
                        .build();
        SophiaCurvatureListener listener = new SophiaCurvatureListener(sophia, estimator, 17);
        try (TinyMlp mlp = new TinyMlp(sophia, listener)) {
            float first = mlp.loss();
            Batch batch =
                    new Batch(
                            mlp.trainer.getManager(),
                            new NDList(mlp.x),
                            new NDList(mlp.y),
                            TinyMlp.BATCH,
                            Batchifier.STACK,
                            Batchifier.STACK,
                            0,
                            0);
            for (int t = 1; t <= 60; t++) {
                EasyTrain.trainBatch(mlp.trainer, batch);
                mlp.trainer.step();
                for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
                    Sophia.State s = sophia.state(p.getValue().getId());
                    assertThat(s.step()).isEqualTo(t);
                    float maxAbsH = s.h().abs().max().getFloat();
                    if (t <= K) {
                        assertThat(maxAbsH)
                                .as("max |h| of %s after step %d", p.getKey(), t)
                                .isZero();
                    } else {
                        assertThat(maxAbsH)
                                .as("max |h| of %s after step %d", p.getKey(), t)
                                .isPositive();
                    }
                    if (estimator == SophiaEstimator.GAUSS_NEWTON_BARTLETT) {
                        assertThat(s.h().min().getFloat()).as("GNB h").isGreaterThanOrEqualTo(0f);
                    }
                }
            }
            float last = mlp.loss();
            assertThat(last).as("loss after 60 steps, first %s", first).isLessThan(0.7f * first);
        }
    }

    @Test
    void refreshLeavesParametersAndTheirGradientsUntouched() {
        Sophia sophia = Descent.sophia().setBatchSize(TinyMlp.BATCH).build();
        SophiaCurvatureListener listener =
                new SophiaCurvatureListener(sophia, SophiaEstimator.GAUSS_NEWTON_BARTLETT, 1);
        try (TinyMlp mlp = new TinyMlp(sophia)) {
            mlp.step();
            try (GradientCollector collector = mlp.trainer.newGradientCollector()) {
                NDArray prediction = mlp.trainer.forward(new NDList(mlp.x)).singletonOrThrow();
                collector.backward(
                        mlp.trainer.getLoss().evaluate(new NDList(mlp.y), new NDList(prediction)));
            }
            Map<String, float[]> weights = new HashMap<>();
            Map<String, float[]> gradients = new HashMap<>();
            ParameterList parameters = mlp.model.getBlock().getParameters();
            for (Pair<String, Parameter> p : parameters) {
                NDArray a = p.getValue().getArray();
                weights.put(p.getKey(), a.toFloatArray());
                gradients.put(p.getKey(), a.getGradient().toFloatArray());
            }
            listener.refresh(
                    mlp.model.getBlock(),
                    mlp.trainer.getLoss(),
                    new NDList(mlp.x),
                    new NDList(mlp.y),
                    1);
            for (Pair<String, Parameter> p : parameters) {
                NDArray a = p.getValue().getArray();
                assertThat(a.toFloatArray()).as(p.getKey()).isEqualTo(weights.get(p.getKey()));
                assertThat(a.getGradient().toFloatArray())
                        .as("gradient of %s", p.getKey())
                        .isEqualTo(gradients.get(p.getKey()));
                assertThat(sophia.state(p.getValue().getId()).h().abs().max().getFloat())
                        .as("h of %s", p.getKey())
                        .isPositive();
            }
            mlp.trainer.step();
        }
    }

    @Test
    void refusesInvalidHyperParameters() {
        expect(() -> Descent.sophia().build(), "batchSize must be set: the examples or tokens");
        expect(
                () -> Descent.sophia().setBatchSize(0).build(),
                "batchSize must be finite and > 0, got 0.0");
        expect(
                () -> Descent.sophia().setBatchSize(8).optRho(0).build(),
                "rho must be finite and > 0, got 0.0");
        expect(
                () -> Descent.sophia().setBatchSize(8).optRho(-0.1).build(),
                "rho must be finite and > 0, got -0.1");
        expect(
                () -> Descent.sophia().setBatchSize(8).optUpdateInterval(0).build(),
                "updateInterval must be >= 1, got 0");
        expect(
                () -> Descent.sophia().setBatchSize(8).optBeta1(1.0).build(),
                "beta1 must be in [0.0, 1.0), got 1.0");
        expect(
                () -> Descent.sophia().setBatchSize(8).optBeta2(-0.01).build(),
                "beta2 must be in [0.0, 1.0), got -0.01");
        expect(
                () -> Descent.sophia().setBatchSize(8).optWeightDecay(-1).build(),
                "weightDecay must be finite and >= 0, got -1.0");
    }

    @Test
    void refusesCurvatureForParametersWithoutStateOrOfTheWrongShape() {
        Sophia sophia = Descent.sophia().setBatchSize(8).build();
        NDArray w = manager.zeros(new Shape(3));
        try (NDArray e = manager.ones(new Shape(3))) {
            assertThatThrownBy(() -> sophia.refreshCurvature(Map.of("w", e)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parameter 'w' has taken no step yet");
        }
        try (NDArray g = manager.ones(new Shape(3))) {
            sophia.update("w", w, g);
        }
        try (NDArray e = manager.ones(new Shape(4))) {
            assertThatThrownBy(() -> sophia.refreshCurvature(Map.of("w", e)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "curvature estimate of parameter 'w' is (4) float32 on cpu(),"
                                    + " expected (3) float32 on cpu()");
        }
        assertThat(sophia.state("w").h().toFloatArray()).isEqualTo(new float[3]);
    }

    private static void expect(Supplier<Sophia> build, String message) {
        assertThatThrownBy(build::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
