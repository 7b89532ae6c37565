package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Scion's matrix LMOs against float64 re-derivations of LIONS-EPFL/scion's rule. */
class ScionTest {

    /** Steps of the parity tests: the average d has forgotten its zero start (0.9^25 ≈ 0.07). */
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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "SPECTRAL, '4, 7', true",
        "SPECTRAL, '7, 4', false",
        "SPECTRAL, '3, 2, 2, 2', true",
        "SPECTRAL, '3, 2, 3', false",
        "SIGN, '5, 4', true"
    })
    void matchesFloat64Rederivation(Scion.Norm norm, String dims, boolean constrained) {
        long[] shape =
                java.util.Arrays.stream(dims.split(","))
                        .mapToLong(s -> Long.parseLong(s.trim()))
                        .toArray();
        double lr = 0.01;
        double alpha = 0.1;
        double scale = 3;
        double wd = 0.05;
        Scion scion =
                Descent.scion()
                        .optLearningRate(lr)
                        .optMomentum(alpha)
                        .optConstrained(constrained)
                        .optWeightDecay(wd)
                        .optNormRule(p -> true, norm, scale)
                        .build();
        int rows = (int) shape[0];
        int n = (int) new Shape(shape).size();
        int cols = n / rows;
        double lmoScale =
                norm == Scion.Norm.SIGN ? 1.0 / shape[1] : Math.sqrt((double) shape[0] / shape[1]);
        if (shape.length == 3) {
            lmoScale /= shape[2];
        } else if (shape.length == 4) {
            lmoScale /= shape[2] * shape[2];
        }
        double decay = constrained ? 1 : wd;
        double[] p = Problems.start(n);
        double[] d = new double[n];
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(p.clone(), new Shape(shape));
            for (int t = 1; t <= STEPS; t++) {
                double[] g = Problems.gradient(t, n);
                try (NDArray grad = scope.create(g, new Shape(shape))) {
                    scion.update("w", w, grad);
                }
                for (int i = 0; i < n; i++) {
                    d[i] = (1 - alpha) * d[i] + alpha * g[i];
                }
                double[] lmo =
                        norm == Scion.Norm.SIGN
                                ? java.util.Arrays.stream(d).map(Math::signum).toArray()
                                : Matrices.flat(
                                        Matrices.newtonSchulz(Matrices.of(d, rows, cols), 5));
                for (int i = 0; i < n; i++) {
                    p[i] = p[i] * (1 - lr * decay) - lr * scale * lmoScale * lmo[i];
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
    void defaultNormsFollowShapeAndNameAndAMatrixNeedsTheModel() {
        Scion scion = Descent.scion().build();
        assertThat(scion.normOf(new ParameterInfo("b", "bias", new Shape(4))).norm())
                .isEqualTo(Scion.Norm.BIAS_RMS);
        assertThat(scion.normOf(new ParameterInfo("c", "token_embedding", new Shape(9, 4))).norm())
                .isEqualTo(Scion.Norm.SIGN);
        // unbound, a matrix might be the output layer (sign LMO): refused, not guessed
        assertThatThrownBy(() -> scion.normOf(new ParameterInfo("a", "hidden", new Shape(4, 4))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parameter 'hidden' (4, 4)")
                .hasMessageContaining("Descent.trainingConfig(loss, scion)");
    }

    @Test
    void boundTheOutputLayerTakesTheSignLmoAndHiddenMatricesTheSpectral() {
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(6).build())
                        .add(Activation::tanh)
                        .add(Linear.builder().setUnits(3).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        Scion scion = Descent.scion().build().bind(block);
        Map<String, Scion.Norm> norms = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            ParameterInfo info =
                    new ParameterInfo(
                            p.getValue().getId(), p.getKey(), p.getValue().getArray().getShape());
            norms.put(p.getKey(), scion.normOf(info).norm());
        }
        assertThat(norms)
                .containsExactly(
                        Map.entry("01Linear_weight", Scion.Norm.SPECTRAL),
                        Map.entry("01Linear_bias", Scion.Norm.BIAS_RMS),
                        Map.entry("03Linear_weight", Scion.Norm.SIGN),
                        Map.entry("03Linear_bias", Scion.Norm.BIAS_RMS));
    }

    @Test
    void signOnAVectorIsRefusedNamingTheParameter() {
        Scion scion = Descent.scion().optNormRule(p -> true, Scion.Norm.SIGN, 1).build();
        try (NDManager scope = manager.newSubManager()) {
            assertThatThrownBy(
                            () ->
                                    scion.update(
                                            "v",
                                            scope.zeros(new Shape(3)),
                                            scope.ones(new Shape(3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the SIGN norm needs a matrix, but parameter 'v' has shape (3)");
        }
    }
}
