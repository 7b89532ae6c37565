package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Muon against trajectories produced by running the official KellerJordan/Muon code under torch
 * 1.13 with Newton–Schulz in the parameters' dtype (see {@code reference/muon_official.py}): 25
 * steps of three configurations on wide, tall and convolution-shaped hidden weights plus a bias and
 * an embedding in the AdamW group, in float32 and float64.
 */
class MuonOfficialTest {

    private static final int STEPS = 25;

    /** The parameters of the generator script; "bias" and "embedding" go to the AdamW group. */
    private static final Map<String, Shape> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("w_wide", new Shape(4, 6));
        PARAMS.put("w_tall", new Shape(6, 4));
        PARAMS.put("conv", new Shape(3, 2, 2, 2));
        PARAMS.put("bias", new Shape(5));
        PARAMS.put("embedding", new Shape(5, 3));
    }

    /** The configurations of the generator script, as Descent builders. */
    private static final Map<String, Supplier<Muon.Builder>> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("defaults", Descent::muon);
        CONFIGS.put(
                "decay",
                () ->
                        Descent.muon()
                                .optLearningRate(0.05)
                                .optMomentum(0.9)
                                .optWeightDecay(0.1)
                                .optAdamLearningRate(1e-2)
                                .optAdamBeta1(0.8)
                                .optAdamBeta2(0.99)
                                .optAdamEpsilon(1e-8)
                                .optAdamWeightDecay(0.05));
        CONFIGS.put(
                "plain_momentum",
                () ->
                        Descent.muon()
                                .optLearningRate(0.03)
                                .optAdamLearningRate(1e-2)
                                .optNesterov(false));
    }

    private static NDManager manager;
    private static Map<String, double[][]> official;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        official = new HashMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Objects.requireNonNull(
                                                MuonOfficialTest.class.getResourceAsStream(
                                                        "/reference/muon_official.csv.gz"))),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("config,")) {
                    continue;
                }
                String[] f = line.split(",");
                int n = (int) PARAMS.get(f[2]).size();
                double[][] trajectory =
                        official.computeIfAbsent(
                                f[0] + "/" + f[1] + "/" + f[2], k -> new double[STEPS][n]);
                trajectory[Integer.parseInt(f[3]) - 1][Integer.parseInt(f[4])] =
                        Double.parseDouble(f[5]);
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
        boolean f64 = dtype.equals("float64");
        double rtol = f64 ? Tolerance.F64_RTOL : Tolerance.F32_RTOL;
        double atol = f64 ? Tolerance.F64_ATOL : Tolerance.F32_NEWTON_SCHULZ_ATOL;
        // the generator script's parameter groups: every matrix but the embedding takes Muon
        Muon optimizer =
                CONFIGS.get(config)
                        .get()
                        .optMatrixFilter(p -> !p.name().equals("embedding"))
                        .build();
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            PARAMS.forEach(
                    (name, shape) -> {
                        NDArray w = scope.create(Problems.start((int) shape.size()), shape);
                        weights.put(name, f64 ? w : w.toType(DataType.FLOAT32, false));
                    });
            for (int t = 1; t <= STEPS; t++) {
                for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                    NDArray w = e.getValue();
                    double[] g = Problems.gradient(t, (int) w.size());
                    try (NDArray g64 = scope.create(g, w.getShape());
                            NDArray grad = g64.toType(w.getDataType(), false)) {
                        optimizer.update(e.getKey(), w, grad);
                    }
                }
                for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                    double[] expected =
                            official.get(config + "/" + dtype + "/" + e.getKey())[t - 1];
                    NDArray w = e.getValue();
                    double[] actual = f64 ? w.toDoubleArray() : Problems.toDouble(w.toFloatArray());
                    int bad = Tolerance.firstMismatch(actual, expected, rtol, atol);
                    if (bad >= 0) {
                        fail(
                                "%s/%s %s step %d element %d: got %s, official %s",
                                config, dtype, e.getKey(), t, bad, actual[bad], expected[bad]);
                    }
                }
            }
            assertThat(optimizer.state("conv")).isInstanceOf(Muon.MatrixState.class);
            assertThat(optimizer.state("embedding")).isInstanceOf(Muon.AdamState.class);
        }
    }
}
