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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SOAP against trajectories produced by running the official nikhilvyas/SOAP {@code soap.py} under
 * torch 1.13 (see {@code reference/soap_official.py} for how they were made): 25 calls of every
 * configuration, in float32 and float64, across two or more refreshes of the bases (every config
 * refreshes at least at Adam step 10 and 20; some every 3, 4 or 5 steps).
 */
class SoapOfficialTest {

    private static final int STEPS = 25;

    /**
     * float64: both sides run in float64 with LAPACK's eigensolver and QR, but different builds
     * (libtorch 2.7.1 here, Debian's torch 1.13 there), whose eigenvectors differ by rounding
     * amplified by 1/gap (gaps >= 1e-2 of the largest eigenvalue here), and the rotated Adam
     * divides by sqrt(v): a few 1e-13 relative in practice.
     */
    private static final double F64_RTOL = 1e-10;

    private static final double F64_ATOL = 1e-12;

    /**
     * float32: float32 eigenvectors of two LAPACK builds, or of EJML after a fallback, differ by
     * about eps32/(relative eigenvalue gap, >= 1e-2 here) = 1e-5, which reaches each step's change
     * (at most lr = 1e-2 per element with normalizeGrads) as a few 1e-7 and accumulates over 25
     * calls: an absolute 1e-5, relative 1e-5.
     */
    private static final double F32_RTOL = Tolerance.F32_RTOL;

    private static final double F32_ATOL = 1e-5;

    private record Config(Shape shape, Supplier<Soap.Builder> builder) {}

    /** The configurations of the generator script, as Descent builders. */
    private static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("defaults", new Config(new Shape(4, 4), Descent::soap));
        CONFIGS.put(
                "frequency3",
                new Config(
                        new Shape(3, 4),
                        () ->
                                Descent.soap()
                                        .optLearningRate(1e-2)
                                        .optBeta1(0.9)
                                        .optBeta2(0.99)
                                        .optShampooBeta(0.8)
                                        .optPreconditionFrequency(3)
                                        .optWeightDecay(0)));
        CONFIGS.put(
                "merge_dims",
                new Config(
                        new Shape(2, 2, 5),
                        () ->
                                Descent.soap()
                                        .optLearningRate(1e-2)
                                        .optMergeDims(true)
                                        .optMaxPreconditionerDim(5)
                                        .optPreconditionFrequency(4)));
        CONFIGS.put(
                "partial_no_bias",
                new Config(
                        new Shape(3, 4),
                        () ->
                                Descent.soap()
                                        .optLearningRate(1e-2)
                                        .optMaxPreconditionerDim(3)
                                        .optCorrectBias(false)
                                        .optPreconditionFrequency(5)));
        CONFIGS.put(
                "normalize_3d",
                new Config(
                        new Shape(3, 3, 3),
                        () ->
                                Descent.soap()
                                        .optLearningRate(1e-2)
                                        .optNormalizeGrads(true)
                                        .optPreconditionFrequency(5)));
        CONFIGS.put(
                "precondition_1d",
                new Config(
                        new Shape(2),
                        () ->
                                Descent.soap()
                                        .optLearningRate(1e-2)
                                        .optPrecondition1d(true)
                                        .optPreconditionFrequency(5)));
        CONFIGS.put("vector", new Config(new Shape(6), () -> Descent.soap().optLearningRate(1e-2)));
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
                                Objects.requireNonNull(
                                        SoapOfficialTest.class.getResourceAsStream(
                                                "/reference/soap_official.csv")),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("config,")) {
                    continue;
                }
                String[] f = line.split(",");
                int n = (int) CONFIGS.get(f[0]).shape().size();
                double[][] trajectory =
                        official.computeIfAbsent(f[0] + "/" + f[1], k -> new double[STEPS][n]);
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

    /** The generator's gradient: a quadratic phase keeps the statistics well conditioned. */
    static double[] gradient(int t, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = StrictMath.sin(0.7 * t + 1.3 * i + 0.37 * i * i) * (1 + 0.1 * (i % 5));
        }
        return g;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void matchesOfficialImplementation(String name, String dtype) {
        double[][] expected = official.get(name + "/" + dtype);
        assertThat(expected).as("reference data for %s/%s", name, dtype).isNotNull();
        Config config = CONFIGS.get(name);
        int n = (int) config.shape().size();
        boolean f64 = dtype.equals("float64");
        double rtol = f64 ? F64_RTOL : F32_RTOL;
        double atol = f64 ? F64_ATOL : F32_ATOL;
        Soap optimizer = config.builder().get().build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(Problems.start(n), config.shape());
            if (!f64) {
                weight = weight.toType(DataType.FLOAT32, false);
            }
            for (int t = 1; t <= STEPS; t++) {
                try (NDArray g64 = scope.create(gradient(t, n), config.shape());
                        NDArray grad = g64.toType(weight.getDataType(), false)) {
                    optimizer.update("p", weight, grad);
                }
                double[] actual =
                        f64 ? weight.toDoubleArray() : Problems.toDouble(weight.toFloatArray());
                int bad = Tolerance.firstMismatch(actual, expected[t - 1], rtol, atol);
                if (bad >= 0) {
                    fail(
                            "%s/%s call %d element %d: got %s, official %s",
                            name, dtype, t, bad, actual[bad], expected[t - 1][bad]);
                }
            }
        }
    }
}
