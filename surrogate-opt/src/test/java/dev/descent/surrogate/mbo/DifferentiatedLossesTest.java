package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.descent.curvature.DirectBuffers;
import dev.descent.curvature.HostArrays;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The surrogate training losses that are differentiated make no array from Java data (whose buffer
 * the collector may free while the graph reads it, see {@code GraphConstants}), and give the values
 * and gradients of their former {@code Number}-operand formulas, written out here: to the bit, but
 * for the float32 COMs loss, whose former formula computed its scalar penalty in float64.
 */
class DifferentiatedLossesTest {

    private static final double[] OUTPUTS = {0.3, -1.2, 2.5, 0.1, -0.7, -3, 1.1, 4};

    /** One float32 rounding of a loss summed from a few terms. */
    private static final double F32_RTOL = 1e-6;

    private static final double[] SCORES = {0.5, -1, 2, 0.25};

    @ParameterizedTest
    @EnumSource(SurrogateHead.class)
    void headLossesMakeNoDirectBuffer(SurrogateHead head) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray outputs = manager.randomNormal(new Shape(4, head.outputs()));
            outputs.setRequiresGradient(true);
            NDArray y = manager.randomNormal(new Shape(4));
            assertThat(
                            DirectBuffers.mostMadeBy(
                                    5,
                                    () -> differentiate(outputs, o -> head.loss(new NDList(o), y))))
                    .as("direct buffers of %s's loss (6 before for GAUSSIAN)", head)
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT32", "FLOAT64"})
    void gaussianLossEqualsItsNumberOperandFormulaToTheBit(DataType type) {
        Shape shape = new Shape(4, 2);
        double[][] expected =
                valueAndGradient(type, shape, (o, y) -> numberGaussianLoss(new NDList(o), y));
        double[][] actual =
                valueAndGradient(
                        type, shape, (o, y) -> SurrogateHead.GAUSSIAN.loss(new NDList(o), y));
        assertThat(actual[0]).as("loss").containsExactly(expected[0]);
        assertThat(actual[1]).as("gradient").containsExactly(expected[1]);
    }

    /** SurrogateHead.GAUSSIAN's loss as it was written, with Number operands. */
    private static NDArray numberGaussianLoss(NDList outputs, NDArray y) {
        double lo = Math.log(SurrogateHead.MIN_STD);
        double hi = Math.log(SurrogateHead.MAX_STD);
        NDArray error = SurrogateHead.mean(outputs).sub(y);
        NDArray s = outputs.singletonOrThrow().get(":, 1");
        NDArray logStd = Activation.softPlus(s.neg().add(hi)).neg().add(hi);
        logStd = Activation.softPlus(logStd.sub(lo)).add(lo);
        NDArray variance = logStd.mul(2).exp();
        return logStd.add(error.square().div(variance.mul(2))).mean();
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT32", "FLOAT64"})
    void comsLossMakesNoDirectBufferAndKeepsItsValues(DataType type) {
        double alpha = Math.exp(-0.37);
        Shape shape = new Shape(OUTPUTS.length);
        double[][] expected = valueAndGradient(type, shape, (mu, y) -> coms(mu, y, alpha, true));
        double[][] actual = valueAndGradient(type, shape, (mu, y) -> coms(mu, y, alpha, false));
        // float32: gap·alpha with a double Number made a float64 scalar of the zero-dimensional
        // gap (PyTorch promotes between zero-dimensional tensors); the constant keeps float32
        double rtol = type == DataType.FLOAT32 ? F32_RTOL : 0;
        assertThat(actual[0])
                .as("loss (rtol %s)", rtol)
                .containsExactly(expected[0], within(rtol * Math.abs(expected[0][0])));
        for (int i = 0; i < expected[1].length; i++) {
            assertThat(actual[1][i])
                    .as("gradient %d (rtol %s)", i, rtol)
                    .isCloseTo(expected[1][i], within(rtol * Math.abs(expected[1][i])));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mu = manager.randomNormal(shape).toType(type, false);
            mu.setRequiresGradient(true);
            NDArray y = manager.randomNormal(new Shape(4)).toType(type, false);
            assertThat(
                            DirectBuffers.mostMadeBy(
                                    5, () -> differentiate(mu, m -> coms(m, y, alpha, false))))
                    .as("direct buffers of the COMs loss (1 before)")
                    .isZero();
        }
    }

    /**
     * The COMs loss of μ at four points x (the first half) and their four x_neg: by {@link
     * ConservativeObjectiveModels#penalizedFit}, or by its former formula with alpha a Number.
     */
    private static NDArray coms(NDArray mu, NDArray y, double alpha, boolean numberForm) {
        NDArray positive = mu.get("0:4");
        NDArray gap = mu.get("4:").sub(positive).mean();
        return numberForm
                ? positive.sub(y).square().mean().add(gap.mul(alpha))
                : ConservativeObjectiveModels.penalizedFit(positive, y, gap, alpha);
    }

    private static void differentiate(NDArray leaf, Function<NDArray, NDArray> loss) {
        try (NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.apply(leaf));
        }
    }

    /** The loss of the fixed outputs (in the given shape) and scores, and its gradient. */
    private static double[][] valueAndGradient(
            DataType type, Shape shape, BiFunction<NDArray, NDArray, NDArray> loss) {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray leaf = manager.create(OUTPUTS, shape).toType(type, false);
            leaf.setRequiresGradient(true);
            NDArray y = manager.create(SCORES).toType(type, false);
            NDArray value = loss.apply(leaf, y);
            double[] v = HostArrays.toDoubles(value);
            collector.backward(value);
            return new double[][] {v, HostArrays.toDoubles(leaf.getGradient())};
        }
    }
}
