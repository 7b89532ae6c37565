package dev.descent.optim;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Entry point to the optimizers of Descent, each a drop-in {@code
 * ai.djl.training.optimizer.Optimizer}:
 *
 * <pre>{@code
 * DefaultTrainingConfig config =
 *         Descent.trainingConfig(
 *                 Loss.softmaxCrossEntropyLoss(), Descent.adaBelief().optWeightDecay(1e-2).build());
 * }</pre>
 *
 * <p>Or by name, for configuration files and command lines: {@code Descent.byName("adamw",
 * Descent.Options.defaults().withLearningRate(3e-4))}; {@link #optimizers()} lists the names, each
 * with its paper and reference learning rate.
 */
public final class Descent {

    /**
     * The optimizers {@link #byName} knows, in the README's order. Sophia is not among them: it
     * needs {@code setBatchSize} and a {@link SophiaCurvatureListener}. Nor is {@link ProximalSgd}:
     * it needs a penalty.
     */
    private static final List<Factory> FACTORIES =
            List.of(
                    new Factory(
                            "adamw", "Loshchilov & Hutter 2019, arXiv:1711.05101", Descent::adamW),
                    new Factory(
                            "adabelief",
                            "Zhuang et al. 2020, arXiv:2010.07468",
                            Descent::adaBelief),
                    new Factory("lion", "Chen et al. 2023, arXiv:2302.06675", Descent::lion),
                    new Factory(
                            "nadamw",
                            "Dozat 2016; Loshchilov & Hutter 2019, arXiv:1711.05101",
                            Descent::nadamW),
                    new Factory("radam", "Liu et al. 2020, arXiv:1908.03265", Descent::radam),
                    new Factory("adamax", "Kingma & Ba 2015, arXiv:1412.6980", Descent::adamax),
                    new Factory("sgd", "Sutskever et al. 2013, ICML", Descent::sgd),
                    new Factory("adagrad", "Duchi et al. 2011, JMLR", Descent::adagrad),
                    new Factory(
                            "rmsprop",
                            "Tieleman & Hinton 2012; Graves 2013, arXiv:1308.0850",
                            Descent::rmsProp),
                    new Factory("adadelta", "Zeiler 2012, arXiv:1212.5701", Descent::adadelta),
                    new Factory("frugal", "Zmushko et al. 2024, arXiv:2411.07837", Descent::frugal),
                    new Factory("mfac", "Frantar et al. 2021, arXiv:2107.03356", Descent::mFac),
                    new Factory("soap", "Vyas et al. 2024, arXiv:2409.11321", Descent::soap),
                    new Factory("shampoo", "Gupta et al. 2018, arXiv:1802.09568", Descent::shampoo),
                    new Factory(
                            "muon",
                            "Jordan et al. 2024; Liu et al. 2025, arXiv:2502.16982",
                            Descent::muon),
                    new Factory("scion", "Pethick et al. 2025, arXiv:2502.07529", Descent::scion),
                    new Factory(
                            "psgd-kron",
                            "Li 2015, arXiv:1512.04202; Li 2022, arXiv:2211.04422",
                            Descent::psgdKron));

    private Descent() {}

    /**
     * An optimizer {@link #byName} knows.
     *
     * @param name its name, lower case, e.g. {@code psgd-kron}
     * @param paper the paper it implements
     * @param referenceLearningRate the default learning rate of the reference implementation, the
     *     one {@link #byName} uses unless told otherwise
     */
    public record Entry(String name, String paper, double referenceLearningRate) {}

    /**
     * The options {@link #byName} applies on top of an optimizer's reference defaults; an empty
     * value keeps the default.
     *
     * @param learningRate a constant learning rate, finite and {@code >= 0}
     * @param weightDecay the weight decay, finite and {@code >= 0}, in the optimizer's own mode
     *     (coupled or decoupled, as its reference)
     */
    public record Options(OptionalDouble learningRate, OptionalDouble weightDecay) {

        /**
         * Checks that neither component is null (the values are checked by the optimizer's
         * builder).
         */
        public Options {
            Objects.requireNonNull(learningRate, "learningRate");
            Objects.requireNonNull(weightDecay, "weightDecay");
        }

        /**
         * Returns options that keep every reference default.
         *
         * @return the options
         */
        public static Options defaults() {
            return new Options(OptionalDouble.empty(), OptionalDouble.empty());
        }

        /**
         * Returns a copy with a constant learning rate.
         *
         * @param lr the learning rate, finite and {@code >= 0}
         * @return the new options
         */
        public Options withLearningRate(double lr) {
            return new Options(OptionalDouble.of(lr), weightDecay);
        }

        /**
         * Returns a copy with a weight decay.
         *
         * @param decay the weight decay, finite and {@code >= 0}
         * @return the new options
         */
        public Options withWeightDecay(double decay) {
            return new Options(learningRate, OptionalDouble.of(decay));
        }
    }

    private record Factory(String name, String paper, Supplier<CommonBuilder<?>> builder) {

        Entry entry() {
            return new Entry(name, paper, builder.get().constantLearningRate());
        }
    }

    /**
     * Builds an optimizer by name at its reference defaults.
     *
     * @param name a name of {@link #optimizers()}, case ignored
     * @return a new optimizer
     * @throws IllegalArgumentException naming the known names when none matches
     */
    public static Optimizer byName(String name) {
        return byName(name, Options.defaults());
    }

    /**
     * Builds an optimizer by name at its reference defaults, changed by {@code options}.
     * Whole-model optimizers and Muon still need {@code bind(block)} ({@link BindableOptimizer}).
     *
     * @param name a name of {@link #optimizers()}, case ignored
     * @param options the learning rate and weight decay to use instead of the defaults
     * @return a new optimizer
     * @throws IllegalArgumentException naming the known names when none matches, or naming an
     *     option outside its range
     */
    public static Optimizer byName(String name, Options options) {
        Objects.requireNonNull(options, "options");
        CommonBuilder<?> builder = factory(name).builder().get();
        options.learningRate().ifPresent(builder::optLearningRate);
        options.weightDecay().ifPresent(builder::optWeightDecay);
        return builder.build();
    }

    /**
     * Returns the optimizers {@link #byName} knows, with their papers and reference learning rates.
     *
     * @return the entries, in a fixed order
     */
    public static List<Entry> optimizers() {
        return FACTORIES.stream().map(Factory::entry).toList();
    }

    /**
     * Returns the entry of one optimizer.
     *
     * @param name a name of {@link #optimizers()}, case ignored
     * @return its entry
     * @throws IllegalArgumentException naming the known names when none matches
     */
    public static Entry optimizer(String name) {
        return factory(name).entry();
    }

    private static Factory factory(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Factory f : FACTORIES) {
            if (f.name().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown optimizer '"
                        + name
                        + "'; known: "
                        + FACTORIES.stream().map(Factory::name).collect(Collectors.joining(", ")));
    }

    /**
     * A DJL training configuration with an optimizer and, for a Descent optimizer, the {@link
     * BindingListener} that binds it to the trainer's model and devices: {@code new
     * DefaultTrainingConfig(loss).optOptimizer(optimizer)} plus {@code
     * addTrainingListeners(BindingListener.of(optimizer))}. Bound, Muon knows its output layer,
     * M-FAC and FRUGAL's blocks see the whole model, name rules match, checkpoints are keyed by
     * name, and a step with NaN/Inf gradients is refused as a whole.
     *
     * @param loss the training loss
     * @param optimizer the optimizer (one of DJL's own gets no listener)
     * @return the configuration, to which further options can be added
     */
    public static DefaultTrainingConfig trainingConfig(Loss loss, Optimizer optimizer) {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Arguments.notNull("loss", loss))
                        .optOptimizer(Arguments.notNull("optimizer", optimizer));
        if (optimizer instanceof BindableOptimizer) {
            config.addTrainingListeners(BindingListener.of(optimizer));
        }
        return config;
    }

    /**
     * AdaBelief (adabelief_pytorch 0.2.1 defaults).
     *
     * @return a builder
     */
    public static AdaBelief.Builder adaBelief() {
        return AdaBelief.builder();
    }

    /**
     * Lion (reference defaults).
     *
     * @return a builder
     */
    public static Lion.Builder lion() {
        return Lion.builder();
    }

    /**
     * AdamW (torch.optim.AdamW defaults).
     *
     * @return a builder
     */
    public static AdamW.Builder adamW() {
        return AdamW.builder();
    }

    /**
     * FRUGAL: AdamW on a subspace, sign-SGD on the rest (fzmushko/FRUGAL pre-training defaults; the
     * block variant needs the model: {@link #trainingConfig} or {@code bind(block)}).
     *
     * @return a builder
     */
    public static Frugal.Builder frugal() {
        return Frugal.builder();
    }

    /**
     * NAdamW (torch.optim.NAdam defaults, decoupled decay).
     *
     * @return a builder
     */
    public static NAdamW.Builder nadamW() {
        return NAdamW.builder();
    }

    /**
     * RAdam (torch.optim.RAdam defaults).
     *
     * @return a builder
     */
    public static RAdam.Builder radam() {
        return RAdam.builder();
    }

    /**
     * Adamax (torch.optim.Adamax defaults).
     *
     * @return a builder
     */
    public static Adamax.Builder adamax() {
        return Adamax.builder();
    }

    /**
     * SGD with optional (Nesterov) momentum (torch.optim.SGD defaults).
     *
     * @return a builder
     */
    public static Sgd.Builder sgd() {
        return Sgd.builder();
    }

    /**
     * Adagrad (torch.optim.Adagrad defaults).
     *
     * @return a builder
     */
    public static Adagrad.Builder adagrad() {
        return Adagrad.builder();
    }

    /**
     * RMSprop (torch.optim.RMSprop defaults).
     *
     * @return a builder
     */
    public static RmsProp.Builder rmsProp() {
        return RmsProp.builder();
    }

    /**
     * Adadelta (torch.optim.Adadelta defaults).
     *
     * @return a builder
     */
    public static Adadelta.Builder adadelta() {
        return Adadelta.builder();
    }

    /**
     * Sophia (Liuhong99/Sophia defaults); {@code setBatchSize} is required, and the curvature comes
     * from a {@link SophiaCurvatureListener} attached with it.
     *
     * @return a builder
     */
    public static Sophia.Builder sophia() {
        return Sophia.builder();
    }

    /**
     * M-FAC (IST-DASLab/M-FAC defaults); a whole-model optimizer: it needs the model ({@link
     * #trainingConfig} or {@code bind(block)}).
     *
     * @return a builder
     */
    public static MFac.Builder mFac() {
        return MFac.builder();
    }

    /**
     * Returns a builder for {@link Soap} (SOAP, Adam in the eigenbasis of Shampoo's statistics),
     * with nikhilvyas/SOAP's defaults.
     *
     * @return the builder
     */
    public static Soap.Builder soap() {
        return Soap.builder();
    }

    /**
     * Returns a builder for {@link Shampoo} (per-axis inverse-root preconditioning, optional SGD or
     * Adam grafting), with kozistr/pytorch_optimizer's defaults.
     *
     * @return the builder
     */
    public static Shampoo.Builder shampoo() {
        return Shampoo.builder();
    }

    /**
     * Muon for hidden weight matrices with a built-in AdamW for the rest (KellerJordan/Muon
     * defaults); it needs the model ({@link #trainingConfig} or {@code bind(block)}) so that its
     * output layer goes to AdamW.
     *
     * @return a builder
     */
    public static Muon.Builder muon() {
        return Muon.builder();
    }

    /**
     * Scion (LIONS-EPFL/scion defaults).
     *
     * @return a builder
     */
    public static Scion.Builder scion() {
        return Scion.builder();
    }

    /**
     * PSGD-Kron (evanatyourservice/kron_torch defaults).
     *
     * @return a builder
     */
    public static PsgdKron.Builder psgdKron() {
        return PsgdKron.builder();
    }

    /**
     * Proximal SGD: a gradient step, then the proximal map of an L1, SCAD or MCP penalty ({@code
     * setPenalty} is required; torch.optim.SGD's lr 1e-3).
     *
     * @return a builder
     */
    public static ProximalSgd.Builder proximalSgd() {
        return ProximalSgd.builder();
    }
}
