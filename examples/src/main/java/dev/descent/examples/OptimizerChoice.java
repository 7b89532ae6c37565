package dev.descent.examples;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.descent.optim.Descent;
import dev.descent.optim.Frugal;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

/**
 * The optimizers {@code descent compare} can run, each with the learning rate it uses there and the
 * reason whenever that differs from the reference default. Each builds on an optimizer of the
 * library's table ({@link Descent#byName}, which also gives the reference learning rate); what is
 * listed here is compare's own: DJL's AdamW as the baseline, variants, and its deviations.
 *
 * <p>Every other hyper-parameter is the reference default of the optimizer (see its Javadoc), with
 * one exception: SGD runs with momentum 0.9, as {@link #settings()} and {@link #deviation()} say.
 */
public enum OptimizerChoice {
    /** DJL's own AdamW, the baseline. */
    ADAMW(
            "adamw",
            "adamw",
            "DJL's Optimizer.adamW() (torch.optim.AdamW defaults, weight decay 0.01): the baseline",
            1e-3,
            "",
            lr -> Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) lr)).build()),
    /** AdaBelief. */
    ADABELIEF(
            "adabelief",
            "adabelief",
            "Descent.adaBelief() (adabelief_pytorch 0.2.1 defaults)",
            1e-3,
            "",
            lr -> named("adabelief", lr)),
    /** Lion. */
    LION(
            "lion",
            "lion",
            "Descent.lion() (google/automl lion defaults)",
            3e-4,
            "The reference default 1e-4 is still far from converged after 50 epochs here"
                    + " (validation loss about 0.52, AdamW 0.16). The paper's rule, a learning"
                    + " rate 3-10x below AdamW's, gives 1e-4 to 3.3e-4 at the baseline's 1e-3;"
                    + " 3e-4 is its upper end.",
            lr -> named("lion", lr)),
    /** NAdamW. */
    NADAMW(
            "nadamw",
            "nadamw",
            "Descent.nadamW() (torch.optim.NAdam defaults, decoupled decay)",
            2e-3,
            "",
            lr -> named("nadamw", lr)),
    /** RAdam. */
    RADAM(
            "radam",
            "radam",
            "Descent.radam() (torch.optim.RAdam defaults)",
            1e-3,
            "",
            lr -> named("radam", lr)),
    /** Adamax. */
    ADAMAX(
            "adamax",
            "adamax",
            "Descent.adamax() (torch.optim.Adamax defaults)",
            2e-3,
            "",
            lr -> named("adamax", lr)),
    /** SGD with momentum. */
    SGD(
            "sgd",
            "sgd",
            "Descent.sgd().optMomentum(0.9) (torch.optim.SGD defaults otherwise)",
            0.05,
            "Momentum 0.9 and lr 0.05, the usual recipe for small networks, instead of the"
                    + " reference's lr 1e-3 without momentum, which barely trains in this"
                    + " budget: even with momentum 0.9, lr 1e-3 leaves the validation loss at"
                    + " about 0.54 after 50 epochs.",
            lr -> Descent.sgd().optMomentum(0.9).optLearningRate(lr).build()),
    /** Adagrad. */
    ADAGRAD(
            "adagrad",
            "adagrad",
            "Descent.adagrad() (torch.optim.Adagrad defaults)",
            1e-2,
            "",
            lr -> named("adagrad", lr)),
    /** RMSprop. */
    RMSPROP(
            "rmsprop",
            "rmsprop",
            "Descent.rmsProp() (torch.optim.RMSprop defaults)",
            1e-2,
            "",
            lr -> named("rmsprop", lr)),
    /** Adadelta. */
    ADADELTA(
            "adadelta",
            "adadelta",
            "Descent.adadelta() (torch.optim.Adadelta defaults)",
            1.0,
            "",
            lr -> named("adadelta", lr)),
    /** AdaBelief with the Cautious mask. */
    CAUTIOUS_ADABELIEF(
            "cautious-adabelief",
            "adabelief",
            "Descent.adaBelief().optCautious(true) (adabelief_pytorch 0.2.1 defaults)",
            1e-3,
            "",
            lr -> Descent.adaBelief().optCautious(true).optLearningRate(lr).build()),
    /** FRUGAL, block variant. */
    FRUGAL(
            "frugal",
            "frugal",
            "Descent.frugal().optDensity(0.5) (fzmushko/FRUGAL pre-training defaults otherwise:"
                    + " blocks in descending order, T 200, sign-SGD on the rest)",
            1e-3,
            "Density 0.5 instead of 0.25: the model has two weight matrices, and round(2 x 0.25)"
                    + " = 0 would leave no block with AdamW state (pure sign-SGD on the weights).",
            lr -> Descent.frugal().optDensity(0.5).optLearningRate(lr).build()),
    /** FRUGAL, projection on the gradient's top singular vectors. */
    FRUGAL_SVD(
            "frugal-svd",
            "frugal",
            "Descent.frugal().optSubspace(SVD_PROJECTION) (fzmushko/FRUGAL defaults otherwise:"
                    + " density 0.25, T 200, sign-SGD on the residual)",
            1e-3,
            "",
            lr ->
                    Descent.frugal()
                            .optSubspace(Frugal.Subspace.SVD_PROJECTION)
                            .optLearningRate(lr)
                            .build()),
    /** M-FAC, the dynamic inverse-Fisher optimizer. */
    MFAC(
            "mfac",
            "mfac",
            "Descent.mFac().optGradients(64) (IST-DASLab/M-FAC defaults otherwise: damping 1e-5,"
                    + " no momentum)",
            1e-3,
            "A window of m = 64 gradients instead of 1024: the host's m x m refactorization costs"
                    + " O(m^3) per step, and 1024 would multiply that work by (1024/64)^3 = 4096 on a"
                    + " model with fewer weights than the window has gradients. It also keeps"
                    + " the reference's lr 1e-3 stable: at m = 1024 lr 1e-3 makes this network's"
                    + " epoch loss jump (stable at 3e-4); at m = 64 1e-3 is the largest stable"
                    + " rate of {1e-4, 3e-4, 1e-3, 3e-3} (see MFac's Javadoc).",
            lr -> Descent.mFac().optGradients(64).optLearningRate(lr).build()),
    /** SOAP. */
    SOAP(
            "soap",
            "soap",
            "Descent.soap() (nikhilvyas/SOAP defaults)",
            3e-3,
            "",
            lr -> named("soap", lr)),
    /** Shampoo. */
    SHAMPOO(
            "shampoo",
            "shampoo",
            "Descent.shampoo() (kozistr/pytorch_optimizer Shampoo defaults, no grafting)",
            0.1,
            "The reference default 1e-3 barely trains in this budget (validation loss 2.18 after"
                    + " 50 epochs, 1e-2: 1.21): without grafting Shampoo's steps shrink as its"
                    + " accumulated statistics grow. 0.1 is the best of {1e-3, 1e-2, 1e-1}"
                    + " (validation loss 0.16).",
            lr -> named("shampoo", lr)),
    /** Muon on the hidden weight matrix, AdamW on the rest. */
    MUON(
            "muon",
            "muon",
            "Descent.muon() (KellerJordan/Muon defaults; the hidden layer's weight takes the"
                    + " Newton-Schulz step, the output layer and the biases the built-in AdamW at"
                    + " lr 3e-4)",
            0.02,
            "",
            lr -> named("muon", lr)),
    /** Scion. */
    SCION(
            "scion",
            "scion",
            "Descent.scion().optMomentum(0.1).optSignScale(1024) (the MLP example of"
                    + " LIONS-EPFL/scion's README: momentum 0.1, spectral LMO at scale 1 on the"
                    + " hidden layer, sign at scale 2^10 on the output layer; RMS on biases,"
                    + " constrained, lr 1e-3 as the reference's default)",
            1e-3,
            "",
            lr -> Descent.scion().optMomentum(0.1).optSignScale(1024).optLearningRate(lr).build()),
    /** PSGD-Kron. */
    PSGD_KRON(
            "psgd-kron",
            "psgd-kron",
            "Descent.psgdKron() (evanatyourservice/kron_torch defaults)",
            3e-4,
            "",
            lr -> named("psgd-kron", lr));

    private final String cliName;
    private final String libraryName;
    private final String settings;
    private final double learningRate;
    private final String deviation;
    private final DoubleFunction<Optimizer> factory;

    OptimizerChoice(
            String cliName,
            String libraryName,
            String settings,
            double learningRate,
            String deviation,
            DoubleFunction<Optimizer> factory) {
        this.cliName = cliName;
        this.libraryName = libraryName;
        this.settings = settings;
        this.learningRate = learningRate;
        this.deviation = deviation;
        this.factory = factory;
    }

    /**
     * Returns the name on the command line, e.g. {@code cautious-adabelief}.
     *
     * @return the name
     */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns how the optimizer is built and whose defaults it follows.
     *
     * @return the construction, in words
     */
    public String settings() {
        return settings;
    }

    /**
     * Returns the default learning rate of the reference implementation, from the library's table
     * ({@link Descent#optimizer(String)}).
     *
     * @return the reference learning rate
     */
    public double referenceLearningRate() {
        return Descent.optimizer(libraryName).referenceLearningRate();
    }

    /** The library's optimizer of that name at a learning rate, every other setting its default. */
    private static Optimizer named(String name, double lr) {
        return Descent.byName(name, Descent.Options.defaults().withLearningRate(lr));
    }

    /**
     * Returns the learning rate {@code descent compare} uses unless told otherwise.
     *
     * @return the learning rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Returns why {@link #learningRate()} (or another setting) differs from the reference, or an
     * empty string when it does not.
     *
     * @return the reason
     */
    public String deviation() {
        return deviation;
    }

    /**
     * Builds a fresh optimizer at a learning rate; every other setting as {@link #settings()}.
     *
     * @param lr the learning rate, finite and {@code > 0}
     * @return a new optimizer
     */
    public Optimizer create(double lr) {
        return factory.apply(lr);
    }

    /**
     * Finds a choice by its command-line name, ignoring case.
     *
     * @param name the name
     * @return the choice
     * @throws IllegalArgumentException naming the allowed names when none matches
     */
    public static OptimizerChoice fromCliName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (OptimizerChoice choice : values()) {
            if (choice.cliName.equals(key)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(
                "unknown optimizer '" + name + "'; allowed: " + allNames());
    }

    /**
     * Returns every command-line name, comma separated, in the default order.
     *
     * @return the names
     */
    public static String allNames() {
        return Arrays.stream(values()).map(c -> c.cliName).collect(Collectors.joining(", "));
    }
}
