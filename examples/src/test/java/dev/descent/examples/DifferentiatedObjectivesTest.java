package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import dev.descent.curvature.DirectBuffers;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The examples' differentiated objectives (the sharpness experiment's square loss, the Newton
 * comparison's regressions) make no array from Java data, whose buffer the collector may free while
 * the graph reads it (see {@code GraphConstants}), and give the values and gradients of their
 * former {@code Number}-operand formulas, written out here, to the bit.
 */
class DifferentiatedObjectivesTest {

    private static final double L2 = 1e-3;

    @Test
    void sharpnessSquareLossMakesNoDirectBufferAndEqualsDjlsL2Loss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = manager.create(new float[] {1, 0, 0, 0, 1, 0}, new Shape(2, 3));
            Loss square = SharpnessExperiment.squareLoss(3);
            Loss djl = Loss.l2Loss("square", 1.5f);
            Function<NDArray, NDArray> safe =
                    p -> square.evaluate(new NDList(labels), new NDList(p));
            Function<NDArray, NDArray> number =
                    p -> djl.evaluate(new NDList(labels), new NDList(p));
            NDArray at =
                    manager.create(new float[] {0.2f, -1, 0.7f, 3, 0.1f, -0.4f}, labels.getShape());
            assertThat(valueAndGradient(at, safe)).isDeepEqualTo(valueAndGradient(at, number));
            assertThat(DirectBuffers.mostMadeBy(5, () -> differentiate(at, safe)))
                    .as("direct buffers of the square loss (1 with Loss.l2Loss)")
                    .isZero();
        }
    }

    @Test
    void newtonRegressionsMakeNoDirectBufferAndEqualTheirNumberOperandFormulas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xs =
                    manager.create(
                            new double[] {0.5, -1, 1, 2, 0.25, 1, -0.3, 0.8, 1}, new Shape(3, 3));
            NDArray oneHot = manager.create(new double[] {1, 0, 0, 1, 1, 0}, new Shape(3, 2));
            NDArray labels = manager.create(new double[] {1, 0, 1});
            Function<NDArray, NDArray> softmax = NewtonCommand.softmaxRegression(xs, oneHot, L2);
            Function<NDArray, NDArray> softmaxNumber =
                    w -> {
                        NDArray logits = xs.matMul(w.reshape(3, 2));
                        return oneHot.mul(logits.logSoftmax(1))
                                .sum()
                                .div(-3)
                                .add(w.square().sum().mul(0.5 * L2));
                    };
            Function<NDArray, NDArray> logistic = NewtonCommand.logisticRegression(xs, labels, L2);
            Function<NDArray, NDArray> logisticNumber =
                    w -> {
                        NDArray z = xs.matMul(w);
                        return z.exp()
                                .add(1)
                                .log()
                                .sub(labels.mul(z))
                                .mean()
                                .add(w.square().sum().mul(0.5 * L2));
                    };
            NDArray w6 = manager.create(new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 0.6});
            NDArray w3 = manager.create(new double[] {0.3, -0.7, 0.2});
            assertThat(valueAndGradient(w6, softmax))
                    .as("softmax regression")
                    .isDeepEqualTo(valueAndGradient(w6, softmaxNumber));
            assertThat(valueAndGradient(w3, logistic))
                    .as("logistic regression")
                    .isDeepEqualTo(valueAndGradient(w3, logisticNumber));
            assertThat(DirectBuffers.mostMadeBy(5, () -> differentiate(w6, softmax)))
                    .as("direct buffers of the softmax regression (2 before)")
                    .isZero();
            assertThat(DirectBuffers.mostMadeBy(5, () -> differentiate(w3, logistic)))
                    .as("direct buffers of the logistic regression (2 before)")
                    .isZero();
        }
    }

    /** f and ∂f at a copy of {@code at}, as doubles. */
    private static double[][] valueAndGradient(NDArray at, Function<NDArray, NDArray> f) {
        try (NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = at.duplicate();
            x.setRequiresGradient(true);
            NDArray value = f.apply(x);
            double[] v = value.toType(DataType.FLOAT64, false).toDoubleArray();
            collector.backward(value);
            return new double[][] {
                v, x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()
            };
        }
    }

    private static void differentiate(NDArray at, Function<NDArray, NDArray> f) {
        try (NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = at.duplicate();
            x.setRequiresGradient(true);
            collector.backward(f.apply(x));
        }
    }
}
