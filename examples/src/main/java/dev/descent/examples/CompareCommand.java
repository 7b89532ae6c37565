package dev.descent.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code descent compare}: trains one small network per optimizer on the same data from the same
 * initial weights and reports losses, accuracy, time and optimizer memory side by side.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = DescentCli.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "%n",
        header = "Train the same network with each optimizer and compare the results.",
        descriptionHeading = "%n",
        description = {
            "Trains a perceptron with one hidden layer (64 -> HIDDEN, ReLU -> 10) with softmax"
                    + " cross-entropy on a data set split 80/20 into training and validation"
                    + " sets by a seeded shuffle, once per optimizer, through DJL's Trainer on"
                    + " the PyTorch engine (CPU). Every run starts from the same initial weights"
                    + " (the engine's seed is set before each model is built) and sees the same"
                    + " mini-batches in the same order.",
            "",
            "Prints a table of the final training and validation loss, validation accuracy,"
                    + " wall time and optimizer-state bytes per optimizer, and writes into the"
                    + " output folder (created when missing; these files replaced, others left"
                    + " alone; checked before training):",
            "  results.md   settings, the results table and the learning-rate table",
            "  results.csv  per optimizer and epoch: both losses, validation accuracy, time",
            "  loss.png     training and validation loss per epoch (log scale)",
            "A run whose loss or gradient becomes NaN or infinite stops and is reported as"
                    + " diverged; the others go on.",
            "",
            "The default run (19 optimizers, 50 epochs, digits) takes about 20 s on one CPU core."
        },
        optionListHeading = "%nOptions:%n",
        footerHeading =
                "%nLearning rates (all other hyper-parameters are the reference defaults):%n")
public final class CompareCommand implements Callable<Integer> {

    /** The default number of epochs. */
    public static final int DEFAULT_EPOCHS = 50;

    /** The default mini-batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The default width of the hidden layer. */
    public static final int DEFAULT_HIDDEN = 64;

    private CommandSpec spec;

    private List<OptimizerChoice> optimizers = List.of(OptimizerChoice.values());
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int hidden = DEFAULT_HIDDEN;
    private int threads = 1;
    private final Map<OptimizerChoice, Double> learningRates = new EnumMap<>(OptimizerChoice.class);

    @Option(
            names = "--dataset",
            order = 3,
            paramLabel = "NAME",
            defaultValue = "digits",
            converter = DatasetConverter.class,
            description = {
                "Data set: digits (UCI handwritten digits, 1,797 8x8 images, 10 classes,"
                        + " bundled) or synthetic (Gaussian blobs drawn from the seed, 1,797"
                        + " samples, 64 features, 10 classes). Default: ${DEFAULT-VALUE}."
            })
    private DatasetChoice dataset;

    @Option(
            names = "--seed",
            order = 6,
            paramLabel = "N",
            defaultValue = "42",
            description =
                    "Seed of the initial weights, the train/validation split, the batch order"
                            + " and the synthetic data. Default: ${DEFAULT-VALUE}.")
    private int seed;

    @Option(
            names = {"-o", "--output"},
            order = 8,
            paramLabel = "DIR",
            defaultValue = "descent-out/compare",
            description =
                    "Folder for results.md, results.csv and loss.png, relative to the current"
                            + " directory unless absolute. Default: ${DEFAULT-VALUE}.")
    private Path output;

    @Mixin private ProgressOption progress;

    /**
     * Receives the command's model and adds the learning-rate table to its help.
     *
     * @param spec the model of this command
     */
    @Spec
    void setSpec(CommandSpec spec) {
        this.spec = spec;
        spec.usageMessage()
                .footer(
                        ComparisonReport.learningRateText().stream()
                                .map(line -> line.replace("%", "%%"))
                                .toArray(String[]::new));
    }

    /**
     * Sets the optimizers to run.
     *
     * @param names the optimizers, in order
     */
    @Option(
            names = "--optimizers",
            order = 1,
            paramLabel = "NAME",
            split = ",",
            converter = OptimizerConverter.class,
            completionCandidates = OptimizerNames.class,
            description = {
                "Optimizers to run, comma separated, in this order. Default: all, in this order:"
                        + " ${COMPLETION-CANDIDATES}. adamw is DJL's own AdamW, the baseline;"
                        + " cautious-adabelief is AdaBelief with the Cautious mask."
            })
    void setOptimizers(List<OptimizerChoice> names) {
        Set<OptimizerChoice> seen = new HashSet<>();
        for (OptimizerChoice choice : names) {
            if (!seen.add(choice)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--optimizers': '"
                                + choice.cliName()
                                + "' is listed twice");
            }
        }
        optimizers = new ArrayList<>(names);
    }

    /**
     * Sets the number of epochs.
     *
     * @param value the number, {@code >= 1}
     */
    @Option(
            names = "--epochs",
            order = 2,
            paramLabel = "N",
            description =
                    "Passes over the training set per optimizer (>= 1). Default: "
                            + DEFAULT_EPOCHS
                            + ".")
    void setEpochs(int value) {
        epochs = atLeastOne("--epochs", value);
    }

    /**
     * Sets the mini-batch size.
     *
     * @param value the size, {@code >= 1}
     */
    @Option(
            names = "--batch-size",
            order = 4,
            paramLabel = "N",
            description =
                    "Mini-batch size (>= 1); the batches are reshuffled every epoch. Default: "
                            + DEFAULT_BATCH_SIZE
                            + ".")
    void setBatchSize(int value) {
        batchSize = atLeastOne("--batch-size", value);
    }

    /**
     * Sets the width of the hidden layer.
     *
     * @param value the width, {@code >= 1}
     */
    @Option(
            names = "--hidden",
            order = 5,
            paramLabel = "N",
            description = "Width of the hidden layer (>= 1). Default: " + DEFAULT_HIDDEN + ".")
    void setHidden(int value) {
        hidden = atLeastOne("--hidden", value);
    }

    /**
     * Sets learning rates that replace the defaults of the table below.
     *
     * @param rates the learning rate per optimizer
     */
    @Option(
            names = "--lr",
            order = 7,
            paramLabel = "NAME=RATE",
            converter = {OptimizerConverter.class, RateConverter.class},
            description =
                    "Learning rate of one optimizer instead of the one in the table below, e.g."
                            + " --lr sgd=0.1 --lr lion=0.001 (repeatable; RATE finite and > 0).")
    void setLearningRates(Map<OptimizerChoice, Double> rates) {
        learningRates.clear();
        learningRates.putAll(rates);
    }

    /**
     * Sets the number of PyTorch intra-op threads.
     *
     * @param value the number, {@code >= 1}
     */
    @Option(
            names = "--threads",
            order = 9,
            paramLabel = "N",
            description =
                    "PyTorch intra-op threads (>= 1). Default: 1: this network is too small to"
                            + " gain from more, and extra threads slow it down badly when other"
                            + " processes share the cores.")
    void setThreads(int value) {
        threads = atLeastOne("--threads", value);
    }

    private int atLeastOne(String option, int value) {
        if (value < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + option + "': must be >= 1, got " + value);
        }
        return value;
    }

    @Override
    public Integer call() {
        OptimizerComparison.Settings settings =
                new OptimizerComparison.Settings(
                        optimizers,
                        learningRates,
                        dataset,
                        new ClassifierTraining.Setup(hidden, epochs, batchSize, seed),
                        threads);
        OutputLocation.checkFolder(spec, "--output", output, ComparisonReport.FILES);
        OptimizerComparison.Result result;
        try (Progress bar =
                progress.start("compare", (long) optimizers.size() * epochs, "epochs")) {
            result = OptimizerComparison.run(settings, bar::stepBy);
        }
        // The table first: a failure to write the files afterwards does not lose the results.
        PrintWriter out = spec.commandLine().getOut();
        out.print(ComparisonReport.table(result));
        out.flush();
        if (!result.sameInitialLoss()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(
                    "warning: the runs did not start from the same weights; see "
                            + output.resolve(ComparisonReport.MARKDOWN));
            err.flush();
        }
        List<Path> files = ComparisonReport.write(result, output);
        out.println();
        out.println("Wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        out.flush();
        return 0;
    }

    /** Converts an optimizer's command-line name. */
    static final class OptimizerConverter implements ITypeConverter<OptimizerChoice> {
        @Override
        public OptimizerChoice convert(String value) {
            try {
                return OptimizerChoice.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Converts a data set's command-line name. */
    static final class DatasetConverter implements ITypeConverter<DatasetChoice> {
        @Override
        public DatasetChoice convert(String value) {
            try {
                return DatasetChoice.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Converts a learning rate, which must be finite and positive. */
    static final class RateConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double rate;
            try {
                rate = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new TypeConversionException(
                        "learning rate must be finite and > 0, got " + value);
            }
            return rate;
        }
    }

    /** The optimizer names, for help texts. */
    static final class OptimizerNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        OptimizerNames() {
            super(Arrays.stream(OptimizerChoice.values()).map(OptimizerChoice::cliName).toList());
        }
    }
}
