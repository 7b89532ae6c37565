package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Shampoo on matrices and 3-D tensors against the float64 re-derivation, and failure safety. */
class ShampooTest {

    /**
     * 25 calls: roots recomputed at calls 1, 3, 5, … (frequency 2) and across 12 recomputations.
     */
    private static final int CALLS = 25;

    private static final int FREQUENCY = 2;

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
        return Stream.of(
                Arguments.of(new int[] {3, 4}, Shampoo.Grafting.NONE, 8192L),
                Arguments.of(new int[] {3, 4}, Shampoo.Grafting.SGD, 3L),
                Arguments.of(new int[] {2, 3, 2}, Shampoo.Grafting.ADAM, 8192L));
    }

    @ParameterizedTest(name = "{0} {1} max dim {2}")
    @MethodSource("cases")
    void float64MatchesRederivation(int[] dims, Shampoo.Grafting grafting, long maxDim) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        Shape shape = new Shape(Arrays.stream(dims).mapToLong(i -> i).toArray());
        Shampoo optimizer =
                Descent.shampoo()
                        .optLearningRate(1e-2)
                        .optMatrixEpsilon(1e-3)
                        .optPreconditionFrequency(FREQUENCY)
                        .optMaxPreconditionerDim(maxDim)
                        .optGrafting(grafting)
                        .optWeightDecay(0.01)
                        .build();
        ReferenceOptimizers.Shampoo reference =
                new ReferenceOptimizers.Shampoo(
                        dims, 1e-3, FREQUENCY, maxDim, grafting, 0.9, 0.999, 1e-8, 0.01);
        double[] expected = Problems.start(n);
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(expected.clone(), shape);
            for (int t = 1; t <= CALLS; t++) {
                double[] g = SoapOfficialTest.gradient(t, n);
                try (NDArray grad = scope.create(g, shape)) {
                    optimizer.update("w", weight, grad);
                }
                reference.step(expected, g, 1e-2);
                double[] actual = weight.toDoubleArray();
                int bad =
                        Tolerance.firstMismatch(
                                actual, expected, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
                if (bad >= 0) {
                    fail(
                            "call %d element %d: got %s, expected %s",
                            t, bad, actual[bad], expected[bad]);
                }
            }
        }
    }

    /**
     * A float32 gradient of 1e20 overflows the statistics; the root of an infinite matrix fails in
     * float32 and float64, so the previous roots stay and the weights remain finite. (Without
     * grafting: a graft's norm of such a gradient overflows float32 by itself, as Adam's moments
     * would.)
     */
    @Test
    void failedRootKeepsPreviousRoots() {
        Shape shape = new Shape(4, 4);
        Shampoo optimizer = Descent.shampoo().build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(Problems.toFloat(Problems.start(16)), shape);
            for (int t = 1; t <= 3; t++) {
                try (NDArray g = scope.create(gradient(t, 1), shape)) {
                    optimizer.update("w", w, g);
                }
            }
            List<float[]> before = new ArrayList<>();
            optimizer.state("w").roots().forEach(r -> before.add(r.toFloatArray()));
            try (NDArray g = scope.create(gradient(4, 1e20), shape)) {
                optimizer.update("w", w, g);
            }
            Shampoo.State state = optimizer.state("w");
            assertThat(state.statistics().get(0).toFloatArray()[0]).isInfinite();
            for (int i = 0; i < before.size(); i++) {
                assertThat(state.roots().get(i).toFloatArray()).isEqualTo(before.get(i));
            }
            for (float x : w.toFloatArray()) {
                assertThat(Float.isFinite(x)).as("weight element %s", x).isTrue();
            }
        }
    }

    @Test
    void builderRejectsBadValues() {
        assertThat(message(() -> Descent.shampoo().optMatrixEpsilon(0).build()))
                .isEqualTo("matrixEpsilon must be finite and > 0, got 0.0");
        assertThat(message(() -> Descent.shampoo().optPreconditionFrequency(0).build()))
                .isEqualTo("preconditionFrequency must be >= 1, got 0");
        assertThat(message(() -> Descent.shampoo().optMaxPreconditionerDim(0).build()))
                .isEqualTo("maxPreconditionerDim must be >= 1, got 0");
    }

    private static String message(Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return "no exception";
    }

    private static float[] gradient(int t, double scale) {
        return Problems.toFloat(
                Arrays.stream(SoapOfficialTest.gradient(t, 16)).map(x -> x * scale).toArray());
    }
}
