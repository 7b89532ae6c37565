package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SOAP's rotated paths against the float64 re-derivation, its Adam limit, and failure safety. */
class SoapTest {

    /**
     * 25 calls: the first builds the bases, the rest are Adam steps 1–24, across refreshes at every
     * multiple of each config's frequency (3, 4, 5 or 10).
     */
    private static final int CALLS = 25;

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    private record Case(
            String name,
            int[] shape,
            Supplier<Soap.Builder> builder,
            Supplier<ReferenceOptimizers.Soap> reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case(
                                "defaults 4x4",
                                new int[] {4, 4},
                                Descent::soap,
                                () ->
                                        reference(
                                                new int[] {4, 4},
                                                10,
                                                10000,
                                                false,
                                                false,
                                                false,
                                                true)),
                        new Case(
                                "merge dims 2x2x5 -> 4x5",
                                new int[] {2, 2, 5},
                                () ->
                                        Descent.soap()
                                                .optMergeDims(true)
                                                .optMaxPreconditionerDim(5)
                                                .optPreconditionFrequency(4),
                                () ->
                                        reference(
                                                new int[] {2, 2, 5},
                                                4,
                                                5,
                                                true,
                                                false,
                                                false,
                                                true)),
                        new Case(
                                "normalize grads 3x3x3",
                                new int[] {3, 3, 3},
                                () ->
                                        Descent.soap()
                                                .optNormalizeGrads(true)
                                                .optPreconditionFrequency(5),
                                () ->
                                        reference(
                                                new int[] {3, 3, 3},
                                                5,
                                                10000,
                                                false,
                                                false,
                                                true,
                                                true)),
                        new Case(
                                "precondition 1d",
                                new int[] {2},
                                () ->
                                        Descent.soap()
                                                .optPrecondition1d(true)
                                                .optPreconditionFrequency(5),
                                () -> reference(new int[] {2}, 5, 10000, false, true, false, true)),
                        new Case(
                                "one axis rotated, no bias correction 3x4",
                                new int[] {3, 4},
                                () ->
                                        Descent.soap()
                                                .optMaxPreconditionerDim(3)
                                                .optCorrectBias(false)
                                                .optPreconditionFrequency(3),
                                () ->
                                        reference(
                                                new int[] {3, 4},
                                                3,
                                                3,
                                                false,
                                                false,
                                                false,
                                                false)))
                .map(Arguments::of);
    }

    private static ReferenceOptimizers.Soap reference(
            int[] shape,
            int frequency,
            long maxDim,
            boolean merge,
            boolean precondition1d,
            boolean normalize,
            boolean correctBias) {
        return new ReferenceOptimizers.Soap(
                shape,
                0.95,
                0.95,
                -1,
                1e-8,
                0.01,
                frequency,
                maxDim,
                merge,
                precondition1d,
                normalize,
                correctBias);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float64MatchesRederivationAcrossRefreshes(Case c) {
        int n = Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b);
        Shape shape = new Shape(Arrays.stream(c.shape()).mapToLong(i -> i).toArray());
        Soap optimizer = c.builder().get().optLearningRate(1e-2).build();
        ReferenceOptimizers.Soap reference = c.reference().get();
        double[] expected = Problems.start(n);
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(expected.clone(), shape);
            for (int t = 1; t <= CALLS; t++) {
                double[] g = SoapOfficialTest.gradient(t, n);
                try (NDArray grad = scope.create(g, shape)) {
                    optimizer.update("w", weight, grad);
                }
                reference.step(expected, g, 1e-2);
                int bad =
                        Tolerance.firstMismatch(
                                weight.toDoubleArray(),
                                expected,
                                Tolerance.F64_RTOL,
                                Tolerance.F64_ATOL);
                if (bad >= 0) {
                    fail(
                            "call %d element %d: got %s, expected %s",
                            t, bad, weight.toDoubleArray()[bad], expected[bad]);
                }
            }
        }
    }

    /**
     * With every axis above maxPreconditionerDim the rotations are identities: SOAP is then Adam
     * without weight decay, one call late (its first call only builds statistics). With ε = 0 the
     * two ε placements (SOAP's sqrt(v) + ε, Adam's sqrt(v)/sqrt(1 − β2^t) + ε) agree.
     */
    @Test
    void identityRotationsGiveAdam() {
        Shape shape = new Shape(3, 4);
        Soap soap =
                Descent.soap()
                        .optMaxPreconditionerDim(1)
                        .optEpsilon(0)
                        .optWeightDecay(0)
                        .optLearningRate(1e-2)
                        .build();
        AdamW adam =
                Descent.adamW()
                        .optBeta1(0.95)
                        .optBeta2(0.95)
                        .optEpsilon(0)
                        .optWeightDecay(0)
                        .optLearningRate(1e-2)
                        .build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w1 = scope.create(Problems.start(12), shape);
            NDArray w2 = w1.duplicate();
            try (NDArray g = scope.create(SoapOfficialTest.gradient(1, 12), shape)) {
                soap.update("w", w1, g);
            }
            for (int t = 2; t <= CALLS; t++) {
                try (NDArray g1 = scope.create(SoapOfficialTest.gradient(t, 12), shape);
                        NDArray g2 = g1.duplicate()) {
                    soap.update("w", w1, g1);
                    adam.update("w", w2, g2);
                }
                assertThat(
                                Tolerance.firstMismatch(
                                        w1.toDoubleArray(),
                                        w2.toDoubleArray(),
                                        Tolerance.F64_RTOL,
                                        Tolerance.F64_ATOL))
                        .as("first mismatch at call %d", t)
                        .isEqualTo(-1);
            }
        }
    }

    /**
     * A gradient of 1e20 in float32 is finite, but its outer products overflow, so the statistic
     * holds NaN and infinities and the refresh's QR fails in float32 and in float64: the bases stay
     * as they were and the weights finite.
     */
    @Test
    void failedRefreshKeepsBasesAndWeightsFinite() {
        Shape shape = new Shape(4, 4);
        Soap soap = Descent.soap().optPreconditionFrequency(2).build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(Problems.toFloat(Problems.start(16)), shape);
            for (int t = 1; t <= 2; t++) {
                try (NDArray g = scope.create(floats(t, 1), shape)) {
                    soap.update("w", w, g);
                }
            }
            List<float[]> before = new ArrayList<>();
            soap.state("w").bases().forEach(q -> before.add(q.toFloatArray()));
            try (NDArray g = scope.create(floats(3, 1e20), shape)) {
                soap.update("w", w, g);
            }
            Soap.State state = soap.state("w");
            float[] statistic = state.statistics().get(0).toFloatArray();
            assertThat(statistic[0]).as("statistic after the overflow").isNotFinite();
            for (int i = 0; i < before.size(); i++) {
                assertThat(state.bases().get(i).toFloatArray()).isEqualTo(before.get(i));
            }
            for (int t = 4; t <= 8; t++) {
                try (NDArray g = scope.create(floats(t, 1), shape)) {
                    soap.update("w", w, g);
                }
            }
            assertFinite(w);
        }
    }

    /** When the first eigendecomposition fails the bases are identities and training goes on. */
    @Test
    void failedFirstDecompositionUsesIdentityBases() {
        Shape shape = new Shape(4, 4);
        Soap soap = Descent.soap().build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(Problems.toFloat(Problems.start(16)), shape);
            try (NDArray g = scope.create(floats(1, 1e20), shape)) {
                soap.update("w", w, g);
            }
            try (NDArray eye = scope.eye(4)) {
                for (NDArray q : soap.state("w").bases()) {
                    assertThat(q.toFloatArray()).isEqualTo(eye.toFloatArray());
                }
            }
            for (int t = 2; t <= 12; t++) {
                try (NDArray g = scope.create(floats(t, 1), shape)) {
                    soap.update("w", w, g);
                }
            }
            assertFinite(w);
        }
    }

    @Test
    void mergedShapeFollowsReference() {
        assertThat(Soap.merged(new Shape(2, 2, 5), 5)).isEqualTo(new Shape(4, 5));
        assertThat(Soap.merged(new Shape(64, 3, 3, 3), 10000)).isEqualTo(new Shape(1728));
        assertThat(Soap.merged(new Shape(256, 128, 3, 3), 10000)).isEqualTo(new Shape(256, 1152));
        assertThat(Soap.merged(new Shape(1, 20000, 1), 10000)).isEqualTo(new Shape(20000));
    }

    @Test
    void builderRejectsBadValues() {
        assertThat(badMessage(() -> Descent.soap().optPreconditionFrequency(0).build()))
                .isEqualTo("preconditionFrequency must be >= 1, got 0");
        assertThat(badMessage(() -> Descent.soap().optMaxPreconditionerDim(0).build()))
                .isEqualTo("maxPreconditionerDim must be >= 1, got 0");
        assertThat(badMessage(() -> Descent.soap().optShampooBeta(1).build()))
                .contains("shampooBeta")
                .contains("1.0");
    }

    private static String badMessage(Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return "no exception";
    }

    private static float[] floats(int t, double scale) {
        return Problems.toFloat(
                Arrays.stream(SoapOfficialTest.gradient(t, 16)).map(x -> x * scale).toArray());
    }

    private static void assertFinite(NDArray w) {
        assertThat(w.getDataType()).isEqualTo(DataType.FLOAT32);
        for (float x : w.toFloatArray()) {
            assertThat(Float.isFinite(x)).as("weight element %s", x).isTrue();
        }
    }
}
