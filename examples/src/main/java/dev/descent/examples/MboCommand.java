package dev.descent.examples;

import dev.descent.surrogate.mbo.IgniteRegularizer;
import dev.descent.surrogate.mbo.MboExperiment;
import dev.descent.surrogate.mbo.OfflineTasks;
import dev.descent.surrogate.mbo.SurrogateHead;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code descent mbo}: offline model-based optimization with and without IGNITE. */
@Command(
        name = "mbo",
        mixinStandardHelpOptions = true,
        description = {
            "Offline model-based optimization on tasks with exact oracles: surrogates trained on"
                    + " the bottom of a sample, searched by gradient ascent, ensembles, COMs or"
                    + " CMA-ES, with and without IGNITE's sharpness regularizer; scores are the"
                    + " normalized 100th/80th/50th percentiles of 128 proposals (Design-Bench)."
        },
        subcommands = {MboCommand.Run.class, MboCommand.Table.class, MboCommand.Report.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n")
public final class MboCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Options shared by {@code run} and {@code table}. */
    static final class Budget {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(
                names = "--seeds",
                defaultValue = "8",
                description = "Seeds per configuration (>= 1). Default: ${DEFAULT-VALUE}.")
        int seeds;

        @Option(
                names = "--hidden",
                defaultValue = "64",
                description =
                        "Width of the surrogates' two hidden layers (reference: 2048)."
                                + " Default: ${DEFAULT-VALUE}.")
        int hidden;

        @Option(
                names = "--epochs",
                defaultValue = "20",
                description =
                        "Surrogate training epochs (reference: 100). Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(
                names = "--lr",
                defaultValue = "1e-3",
                description =
                        "Adam's learning rate for the surrogates (reference: 3e-4 over 100"
                                + " epochs). Default: ${DEFAULT-VALUE}.")
        double learningRate;

        @Option(
                names = "--head",
                defaultValue = "GAUSSIAN",
                description =
                        "Surrogate head: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        SurrogateHead head;

        @Option(
                names = "--ensemble",
                defaultValue = "3",
                description =
                        "Models in ens-mean and ens-min (reference: 5). Default: ${DEFAULT-VALUE}.")
        int ensemble;

        @Option(
                names = "--ascent-steps",
                defaultValue = "200",
                description =
                        "Gradient ascent steps of 0.01·√n (grad, ensembles)."
                                + " Default: ${DEFAULT-VALUE}.")
        int ascentSteps;

        @Option(
                names = "--coms-particle-steps",
                defaultValue = "5",
                description =
                        "COMs' ascent steps per training batch (reference: 50)."
                                + " Default: ${DEFAULT-VALUE}.")
        int comsParticleSteps;

        @Option(
                names = "--cma-iterations",
                defaultValue = "10",
                description =
                        "CMA-ES generations per start (reference: 100). Default: ${DEFAULT-VALUE}.")
        int cmaIterations;

        @Option(
                names = "--count",
                defaultValue = "128",
                description = "Designs proposed per run. Default: ${DEFAULT-VALUE}.")
        int count;

        @Option(
                names = "--ignite-variant",
                defaultValue = "DUAL",
                description =
                        "DUAL: epsilon 0.1, lambda0 1e-3, eta 1e-3, rho = r = 0.05; FIXED: lambda"
                                + " 0.01, rho = r = 0.2. Default: ${DEFAULT-VALUE}.")
        MboBenchmark.IgniteVariant variant;

        @Option(
                names = "--ignite-dual-rate",
                defaultValue = "1e-3",
                description =
                        "IGNITE's dual step eta_lambda for the DUAL variant (reference: 1e-3 over"
                                + " ~25,000 batches). Default: ${DEFAULT-VALUE}.")
        double dualRate;

        @Option(
                names = "--ignite-product",
                defaultValue = "FINITE_DIFFERENCE",
                description =
                        "IGNITE's Hessian-vector product: ${COMPLETION-CANDIDATES}."
                                + " Default: ${DEFAULT-VALUE}.")
        IgniteRegularizer.Product product;

        @Option(
                names = "--threads",
                defaultValue = "1",
                description =
                        "PyTorch intra-op threads (>= 1); small surrogates run fastest on one."
                                + " Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                defaultValue = "descent-out/mbo",
                description =
                        "Folder for results.md, results.csv and mbo.png. Default: ${DEFAULT-VALUE}.")
        Path output;

        MboBenchmark.Settings settings(
                List<String> tasks, List<String> optimizers, List<Boolean> ignite) {
            for (String t : tasks) {
                if (!OfflineTasks.names().contains(t)) {
                    throw bad("unknown task '" + t + "', expected one of " + OfflineTasks.names());
                }
            }
            for (String o : optimizers) {
                if (!MboBenchmark.OPTIMIZERS.contains(o)) {
                    throw bad(
                            "unknown optimizer '"
                                    + o
                                    + "', expected one of "
                                    + MboBenchmark.OPTIMIZERS);
                }
            }
            int[] positive = {
                seeds, hidden, ensemble, comsParticleSteps, cmaIterations, count, threads
            };
            String[] names = {
                "--seeds",
                "--hidden",
                "--ensemble",
                "--coms-particle-steps",
                "--cma-iterations",
                "--count",
                "--threads"
            };
            for (int i = 0; i < positive.length; i++) {
                if (positive[i] < 1) {
                    throw bad(names[i] + " must be >= 1, got " + positive[i]);
                }
            }
            if (epochs < 0 || ascentSteps < 0) {
                throw bad("--epochs and --ascent-steps must be >= 0");
            }
            if (!(dualRate >= 0)) {
                throw bad("--ignite-dual-rate must be >= 0, got " + dualRate);
            }
            if (!(learningRate > 0)) {
                throw bad("--lr must be > 0, got " + learningRate);
            }
            return new MboBenchmark.Settings(
                    tasks,
                    optimizers,
                    seeds,
                    ignite,
                    variant,
                    dualRate,
                    product,
                    hidden,
                    epochs,
                    learningRate,
                    head,
                    ensemble,
                    ascentSteps,
                    comsParticleSteps,
                    cmaIterations,
                    count,
                    threads);
        }

        private ParameterException bad(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        int execute(MboBenchmark.Settings settings, ProgressOption progress) {
            OutputLocation.checkFolder(spec, "--output", output, MboReport.FILES);
            List<MboExperiment.Outcome> outcomes;
            try (Progress bar = progress.start("mbo", settings.runs(), "runs")) {
                outcomes = MboBenchmark.run(settings, bar::stepBy);
            }
            List<String> header = new ArrayList<>();
            header.add(
                    "Command: `descent "
                            + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                            + "`");
            header.add("");
            header.add(
                    "Normalized scores (s − min)/(max − min) over the full sample; mean ± std"
                            + " over "
                            + settings.seeds()
                            + " seeds; sharpness = 0.05·‖∇_β mean prediction‖ on the training"
                            + " designs.");
            // The table first: a failure to write the files afterwards does not lose the results.
            PrintWriter out = spec.commandLine().getOut();
            out.print(MboReport.table(outcomes));
            out.flush();
            List<Path> files = MboReport.write(outcomes, header, output);
            out.println();
            out.println("Wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
            out.flush();
            return 0;
        }
    }

    /** {@code descent mbo run}: one task and optimizer. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Runs one optimizer on one task over seeds, plain or with --ignite.")
    static final class Run implements Callable<Integer> {
        @Mixin Budget budget;

        @Option(
                names = "--task",
                required = true,
                description = "The task: ackley, rastrigin, rosenbrock, nk, springs.")
        String task;

        @Option(
                names = "--optimizer",
                required = true,
                description = "The optimizer: grad, ens-mean, ens-min, coms, cma-es.")
        String optimizer;

        @Option(names = "--ignite", description = "Train the surrogates with IGNITE.")
        boolean ignite;

        @Mixin ProgressOption progress;

        @Override
        public Integer call() {
            return budget.execute(
                    budget.settings(List.of(task), List.of(optimizer), List.of(ignite)), progress);
        }
    }

    /** {@code descent mbo table}: every task and optimizer, plain and with IGNITE. */
    @Command(
            name = "table",
            mixinStandardHelpOptions = true,
            description =
                    "Runs every task x optimizer, plain and with IGNITE, and writes the table"
                            + " and the bar plot.")
    static final class Table implements Callable<Integer> {
        @Mixin Budget budget;

        @Option(
                names = "--tasks",
                split = ",",
                defaultValue = "ackley,rastrigin,rosenbrock,nk,springs",
                description = "Tasks, comma-separated. Default: ${DEFAULT-VALUE}.")
        List<String> tasks;

        @Option(
                names = "--optimizers",
                split = ",",
                defaultValue = "grad,ens-mean,ens-min,coms,cma-es",
                description = "Optimizers, comma-separated. Default: ${DEFAULT-VALUE}.")
        List<String> optimizers;

        @Mixin ProgressOption progress;

        @Override
        public Integer call() {
            return budget.execute(
                    budget.settings(tasks, optimizers, List.of(false, true)), progress);
        }
    }

    /** {@code descent mbo report}: one table and plot from the results.csv of several runs. */
    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description =
                    "Merges the results.csv files of earlier run/table commands (e.g. one per"
                            + " task, run side by side) into one table, CSV and bar plot.")
    static final class Report implements Callable<Integer> {
        @Spec CommandSpec spec;

        @picocli.CommandLine.Parameters(
                arity = "1..*",
                paramLabel = "CSV",
                description = "results.csv files written by mbo run or mbo table.")
        List<Path> inputs;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                defaultValue = "descent-out/mbo",
                description =
                        "Folder for results.md, results.csv and mbo.png. Default: ${DEFAULT-VALUE}.")
        Path output;

        @Override
        public Integer call() {
            List<MboExperiment.Outcome> outcomes = new ArrayList<>();
            for (Path csv : inputs) {
                try {
                    outcomes.addAll(MboReport.read(csv));
                } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                    throw new ParameterException(
                            spec.commandLine(), DescentCli.ReportFailure.describe(e));
                }
            }
            OutputLocation.checkFolder(spec, "--output", output, MboReport.FILES);
            PrintWriter out = spec.commandLine().getOut();
            out.print(MboReport.table(outcomes));
            out.flush();
            List<Path> files =
                    MboReport.write(outcomes, List.of("Merged from " + inputs + "."), output);
            out.println();
            out.println("Wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
            out.flush();
            return 0;
        }
    }
}
