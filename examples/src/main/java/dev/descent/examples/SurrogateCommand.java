package dev.descent.examples;

import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.RuntimeOptions;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.ExitStatus;
import dev.descent.surrogate.History;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.Solvers;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.SurrogateResult;
import dev.descent.surrogate.SurrogateSolver;
import dev.descent.surrogate.bench.BenchmarkProblem;
import dev.descent.surrogate.bench.BenchmarkProblems;
import dev.descent.surrogate.bench.SurrogateBenchmark;
import dev.descent.surrogate.spec.ProblemSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code descent surrogate}: optimization over a trained network, and the solver benchmark. */
@Command(
        name = "surrogate",
        mixinStandardHelpOptions = true,
        description = {
            "Maximizes f(Phi(x)) subject to c(Phi(x)) <= 0 over a trained network Phi, or"
                    + " benchmarks the solvers on the built-in problem set."
        },
        subcommands = {SurrogateCommand.Optimize.class, SurrogateCommand.Benchmark.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n")
public final class SurrogateCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    /**
     * Without a subcommand there is nothing to do: prints the usage on stderr.
     *
     * @return the exit status of invalid input
     */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return spec.exitCodeOnInvalidInput();
    }

    private static SurrogateSolver solver(CommandSpec spec, String name) {
        try {
            return Solvers.byName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code descent surrogate optimize --model M.onnx --problem P.json}. */
    @Command(
            name = "optimize",
            mixinStandardHelpOptions = true,
            description = {
                "Maximizes the objective of a problem file over an ONNX network with one solver,"
                        + " and writes the history (history.csv) and a convergence plot"
                        + " (convergence.png). The problem file declares the objective (weighted"
                        + " sum or target distance over the outputs), constraints (bounds on"
                        + " outputs, linear inequalities over outputs), variable bounds and the"
                        + " start point; see ProblemSpec's Javadoc or the README."
            })
    static final class Optimize implements Callable<Integer> {

        @Spec private CommandSpec spec;

        @Option(
                names = "--model",
                required = true,
                paramLabel = "M.onnx",
                description = "The network (one input with a batch dimension, one output).")
        private Path model;

        @Option(
                names = "--problem",
                required = true,
                paramLabel = "P.json",
                description = "The problem file.")
        private Path problem;

        @Option(
                names = "--algorithm",
                defaultValue = "hybrid",
                paramLabel = "NAME",
                description = "The solver: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = SolverNames.class)
        private String algorithm;

        @Option(
                names = "--budget",
                defaultValue = "2000",
                paramLabel = "N",
                description =
                        "Surrogate forward passes, gradients included (>= 1; default:"
                                + " ${DEFAULT-VALUE}).")
        private long budget;

        @Option(
                names = "--seed",
                defaultValue = "0",
                paramLabel = "S",
                description = "Seed of the solver (default: ${DEFAULT-VALUE}).")
        private long seed;

        @Option(
                names = "--output",
                defaultValue = "surrogate-optimize",
                paramLabel = "DIR",
                description =
                        "Directory for history.csv and convergence.png (default: ${DEFAULT-VALUE}).")
        private Path output;

        @Mixin private ProgressOption progress;

        @Override
        public Integer call() throws IOException {
            OnnxCommand.existingFile(spec, model, "model file");
            OnnxCommand.existingFile(spec, problem, "problem file");
            SurrogateSolver solver = solver(spec, algorithm);
            if (budget < 1) {
                throw new ParameterException(
                        spec.commandLine(), "--budget must be >= 1, got " + budget);
            }
            ProblemSpec declared = ProblemSpec.read(problem);
            OutputLocation.checkFolder(
                    spec, "--output", output, List.of(HistoryCsv.FILE, ConvergenceChart.FILE));
            PrintWriter out = spec.commandLine().getOut();
            SurrogateResult result;
            try (OnnxModel network = OnnxModel.open(model, new RuntimeOptions(1, 1));
                    Surrogate phi = Surrogates.builder(network).build();
                    Progress bar = progress.start("optimize", budget, "evals")) {
                Surrogate counted = new ReportingSurrogate(phi, bar::stepTo);
                SurrogateProblem p;
                try {
                    p = declared.toProblem(counted);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(problem + ": " + e.getMessage(), e);
                }
                result = solver.solve(p, Limits.ofEvaluations(budget), seed);
            }
            Files.createDirectories(output);
            Path history = output.resolve(HistoryCsv.FILE);
            try (Writer w = Files.newBufferedWriter(history, StandardCharsets.UTF_8)) {
                HistoryCsv.write(result.history(), w);
            }
            Path chart = output.resolve(ConvergenceChart.FILE);
            ConvergenceChart.write(
                    result,
                    solver.name() + " on " + model.getFileName() + " / " + problem.getFileName(),
                    chart);
            out.printf(
                    Locale.ROOT,
                    "%s: %s after %d forward passes, %d iterations, %.2f s%n",
                    result.solver(),
                    result.status(),
                    result.forwardPasses(),
                    result.iterations(),
                    result.elapsed().toNanos() / 1e9);
            if (result.status() != ExitStatus.BUDGET) {
                out.println("stopped: " + result.status().description());
            }
            printRestarts(out, result.history().restarts());
            if (result.bestFeasible().isPresent()) {
                Evaluation best = result.bestFeasible().get();
                out.printf(Locale.ROOT, "best feasible objective: %.10g%n", best.objective());
                out.println("at x = " + java.util.Arrays.toString(best.x()));
                out.println("outputs y = " + java.util.Arrays.toString(best.y()));
            } else {
                out.printf(
                        Locale.ROOT,
                        "no feasible point found; least violation %.4g%n",
                        result.best().violation());
            }
            out.println("wrote " + history + " and " + chart);
            out.flush();
            return 0;
        }
    }

    /** The most restart positions printed; history.csv has them all (column run). */
    private static final int RESTARTS_LISTED = 10;

    private static void printRestarts(PrintWriter out, List<History.Restart> restarts) {
        if (restarts.isEmpty()) {
            return;
        }
        String at =
                restarts.stream()
                        .limit(RESTARTS_LISTED)
                        .map(r -> Integer.toString(r.index()))
                        .collect(Collectors.joining(", "));
        String reasons =
                restarts.stream()
                        .map(r -> r.reason().name())
                        .distinct()
                        .collect(Collectors.joining(", "));
        out.printf(
                Locale.ROOT,
                "%d restart%s (after %s) at evaluation %s%s%n",
                restarts.size(),
                restarts.size() == 1 ? "" : "s",
                reasons,
                at,
                restarts.size() > RESTARTS_LISTED ? ", ..." : "");
    }

    /** {@code descent surrogate benchmark}. */
    @Command(
            name = "benchmark",
            mixinStandardHelpOptions = true,
            description = {
                "Runs every solver on the built-in problem set (random-weight and torch-trained"
                        + " networks, n from 2 to 100) with several seeds under the same budget,"
                        + " and writes data and performance profiles (Moré & Wild, tau = 1e-1,"
                        + " 1e-3, 1e-5) as PNG and CSV, runs.csv and summary.md. The defaults are"
                        + " a short smoke configuration; --full is the documented benchmark"
                        + " (docs/benchmarks.md)."
            })
    static final class Benchmark implements Callable<Integer> {

        /**
         * The smoke configuration's problems: small n, both kinds of network, a constrained one, an
         * exact f*.
         */
        static final String SMOKE_PROBLEMS =
                "rand-n2-tanh2,torch-hartmann-n6,torch-hartmann-target";

        /**
         * A benchmark size.
         *
         * @param seeds the number of seeds
         * @param perSimplex the budget per n + 1 evaluations
         * @param maxEvaluations the cap on a problem's budget
         */
        record Preset(int seeds, int perSimplex, long maxEvaluations) {}

        /** The default: a smoke run of a minute or two on two cores. */
        static final Preset SMOKE = new Preset(2, 20, 200);

        /** {@code --full}: the run reported in docs/benchmarks.md. */
        static final Preset FULL = new Preset(3, 50, 2000);

        @Spec private CommandSpec spec;

        @Option(
                names = "--full",
                description =
                        "The full benchmark: all problems, 3 seeds, budget min(2000, 50·(n + 1))"
                                + " (options given explicitly still override).")
        private boolean full;

        @Option(
                names = "--problems",
                split = ",",
                paramLabel = "NAME",
                description =
                        "Problems to run, of ${COMPLETION-CANDIDATES} (default: "
                                + SMOKE_PROBLEMS
                                + "; with --full, all of them).",
                completionCandidates = ProblemNames.class)
        private List<String> problems;

        @Option(
                names = "--solvers",
                split = ",",
                paramLabel = "NAME",
                description =
                        "Solvers to run; the first is the one compared against the others"
                                + " (default: all: ${COMPLETION-CANDIDATES}).",
                completionCandidates = SolverNames.class)
        private List<String> solvers;

        @Option(
                names = "--seeds",
                paramLabel = "K",
                description = "Seeds 0..K-1 (default 2; with --full, 3).")
        private Integer seeds;

        @Option(
                names = "--evals-per-simplex",
                paramLabel = "N",
                description = "Budget per n + 1 evaluations (default 20; with --full, 50).")
        private Integer perSimplex;

        @Option(
                names = "--max-evals",
                paramLabel = "N",
                description = "Cap on every problem's budget (default 200; with --full, 2000).")
        private Long maxEvals;

        @Option(
                names = "--output",
                defaultValue = "surrogate-benchmark",
                paramLabel = "DIR",
                description = "Directory for the results (default: ${DEFAULT-VALUE}).")
        private Path output;

        @Mixin private ProgressOption progress;

        @Override
        public Integer call() throws IOException {
            List<BenchmarkProblem> chosen = new ArrayList<>();
            try {
                if (problems != null) {
                    for (String name : problems) {
                        chosen.add(BenchmarkProblems.named(name.trim()));
                    }
                } else if (full) {
                    chosen.addAll(BenchmarkProblems.standard());
                } else {
                    for (String name : SMOKE_PROBLEMS.split(",")) {
                        chosen.add(BenchmarkProblems.named(name));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            List<SurrogateSolver> solverList = new ArrayList<>();
            if (solvers == null) {
                solverList.addAll(Solvers.all());
            } else {
                for (String name : solvers) {
                    solverList.add(solver(spec, name));
                }
            }
            Preset preset = full ? FULL : SMOKE;
            int k = seeds != null ? seeds : preset.seeds();
            int per = perSimplex != null ? perSimplex : preset.perSimplex();
            long cap = maxEvals != null ? maxEvals : preset.maxEvaluations();
            SurrogateBenchmark.Settings settings;
            try {
                settings =
                        new SurrogateBenchmark.Settings(
                                per, cap, LongStream.range(0, k).boxed().toList());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            OutputLocation.checkFolder(spec, "--output", output, SurrogateBenchmarkReport.FILES);
            long runs = (long) chosen.size() * k * solverList.size();
            SurrogateBenchmark.Result result;
            try (Progress bar = progress.start("benchmark", runs, "runs")) {
                result =
                        SurrogateBenchmark.run(
                                chosen, solverList, settings, (problem, seed, r) -> bar.step());
            }
            String command =
                    "descent "
                            + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            SurrogateBenchmarkReport.write(result, command, output);
            PrintWriter out = spec.commandLine().getOut();
            out.print(SurrogateBenchmarkReport.summary(result, command));
            out.println();
            out.println(
                    "wrote "
                            + output.resolve("summary.md")
                            + ", profiles.csv, runs.csv,"
                            + " data-profiles.png and performance-profiles.png");
            out.flush();
            return 0;
        }
    }

    /** The solver names, for help texts. */
    static final class SolverNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SolverNames() {
            for (SurrogateSolver s : Solvers.all()) {
                add(s.name());
            }
        }
    }

    /** The benchmark problem names, for help texts. */
    static final class ProblemNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ProblemNames() {
            for (BenchmarkProblem p : BenchmarkProblems.standard()) {
                add(p.name());
            }
        }
    }

    /** A surrogate that reports its evaluation count after each call (for a progress bar). */
    private record ReportingSurrogate(Surrogate delegate, LongConsumer report)
            implements Surrogate {
        @Override
        public int inputDimension() {
            return delegate.inputDimension();
        }

        @Override
        public int outputDimension() {
            return delegate.outputDimension();
        }

        @Override
        public double[][] evaluate(double[][] points) {
            double[][] y = delegate.evaluate(points);
            report.accept(delegate.evaluations());
            return y;
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            double[][] g = delegate.vectorJacobianProduct(points, cotangents);
            report.accept(delegate.evaluations());
            return g;
        }

        @Override
        public boolean exactDerivatives() {
            return delegate.exactDerivatives();
        }

        @Override
        public long evaluations() {
            return delegate.evaluations();
        }

        @Override
        public long derivativeRequests() {
            return delegate.derivativeRequests();
        }

        @Override
        public void close() {
            // the delegate is closed by its owner
        }
    }
}
