package dev.descent.examples;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.descent.surrogate.mbo.CmaEsSearch;
import dev.descent.surrogate.mbo.ConservativeObjectiveModels;
import dev.descent.surrogate.mbo.GradientAscent;
import dev.descent.surrogate.mbo.IgniteRegularizer;
import dev.descent.surrogate.mbo.MboExperiment;
import dev.descent.surrogate.mbo.OfflineDataset;
import dev.descent.surrogate.mbo.OfflineOptimizer;
import dev.descent.surrogate.mbo.OfflineTasks;
import dev.descent.surrogate.mbo.SurrogateHead;
import dev.descent.surrogate.mbo.SurrogateTraining;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs offline model-based optimizers on the benchmark tasks, with and without IGNITE, over seeds,
 * the Design-Bench way (see {@link MboExperiment}). The offline data of a task are drawn once (data
 * seed 0); the seed of a run sets the surrogates' weights, splits and batch order and the search.
 */
final class MboBenchmark {

    /** Optimizer names accepted by {@link #optimizer}. */
    static final List<String> OPTIMIZERS = List.of("grad", "ens-mean", "ens-min", "coms", "cma-es");

    private MboBenchmark() {}

    /** The IGNITE variants of the notes. */
    enum IgniteVariant {
        /** Dual update: epsilon 0.1, lambda₀ 1e-3, eta 1e-3, rho = r = 0.05. */
        DUAL,
        /** Fixed multiplier 0.01 with rho = r = 0.2. */
        FIXED
    }

    /**
     * A benchmark configuration.
     *
     * @param tasks task names (see {@link OfflineTasks#names()})
     * @param optimizers optimizer names (see {@link #OPTIMIZERS})
     * @param seeds the number of seeds, {@code >= 1}
     * @param ignite which of plain (false) and IGNITE (true) training to run
     * @param variant the IGNITE variant
     * @param dualRate the dual step of the DUAL variant
     * @param product how IGNITE's Hessian–vector product is formed
     * @param hidden the surrogates' hidden width
     * @param epochs the surrogates' training epochs
     * @param learningRate Adam's learning rate
     * @param head the surrogates' head
     * @param ensemble the ensemble size of ens-mean and ens-min
     * @param ascentSteps gradient ascent steps (grad, ensembles)
     * @param comsParticleSteps COMs' ascent steps per training batch
     * @param cmaIterations CMA-ES generations per run
     * @param count proposals per run
     * @param threads PyTorch intra-op threads
     */
    record Settings(
            List<String> tasks,
            List<String> optimizers,
            int seeds,
            List<Boolean> ignite,
            IgniteVariant variant,
            double dualRate,
            IgniteRegularizer.Product product,
            int hidden,
            int epochs,
            double learningRate,
            SurrogateHead head,
            int ensemble,
            int ascentSteps,
            int comsParticleSteps,
            int cmaIterations,
            int count,
            int threads) {

        /** The number of runs. */
        int runs() {
            return tasks.size() * optimizers.size() * seeds * ignite.size();
        }
    }

    /**
     * Makes an optimizer by name.
     *
     * @param name one of {@link #OPTIMIZERS}
     * @param settings the budgets
     * @return the optimizer
     */
    static OfflineOptimizer optimizer(String name, Settings settings) {
        return switch (name) {
            case "grad" ->
                    new GradientAscent(
                            1, GradientAscent.Aggregation.MEAN, 0.01, settings.ascentSteps());
            case "ens-mean" ->
                    new GradientAscent(
                            settings.ensemble(),
                            GradientAscent.Aggregation.MEAN,
                            0.01,
                            settings.ascentSteps());
            case "ens-min" ->
                    new GradientAscent(
                            settings.ensemble(),
                            GradientAscent.Aggregation.MIN,
                            0.01,
                            settings.ascentSteps());
            case "coms" -> new ConservativeObjectiveModels(0.05, settings.comsParticleSteps(), 50);
            case "cma-es" -> new CmaEsSearch(0.5, settings.cmaIterations());
            default ->
                    throw new IllegalArgumentException(
                            "unknown optimizer '" + name + "', expected one of " + OPTIMIZERS);
        };
    }

    /**
     * Makes the surrogate training of a run.
     *
     * @param settings the configuration
     * @param ignite whether to regularize
     * @return the training
     */
    static SurrogateTraining training(Settings settings, boolean ignite) {
        SurrogateTraining.Builder b =
                SurrogateTraining.builder()
                        .optHead(settings.head())
                        .optHidden(settings.hidden(), 2)
                        .optEpochs(settings.epochs())
                        .optLearningRate(settings.learningRate());
        if (ignite) {
            IgniteVariant variant = settings.variant();
            IgniteRegularizer.Product product = settings.product();
            double dualRate = settings.dualRate();
            b.optIgnite(
                    () -> {
                        IgniteRegularizer.Builder r =
                                IgniteRegularizer.builder().optProduct(product);
                        if (variant == IgniteVariant.FIXED) {
                            r.optFixedLambda(0.01).optRho(0.2).optRadius(0.2);
                        } else {
                            r.optDualRate(dualRate);
                        }
                        return r.build();
                    });
        }
        return b.build();
    }

    /**
     * Runs every task × optimizer × training × seed. Sets the process's PyTorch intra-op threads
     * first (it stays so afterwards).
     *
     * @param settings the configuration
     * @param progress told of each finished run
     * @return the outcomes, in task, optimizer, training, seed order
     */
    static List<MboExperiment.Outcome> run(Settings settings, IntConsumer progress) {
        Engine.getEngine("PyTorch"); // loads the native library that takes the setting
        JniUtils.setNumThreads(settings.threads());
        List<MboExperiment.Outcome> outcomes = new ArrayList<>();
        for (String taskName : settings.tasks()) {
            OfflineTasks.Spec spec = OfflineTasks.byName(taskName);
            OfflineDataset data = spec.data(0);
            for (String optimizerName : settings.optimizers()) {
                OfflineOptimizer optimizer = optimizer(optimizerName, settings);
                for (boolean ignite : settings.ignite()) {
                    SurrogateTraining training = training(settings, ignite);
                    for (int seed = 0; seed < settings.seeds(); seed++) {
                        outcomes.add(
                                MboExperiment.run(
                                        spec.task(),
                                        data,
                                        optimizer,
                                        training,
                                        settings.count(),
                                        seed));
                        progress.accept(1);
                    }
                }
            }
        }
        return outcomes;
    }
}
