package dev.descent.optim;

import static dev.descent.optim.WeightDecayMode.COUPLED;
import static dev.descent.optim.WeightDecayMode.DECOUPLED;
import static dev.descent.optim.WeightDecayMode.FIXED;

import dev.descent.optim.ReferenceOptimizers.Reference;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Every optimizer of the library, in the configurations the shared tests run: defaults and the
 * non-default branches (amsgrad, rectification off, each weight-decay mode, momentum, Nesterov,
 * centering, Cautious).
 */
final class OptimizerRegistry {

    private OptimizerRegistry() {}

    static List<OptimizerCase> all() {
        return List.of(
                of(
                        "adabelief",
                        1e-2,
                        () -> Descent.adaBelief().optWeightDecay(0.1),
                        n ->
                                new ReferenceOptimizers.AdaBelief(
                                        n, 0.9, 0.999, 1e-16, false, true, true, 0.1, DECOUPLED),
                        0.01),
                of(
                        "adabelief-amsgrad-coupled",
                        1e-2,
                        () ->
                                Descent.adaBelief()
                                        .optRectify(false)
                                        .optAmsgrad(true)
                                        .optWeightDecayMode(COUPLED)
                                        .optWeightDecay(0.05),
                        n ->
                                new ReferenceOptimizers.AdaBelief(
                                        n, 0.9, 0.999, 1e-16, true, false, true, 0.05, COUPLED),
                        0.01),
                of(
                        "adabelief-fixed-decay",
                        1e-2,
                        () ->
                                Descent.adaBelief()
                                        .optBeta1(0.8)
                                        .optBeta2(0.9)
                                        .optEpsilon(1e-8)
                                        .optDegeneratedToSgd(false)
                                        .optWeightDecayMode(FIXED)
                                        .optWeightDecay(0.01),
                        n ->
                                new ReferenceOptimizers.AdaBelief(
                                        n, 0.8, 0.9, 1e-8, false, true, false, 0.01, FIXED),
                        0.003),
                of(
                        "lion",
                        1e-2,
                        () -> Descent.lion().optWeightDecay(0.1),
                        n -> new ReferenceOptimizers.Lion(n, 0.9, 0.99, 0.1),
                        0.003),
                of(
                        "adamw",
                        1e-2,
                        () -> Descent.adamW().optBeta2(0.99),
                        n -> new ReferenceOptimizers.AdamW(n, 0.9, 0.99, 1e-8, 1e-2),
                        0.01),
                of(
                        "nadamw",
                        1e-2,
                        () -> Descent.nadamW().optWeightDecay(0.1),
                        n -> new ReferenceOptimizers.NAdamW(n, 0.9, 0.999, 1e-8, 4e-3, 0.1),
                        0.01),
                of(
                        "radam",
                        1e-2,
                        () -> Descent.radam().optWeightDecay(0.05),
                        n -> new ReferenceOptimizers.RAdam(n, 0.9, 0.999, 1e-8, 0.05, COUPLED),
                        0.01),
                of(
                        "radam-decoupled",
                        1e-2,
                        () ->
                                Descent.radam()
                                        .optBeta2(0.99)
                                        .optWeightDecayMode(DECOUPLED)
                                        .optWeightDecay(0.05),
                        n -> new ReferenceOptimizers.RAdam(n, 0.9, 0.99, 1e-8, 0.05, DECOUPLED),
                        0.003),
                of(
                        "adamax",
                        1e-2,
                        () -> Descent.adamax().optWeightDecay(0.05),
                        n -> new ReferenceOptimizers.Adamax(n, 0.9, 0.999, 1e-8, 0.05),
                        0.03),
                of(
                        "sgd",
                        0.1,
                        Descent::sgd,
                        n -> new ReferenceOptimizers.Sgd(n, 0, 0, false, 0),
                        0.001),
                of(
                        "sgd-momentum",
                        0.05,
                        () -> Descent.sgd().optMomentum(0.9).optDampening(0.1).optWeightDecay(0.01),
                        n -> new ReferenceOptimizers.Sgd(n, 0.9, 0.1, false, 0.01),
                        0.0003),
                of(
                        "sgd-nesterov",
                        0.05,
                        () -> Descent.sgd().optMomentum(0.9).optNesterov(true),
                        n -> new ReferenceOptimizers.Sgd(n, 0.9, 0, true, 0),
                        0.0003),
                of(
                        "adagrad",
                        0.1,
                        () ->
                                Descent.adagrad()
                                        .optLearningRateDecay(0.01)
                                        .optInitialAccumulatorValue(0.1)
                                        .optWeightDecay(0.01),
                        n -> new ReferenceOptimizers.Adagrad(n, 0.01, 0.1, 1e-10, 0.01),
                        3),
                of(
                        "rmsprop",
                        1e-2,
                        Descent::rmsProp,
                        n -> new ReferenceOptimizers.RmsProp(n, 0.99, 1e-8, 0, false, 0),
                        0.003),
                of(
                        "rmsprop-centered-momentum",
                        1e-3,
                        () ->
                                Descent.rmsProp()
                                        .optCentered(true)
                                        .optMomentum(0.9)
                                        .optWeightDecay(0.01),
                        n -> new ReferenceOptimizers.RmsProp(n, 0.99, 1e-8, 0.9, true, 0.01),
                        0.001),
                of(
                        "adadelta",
                        1.0,
                        () -> Descent.adadelta().optWeightDecay(0.01),
                        n -> new ReferenceOptimizers.Adadelta(n, 0.9, 1e-6, 0.01),
                        0.1),
                of(
                        "sophia",
                        1e-2,
                        () -> Descent.sophia().setBatchSize(32),
                        n -> new ReferenceOptimizers.Sophia(n, 0.965, 0.99, 0.04, 32, 0.1),
                        0.003),
                of(
                        "muon",
                        1e-2,
                        () -> Descent.muon().optAdamLearningRate(1e-2).optAdamWeightDecay(0.1),
                        n -> new ReferenceOptimizers.AdamW(n, 0.9, 0.95, 1e-10, 0.1),
                        0.01),
                of(
                        "muon-adam-betas",
                        1e-2,
                        () ->
                                Descent.muon()
                                        .optAdamLearningRate(1e-2)
                                        .optAdamBeta1(0.8)
                                        .optAdamBeta2(0.999)
                                        .optAdamEpsilon(1e-8)
                                        .optWeightDecay(0.1),
                        n -> new ReferenceOptimizers.AdamW(n, 0.8, 0.999, 1e-8, 0),
                        0.01),
                of(
                        "scion",
                        1e-2,
                        () -> Descent.scion().optMomentum(0.1).optScale(2),
                        n -> new ReferenceOptimizers.Scion(n, 0.1, 2, true, 0),
                        0.01),
                of(
                        "scion-unconstrained",
                        1e-2,
                        () ->
                                Descent.scion()
                                        .optConstrained(false)
                                        .optMomentum(0.5)
                                        .optWeightDecay(0.01),
                        n -> new ReferenceOptimizers.Scion(n, 0.5, 1, false, 0.01),
                        0.003),
                of(
                        "psgd-kron",
                        1e-2,
                        Descent::psgdKron,
                        n ->
                                new ReferenceOptimizers.PsgdKron(
                                        n, 0.9, 0.1, Double.NaN, true, seed("w")),
                        0.01),
                of(
                        "psgd-kron-sparse-updates",
                        1e-2,
                        () ->
                                Descent.psgdKron()
                                        .optUpdateProbability(0.4)
                                        .optMomentumIntoPreconditionerUpdate(false)
                                        .optPrecondLr(0.3)
                                        .optWeightDecay(0.1),
                        // vectors take no weight decay in PSGD-Kron
                        n -> new ReferenceOptimizers.PsgdKron(n, 0.9, 0.3, 0.4, false, seed("w")),
                        0.01),
                of(
                        "cautious-adabelief",
                        1e-2,
                        () -> Descent.adaBelief().optCautious(true),
                        n ->
                                new ReferenceOptimizers.AdaBelief(
                                                n, 0.9, 0.999, 1e-16, false, true, true, 0,
                                                DECOUPLED)
                                        .cautious(),
                        0.01),
                of(
                        "cautious-lion",
                        1e-2,
                        () -> Descent.lion().optCautious(true),
                        n -> new ReferenceOptimizers.Lion(n, 0.9, 0.99, 0).cautious(),
                        0.003),
                of(
                        "cautious-sgd-momentum",
                        0.05,
                        () -> Descent.sgd().optMomentum(0.9).optCautious(true),
                        n -> new ReferenceOptimizers.Sgd(n, 0.9, 0, false, 0).cautious(),
                        0.001));
    }

    /** PSGD-Kron's seed of a parameter at the default builder seed (42). */
    private static int seed(String name) {
        return java.util.Objects.hash(42L, name);
    }

    private static OptimizerCase of(
            String name,
            double lr,
            Supplier<DescentOptimizer.Builder<?>> builder,
            IntFunction<Reference> reference,
            double convergenceLr) {
        return new OptimizerCase(name, lr, builder, reference, convergenceLr);
    }
}
