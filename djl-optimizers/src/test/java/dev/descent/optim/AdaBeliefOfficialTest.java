package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AdaBelief against trajectories produced by running the official adabelief_pytorch 0.2.1 under
 * torch 1.13 (see {@code reference/adabelief_official.py} for how they were made): 30 steps of
 * every configuration, in float32 and float64.
 */
class AdaBeliefOfficialTest {

    private static final int STEPS = 30;
    private static final int N = 10;

    /** The configurations of the generator script, as Descent builders. */
    private static final Map<String, Supplier<AdaBelief.Builder>> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("rectify", () -> Descent.adaBelief().optLearningRate(1e-2));
        CONFIGS.put("plain", () -> Descent.adaBelief().optLearningRate(1e-2).optRectify(false));
        CONFIGS.put(
                "amsgrad",
                () -> Descent.adaBelief().optLearningRate(1e-2).optRectify(false).optAmsgrad(true));
        CONFIGS.put(
                "amsgrad_rectify",
                () -> Descent.adaBelief().optLearningRate(1e-2).optAmsgrad(true));
        CONFIGS.put(
                "decoupled_wd",
                () -> Descent.adaBelief().optLearningRate(1e-2).optWeightDecay(0.1));
        CONFIGS.put(
                "fixed_wd",
                () ->
                        Descent.adaBelief()
                                .optLearningRate(1e-2)
                                .optWeightDecay(0.01)
                                .optWeightDecayMode(WeightDecayMode.FIXED));
        CONFIGS.put(
                "coupled_wd",
                () ->
                        Descent.adaBelief()
                                .optLearningRate(1e-2)
                                .optWeightDecay(0.1)
                                .optWeightDecayMode(WeightDecayMode.COUPLED)
                                .optRectify(false));
        CONFIGS.put(
                "no_degenerate",
                () -> Descent.adaBelief().optLearningRate(1e-2).optDegeneratedToSgd(false));
        CONFIGS.put(
                "betas",
                () ->
                        Descent.adaBelief()
                                .optLearningRate(1e-2)
                                .optBeta1(0.8)
                                .optBeta2(0.9)
                                .optEpsilon(1e-8));
        CONFIGS.put("defaults", Descent::adaBelief);
    }

    private static NDManager manager;
    private static Map<String, double[][]> official;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        official = new LinkedHashMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                Objects.requireNonNull(
                                        AdaBeliefOfficialTest.class.getResourceAsStream(
                                                "/reference/adabelief_official.csv")),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("config,")) {
                    continue;
                }
                String[] f = line.split(",");
                double[][] trajectory =
                        official.computeIfAbsent(f[0] + "/" + f[1], k -> new double[STEPS][N]);
                trajectory[Integer.parseInt(f[2]) - 1][Integer.parseInt(f[3])] =
                        Double.parseDouble(f[4]);
            }
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> runs() {
        return CONFIGS.keySet().stream()
                .flatMap(c -> Stream.of(Arguments.of(c, "float32"), Arguments.of(c, "float64")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void matchesOfficialImplementation(String config, String dtype) {
        double[][] expected = official.get(config + "/" + dtype);
        assertThat(expected).as("reference data for %s/%s", config, dtype).isNotNull();
        boolean f64 = dtype.equals("float64");
        double rtol = f64 ? Tolerance.F64_RTOL : Tolerance.F32_RTOL;
        double atol = f64 ? Tolerance.F64_ATOL : Tolerance.F32_ATOL;
        AdaBelief optimizer = CONFIGS.get(config).get().build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(Problems.start(N));
            if (!f64) {
                weight = weight.toType(DataType.FLOAT32, false);
            }
            for (int t = 1; t <= STEPS; t++) {
                try (NDArray g64 = scope.create(Problems.gradient(t, N));
                        NDArray grad = g64.toType(weight.getDataType(), false)) {
                    optimizer.update("p", weight, grad);
                }
                double[] actual =
                        f64 ? weight.toDoubleArray() : Problems.toDouble(weight.toFloatArray());
                int bad = Tolerance.firstMismatch(actual, expected[t - 1], rtol, atol);
                if (bad >= 0) {
                    fail(
                            "%s/%s step %d element %d: got %s, official %s",
                            config, dtype, t, bad, actual[bad], expected[t - 1][bad]);
                }
            }
        }
    }
}
