package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GraphConstants}: DJL's {@code Number} operands are read from freed memory after a
 * collection, the graph constants are not; the constants make no direct buffer where the {@code
 * Number} forms make one; and they give the {@code Number} forms' values and gradients to the bit.
 *
 * <p>The tests that free a buffer first {@linkplain DirectBuffers#settle() settle} the count, then
 * {@linkplain DirectBuffers#collectDownTo collect down} to it between forward and backward, which
 * frees every buffer of an array closed in between. That a read of freed memory differs from what
 * was written is glibc's doing (a freed chunk's first 16 bytes receive its free-list pointers);
 * Native Memory Tracking puts a header there instead, so the demonstrations of the defect assume
 * glibc without tracking (the default test JVM), while the tests of the fix hold anywhere.
 */
class GraphConstantsTest {

    /** One operation in both forms: DJL's with a {@code Number}, and the graph constant's. */
    record Op(
            String name,
            BiFunction<NDArray, Float, NDArray> number,
            BiFunction<NDArray, Double, NDArray> constant) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Op> ops() {
        return Stream.of(
                new Op("add", NDArray::add, GraphConstants::add),
                new Op("sub", NDArray::sub, GraphConstants::sub),
                new Op("mul", NDArray::mul, GraphConstants::mul),
                new Op("div", NDArray::div, GraphConstants::div),
                new Op("maximum", NDArray::maximum, GraphConstants::maximum),
                new Op("minimum", NDArray::minimum, GraphConstants::minimum));
    }

    @Test
    void djlReadsANumberOperandFromFreedMemoryAfterACollection() {
        assumeGlibcWithoutTracking();
        assertThat(gradientAfterACollection(x -> x.mul(3f))).as("d(3x)/dx").isNotEqualTo(3f);
    }

    @Test
    void aGraphConstantSurvivesACollectionBetweenForwardAndBackward() {
        assertThat(gradientAfterACollection(x -> GraphConstants.mul(x, 3))).isEqualTo(3f);
    }

    /**
     * The gradient of {@code sum(f(x))} at x = 1, with a collection between forward and backward.
     */
    private static float gradientAfterACollection(Function<NDArray, NDArray> f) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(4), DataType.FLOAT32);
            x.setRequiresGradient(true);
            long settled = DirectBuffers.settle();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                DirectBuffers.collectDownTo(settled);
                collector.backward(y);
            }
            float[] g = x.getGradient().toFloatArray();
            for (float gi : g) {
                assertThat(gi).as("all elements alike").isEqualTo(g[0]);
            }
            return g[0];
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void aConstantMakesNoDirectBufferWhereTheNumberFormMakesOne(Op op) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 2));
            x.setRequiresGradient(true);
            long number =
                    DirectBuffers.mostMadeBy(
                            5, () -> differentiate(x, y -> op.number().apply(y, 0.5f)));
            long constant =
                    DirectBuffers.mostMadeBy(
                            5, () -> differentiate(x, y -> op.constant().apply(y, 0.5)));
            assertThat(number).as("direct buffers of x.%s(0.5f)", op).isEqualTo(1);
            assertThat(constant).as("direct buffers of GraphConstants.%s(x, 0.5)", op).isZero();
        }
    }

    private static void differentiate(NDArray x, Function<NDArray, NDArray> f) {
        try (NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(f.apply(x).square().sum());
        }
    }

    static Stream<Arguments> opsAndTypes() {
        return ops().flatMap(
                        op ->
                                Stream.of(DataType.FLOAT32, DataType.FLOAT64)
                                        .map(t -> Arguments.of(op, t)));
    }

    /**
     * Values and gradients equal the {@code Number} form's to the bit, with a constant that float32
     * rounds (0.1) and ties of maximum/minimum (x = c) included.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("opsAndTypes")
    void valuesAndGradientsEqualTheNumberFormsToTheBit(Op op, DataType type) {
        double[][] number = valueAndGradient(type, x -> op.number().apply(x, 0.1f));
        double[][] constant = valueAndGradient(type, x -> op.constant().apply(x, (double) 0.1f));
        assertThat(constant[0]).as("values").containsExactly(number[0]);
        assertThat(constant[1]).as("gradients of sum(f(x)²)").containsExactly(number[1]);
    }

    private static double[][] valueAndGradient(DataType type, Function<NDArray, NDArray> f) {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x =
                    manager.create(new float[] {-1.5f, 0.1f, 0.3f, 2f, 1e-8f, 0.1f})
                            .toType(type, false);
            x.setRequiresGradient(true);
            NDArray y = f.apply(x);
            double[] value = HostArrays.toDoubles(y);
            collector.backward(y.square().sum());
            return new double[][] {value, HostArrays.toDoubles(x.getGradient())};
        }
    }

    @Test
    void aConstantTakesTheTypeDeviceAndManagerOfItsArray() {
        try (NDManager manager = NDManager.newBaseManager();
                NDManager other = manager.newSubManager()) {
            NDArray narrow = other.zeros(new Shape(2), DataType.FLOAT32);
            NDArray c = GraphConstants.scalar(narrow, 0.1);
            assertThat(c.getShape()).isEqualTo(new Shape());
            assertThat(c.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(c.getDevice()).isEqualTo(narrow.getDevice());
            assertThat(c.getManager()).isSameAs(other);
            assertThat(c.getFloat()).isEqualTo(0.1f);
            NDArray wide = other.zeros(new Shape(2), DataType.FLOAT64);
            assertThat(GraphConstants.scalar(wide, 0.1).getDouble()).isEqualTo(0.1);
        }
    }

    @Test
    void refusesAnIntegerArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray index = manager.create(new long[] {1, 2});
            assertThatThrownBy(() -> GraphConstants.mul(index, 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a graph constant takes a floating-point array's type, got int64");
        }
    }

    @Test
    void djlsCopyToTheSameDeviceOrTypeSharesTheFreedBuffer() {
        assumeGlibcWithoutTracking();
        assertThat(afterACollection(host -> host.toDevice(host.getDevice(), true)))
                .as("toDevice(same device, copy)")
                .isNotEqualTo(new double[] {1, 2, 3, 4});
        assertThat(afterACollection(host -> host.toType(host.getDataType(), true)))
                .as("toType(same type, copy)")
                .isNotEqualTo(new double[] {1, 2, 3, 4});
    }

    @Test
    void anOwnedCopySurvivesACollection() {
        assertThat(afterACollection(GraphConstants::owned)).containsExactly(1, 2, 3, 4);
    }

    /** The values of {@code copy(host)} after the host array is closed and its buffer freed. */
    private static double[] afterACollection(Function<NDArray, NDArray> copy) {
        try (NDManager manager = NDManager.newBaseManager()) {
            long settled = DirectBuffers.settle();
            NDArray copied;
            try (NDArray host = manager.create(new double[] {1, 2, 3, 4})) {
                copied = copy.apply(host);
            }
            DirectBuffers.collectDownTo(settled);
            return copied.toDoubleArray();
        }
    }

    private static void assumeGlibcWithoutTracking() {
        assumeTrue(NativeMemory.glibcAvailable(), "glibc writes into the chunks it frees");
        assumeTrue(
                NativeMemory.jvmMallocBytes().isEmpty(),
                "with Native Memory Tracking a freed buffer keeps its values");
    }
}
