package dev.descent.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SurrogatesTest {

    /**
     * Central differences on a float32 model against the exact gradient: truncation O(h²) ≈ 2e-5
     * and float32 rounding ε/h ≈ 2.4e-5 relative to the outputs, so 1e-3 of the gradient's scale
     * leaves a margin of about twenty.
     */
    private static final double FD_VS_EXACT_TOL = 1e-3;

    /**
     * SPSA with K directions has a standard error of about ‖g‖·√(n/K) per coordinate; with n = 4
     * and K = 20000, 0.05·‖g‖ is more than three standard errors.
     */
    private static final double SPSA_VS_EXACT_TOL = 0.05;

    private static final int SPSA_SAMPLES = 20_000;

    private static double[][] randomPoints(int rows, int n, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][n];
        for (double[] row : x) {
            for (int i = 0; i < n; i++) {
                row[i] = random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void surrogatesCloseTwice() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset17.onnx"))) {
            for (DerivativeMode mode : DerivativeMode.values()) {
                Surrogate phi = Surrogates.builder(model).optMode(mode).build();
                phi.close();
                phi.close();
            }
            assertThat(model.evaluate(new float[][] {{1, 2, 3, 4}})[0]).hasSize(2);
        }
    }

    @Test
    void importableGraphGetsExactDerivativesAutomatically() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset17.onnx"));
                Surrogate phi = Surrogates.builder(model).build()) {
            assertThat(phi.exactDerivatives()).isTrue();
            assertThat(phi.inputDimension()).isEqualTo(4);
            assertThat(phi.outputDimension()).isEqualTo(2);
            double[][] x = randomPoints(5, 4, 1);
            double[][] y = phi.evaluate(x);
            float[][] direct = model.evaluate(toFloat(x));
            for (int r = 0; r < x.length; r++) {
                for (int j = 0; j < 2; j++) {
                    assertThat(y[r][j]).isEqualTo(direct[r][j], offset(0.0));
                }
            }
            assertThat(phi.evaluations()).isEqualTo(5);
            phi.gradient(x, new double[] {1, -1});
            assertThat(phi.evaluations()).isEqualTo(10);
            assertThat(phi.derivativeRequests()).isEqualTo(5);
        }
    }

    /**
     * On a smooth network (LayerNorm and GELU; no ReLU or max-pool kinks a probe could straddle).
     */
    @Test
    void centralDifferencesAgreeWithExactGradientAndCount2nPerPoint() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("layernorm_opset13.onnx"));
                Surrogate exact = Surrogates.builder(model).optMode(DerivativeMode.EXACT).build();
                Surrogate fd =
                        Surrogates.builder(model)
                                .optMode(DerivativeMode.CENTRAL_DIFFERENCES)
                                .build()) {
            assertThat(fd.exactDerivatives()).isFalse();
            int n = exact.inputDimension();
            assertThat(n).isEqualTo(6);
            double[][] x = randomPoints(3, n, 2);
            double[] w = {1.0, -2.0, 0.5};
            double[][] g = exact.gradient(x, w);
            double[][] estimate = fd.gradient(x, w);
            assertThat(fd.evaluations()).isEqualTo(3L * 2 * n);
            assertThat(fd.derivativeRequests()).isEqualTo(3);
            for (int r = 0; r < x.length; r++) {
                double scale = maxAbs(g[r]);
                assertThat(scale).isGreaterThan(1e-4);
                for (int i = 0; i < n; i++) {
                    assertThat(estimate[r][i])
                            .as("row %d coordinate %d (tol %s of max |g|)", r, i, FD_VS_EXACT_TOL)
                            .isCloseTo(g[r][i], offset(FD_VS_EXACT_TOL * scale));
                }
            }
        }
    }

    @Test
    void spsaAgreesWithExactGradientOnAverageAndCounts2kPerPoint() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset13.onnx"));
                Surrogate exact = Surrogates.builder(model).optMode(DerivativeMode.EXACT).build();
                Surrogate spsa =
                        Surrogates.builder(model)
                                .optMode(DerivativeMode.SPSA)
                                .optSpsa(1e-2, SPSA_SAMPLES)
                                .optSeed(5)
                                .build()) {
            double[][] x = randomPoints(2, 4, 3);
            double[] w = {1.0, 1.0};
            double[][] g = exact.gradient(x, w);
            double[][] estimate = spsa.gradient(x, w);
            assertThat(spsa.evaluations()).isEqualTo(2L * 2 * SPSA_SAMPLES);
            for (int r = 0; r < x.length; r++) {
                double norm = norm(g[r]);
                for (int i = 0; i < 4; i++) {
                    assertThat(estimate[r][i])
                            .as("row %d coordinate %d (tol %s of |g|)", r, i, SPSA_VS_EXACT_TOL)
                            .isCloseTo(g[r][i], offset(SPSA_VS_EXACT_TOL * norm));
                }
            }
        }
    }

    /**
     * The exact Jacobian's rows equal gradients with unit weights, and a JVP equals a directional
     * central difference of the float32 model within the finite-difference tolerance.
     */
    @Test
    void jacobianAndJvpAreConsistentWithGradientsAndDirectionalDifferences() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("layernorm_opset17.onnx"));
                Surrogate phi = Surrogates.builder(model).build()) {
            double[][] x = randomPoints(2, 6, 8);
            double[][][] jacobian = phi.jacobian(x);
            assertThat(phi.evaluations()).isEqualTo(2L * 3);
            double[][] g1 = phi.gradient(x, new double[] {0, 1, 0});
            for (int r = 0; r < x.length; r++) {
                assertThat(jacobian[r]).hasDimensions(3, 6);
                assertThat(jacobian[r][1]).containsExactly(g1[r]);
            }
            double[][] u = randomPoints(2, 6, 9);
            double[][] jvp = phi.jacobianVectorProduct(x, u);
            double h = GradientEstimator.CentralDifferences.FLOAT32_STEP;
            for (int r = 0; r < x.length; r++) {
                double[] plus = x[r].clone();
                double[] minus = x[r].clone();
                for (int i = 0; i < 6; i++) {
                    plus[i] += h * u[r][i];
                    minus[i] -= h * u[r][i];
                }
                double[][] y = phi.evaluate(new double[][] {plus, minus});
                double scale = maxAbs(jvp[r]);
                for (int j = 0; j < 3; j++) {
                    assertThat(jvp[r][j])
                            .as("row %d output %d (tol %s of max |Ju|)", r, j, FD_VS_EXACT_TOL)
                            .isCloseTo(
                                    (y[0][j] - y[1][j]) / (2 * h), offset(FD_VS_EXACT_TOL * scale));
                }
            }
        }
    }

    @Test
    void treeEnsembleFallsBackToFiniteDifferences() {
        try (OnnxModel model =
                        OnnxModel.open(
                                Fixtures.treeEnsemble(), "tree.onnx", RuntimeOptions.DEFAULTS);
                Surrogate phi = Surrogates.builder(model).build()) {
            assertThat(phi.exactDerivatives()).isFalse();
            double[][] x = {{0.0, 1.0}, {1.0, -1.0}, {1.0, 1.0}, {0.5, -1.0}};
            double[][] y = phi.evaluate(x);
            assertThat(y[0][0]).isEqualTo(1.0);
            assertThat(y[1][0]).isEqualTo(2.0);
            assertThat(y[2][0]).isEqualTo(5.0);
            assertThat(y[3][0]).isEqualTo(1.0);
            double[][] g = phi.gradient(x, new double[] {1});
            assertThat(phi.evaluations()).isEqualTo(4 + 4L * 2 * 2);
            // flat away from the splits
            assertThat(g[0]).containsExactly(0.0, 0.0);
            assertThat(g[1]).containsExactly(0.0, 0.0);
            // on the split x0 = 0.5 the estimate is the jump over the probe width: (2 - 1) / 2h
            double h = GradientEstimator.CentralDifferences.FLOAT32_STEP;
            assertThat(g[3][0]).isCloseTo(1 / (2 * h), offset(1e-9 / h));
            assertThat(g[3][1]).isEqualTo(0.0);
        }
    }

    @Test
    void exactDerivativesOfATreeEnsembleAreRefusedNamingTheNode() {
        try (OnnxModel model =
                OnnxModel.open(Fixtures.treeEnsemble(), "tree.onnx", RuntimeOptions.DEFAULTS)) {
            assertThatThrownBy(
                            () -> Surrogates.builder(model).optMode(DerivativeMode.EXACT).build())
                    .isInstanceOf(UnsupportedGraphException.class)
                    .hasMessageContaining("tree.onnx")
                    .hasMessageContaining("node 'tree'")
                    .hasMessageContaining("ai.onnx.ml.TreeEnsembleRegressor");
        }
    }

    @Test
    void badOptionsAreRefusedWithTheirRange() {
        try (OnnxModel model = OnnxModel.open(Fixtures.path("mlp_opset13.onnx"))) {
            assertThatThrownBy(
                            () ->
                                    Surrogates.builder(model)
                                            .optMode(DerivativeMode.CENTRAL_DIFFERENCES)
                                            .optRelativeStep(0)
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("relativeStep must be in (0, 1), got 0.0");
            assertThatThrownBy(
                            () ->
                                    Surrogates.builder(model)
                                            .optMode(DerivativeMode.SPSA)
                                            .optSpsa(1e-2, 0)
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("samples must be >= 1, got 0");
        }
    }

    private static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int r = 0; r < x.length; r++) {
            f[r] = new float[x[r].length];
            for (int i = 0; i < x[r].length; i++) {
                f[r][i] = (float) x[r][i];
            }
        }
        return f;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
