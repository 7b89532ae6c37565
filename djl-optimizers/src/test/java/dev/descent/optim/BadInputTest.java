package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid hyper-parameters are refused at build() with the value and its range. */
class BadInputTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad(
                        () -> Descent.adaBelief().optBeta1(1.0).build(),
                        "beta1 must be in [0.0, 1.0), got 1.0"),
                bad(
                        () -> Descent.adaBelief().optBeta2(-0.1).build(),
                        "beta2 must be in [0.0, 1.0), got -0.1"),
                bad(
                        () -> Descent.adaBelief().optEpsilon(-1).build(),
                        "epsilon must be finite and >= 0, got -1.0"),
                bad(
                        () -> Descent.lion().optBeta1(1.5).build(),
                        "beta1 must be in [0.0, 1.0), got 1.5"),
                bad(
                        () -> Descent.nadamW().optMomentumDecay(-1).build(),
                        "momentumDecay must be finite and >= 0, got -1.0"),
                bad(
                        () -> Descent.radam().optBeta2(1.0).build(),
                        "beta2 must be in [0.0, 1.0), got 1.0"),
                bad(
                        () -> Descent.adamax().optEpsilon(0).build(),
                        "epsilon must be finite and > 0, got 0.0"),
                bad(
                        () -> Descent.sgd().optNesterov(true).build(),
                        "nesterov needs momentum > 0 and dampening = 0, got momentum 0.0 and"
                                + " dampening 0.0"),
                bad(
                        () -> Descent.sgd().optMomentum(-0.5).build(),
                        "momentum must be finite and >= 0, got -0.5"),
                bad(
                        () -> Descent.sgd().optDampening(2).build(),
                        "dampening must be in [0.0, 1.0], got 2.0"),
                bad(
                        () -> Descent.adagrad().optLearningRateDecay(-1).build(),
                        "learningRateDecay must be finite and >= 0, got -1.0"),
                bad(
                        () -> Descent.adagrad().optInitialAccumulatorValue(Double.NaN).build(),
                        "initialAccumulatorValue must be finite and >= 0, got NaN"),
                bad(
                        () -> Descent.rmsProp().optAlpha(1.5).build(),
                        "alpha must be in [0.0, 1.0], got 1.5"),
                bad(
                        () -> Descent.adadelta().optRho(2).build(),
                        "rho must be in [0.0, 1.0], got 2.0"),
                bad(
                        () -> Descent.adadelta().optEpsilon(0).build(),
                        "epsilon must be finite and > 0, got 0.0"),
                bad(
                        () -> Descent.muon().optMomentum(1).build(),
                        "momentum must be in [0.0, 1.0), got 1.0"),
                bad(
                        () -> Descent.muon().optNsSteps(0).build(),
                        "nsSteps must be in [1.0, 100.0], got 0.0"),
                bad(
                        () -> Descent.muon().optAdamBeta2(1).build(),
                        "adamBeta2 must be in [0.0, 1.0), got 1.0"),
                bad(
                        () -> Descent.muon().optLearningRate(0).build(),
                        "learningRate must be finite and > 0, got 0.0"),
                bad(
                        () -> Descent.scion().optMomentum(0).build(),
                        "momentum must be in (0.0, 1.0], got 0.0"),
                bad(
                        () -> Descent.scion().optNormRule(p -> true, Scion.Norm.SIGN, -1).build(),
                        "scale of a norm rule must be finite and > 0, got -1.0"),
                bad(
                        () -> Descent.psgdKron().optUpdateProbability(0).build(),
                        "maximum update probability must be in (0.0, 1.0], got 0.0"),
                bad(
                        () -> Descent.psgdKron().optPrecondLr(1.5).build(),
                        "precondLr must be in (0.0, 1.0], got 1.5"),
                bad(
                        () -> Descent.psgdKron().optB1(1).build(),
                        "b1 must be in [0.0, 1.0), got 1.0"));
    }

    private static Arguments bad(Supplier<?> build, String message) {
        return Arguments.of(message, build);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusedWithValueAndRange(String message, Supplier<?> build) {
        assertThatThrownBy(build::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<OptimizerCase> cases() {
        return OptimizerRegistry.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sharedOptionsAreValidatedByEveryOptimizer(OptimizerCase c) {
        assertThatThrownBy(() -> c.builder().get().optLearningRate(-1).build())
                .hasMessage("learningRate must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> c.builder().get().optLearningRate(Double.NaN).build())
                .hasMessage("learningRate must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> c.builder().get().optWeightDecay(-0.1).build())
                .hasMessage("weightDecay must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> c.builder().get().setRescaleGrad(0f).build())
                .hasMessage("rescaleGrad must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> c.builder().get().optClipGrad(Float.NaN).build())
                .hasMessage("clipGrad must be finite, got NaN");
        assertThatThrownBy(() -> c.builder().get().optWeightDecayMode(null).build())
                .hasMessage("weightDecayMode must not be null");
    }

    @Test
    void stateOfAnotherShapeIsRefusedNamingTheParameter() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            DescentOptimizer<?> optimizer = Descent.adaBelief().build();
            optimizer.update("w", manager.zeros(new Shape(3)), manager.ones(new Shape(3)));
            assertThatThrownBy(
                            () ->
                                    optimizer.update(
                                            "w",
                                            manager.zeros(new Shape(2, 2)),
                                            manager.ones(new Shape(2, 2))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "optimizer state of parameter 'w' has shape (3) but the weight has"
                                    + " shape (2, 2)");
        }
    }

    @Test
    void ruleArgumentsAreValidated() {
        assertThatThrownBy(() -> ParameterRule.oneDimensional().weightDecay(-1))
                .hasMessage("weightDecay must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> ParameterRule.oneDimensional().learningRateScale(Double.NaN))
                .hasMessage("learningRateScale must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> GlobalNormClipping.listener(0))
                .hasMessage("maxNorm must be finite and > 0, got 0.0");
    }
}
