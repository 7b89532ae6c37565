package dev.descent.examples;

import dev.descent.onnx.DerivativeMode;
import dev.descent.onnx.OnnxImporter;
import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import dev.descent.onnx.TensorSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code descent onnx}: look into an ONNX model and evaluate it, with input gradients, from the
 * command line. The work is done by {@code dev.descent.onnx}: {@link OnnxModel} (ONNX Runtime),
 * {@link OnnxImporter} (the DJL import) and {@link Surrogates} (exact or estimated derivatives).
 */
@Command(
        name = "onnx",
        mixinStandardHelpOptions = true,
        description = {"Inspects or evaluates an ONNX model."},
        subcommands = {OnnxCommand.Inspect.class, OnnxCommand.Eval.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n")
public final class OnnxCommand implements Callable<Integer> {

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

    /** Checks that a file given on the command line exists, naming the option. */
    static Path existingFile(CommandSpec spec, Path file, String what) {
        if (!Files.exists(file)) {
            throw new ParameterException(
                    spec.commandLine(), what + " not found: " + file.toAbsolutePath());
        }
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(
                    spec.commandLine(), what + " is not a regular file: " + file.toAbsolutePath());
        }
        return file;
    }

    /** {@code descent onnx inspect MODEL}. */
    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = {
                "Prints a model's inputs and outputs (names, shapes with symbolic dimensions,"
                        + " element types), its opsets, how often each operator occurs, and"
                        + " whether it imports into DJL (exact gradients) or, if not, which"
                        + " nodes stand in the way."
            })
    static final class Inspect implements Callable<Integer> {

        @Spec private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
        private Path modelFile;

        @Override
        public Integer call() {
            existingFile(spec, modelFile, "model file");
            PrintWriter out = spec.commandLine().getOut();
            try (OnnxModel model = OnnxModel.open(modelFile)) {
                var proto = model.proto();
                out.println("Model: " + model.source());
                if (!proto.getProducerName().isEmpty()) {
                    out.println(
                            "Producer: "
                                    + proto.getProducerName()
                                    + " "
                                    + proto.getProducerVersion()
                                    + ", IR version "
                                    + proto.getIrVersion());
                }
                List<String> opsets = new ArrayList<>();
                model.opsets().forEach((domain, version) -> opsets.add(domain + " " + version));
                out.println("Opsets: " + String.join(", ", opsets));
                out.println("Inputs:");
                tensors(out, model.inputs());
                out.println("Outputs:");
                tensors(out, model.outputs());
                long values =
                        proto.getGraph().getInitializerList().stream()
                                .mapToLong(
                                        t -> t.getDimsList().stream().reduce(1L, (a, b) -> a * b))
                                .sum();
                out.printf(
                        "Initializers: %d tensors, %,d values%n",
                        proto.getGraph().getInitializerCount(), values);
                Map<String, Integer> histogram = new TreeMap<>();
                for (var node : proto.getGraph().getNodeList()) {
                    String op =
                            node.getDomain().isEmpty()
                                    ? node.getOpType()
                                    : node.getDomain() + "." + node.getOpType();
                    histogram.merge(op, 1, Integer::sum);
                }
                out.printf(
                        "Operators: %d nodes, %d distinct%n",
                        proto.getGraph().getNodeCount(), histogram.size());
                int width = histogram.keySet().stream().mapToInt(String::length).max().orElse(0);
                histogram.entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Integer>comparingByValue(
                                                Comparator.reverseOrder())
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .forEach(
                                e ->
                                        out.printf(
                                                "  %-" + width + "s %4d%n",
                                                e.getKey(),
                                                e.getValue()));
                List<String> problems = OnnxImporter.problems(proto);
                if (problems.isEmpty()) {
                    out.println(
                            "Imports into DJL: yes (exact input gradients; initializers become"
                                    + " trainable parameters)");
                } else {
                    out.println(
                            "Imports into DJL: no ("
                                    + problems.size()
                                    + " unsupported "
                                    + (problems.size() == 1 ? "node" : "nodes")
                                    + "; gradients would be estimated through ONNX Runtime)");
                    problems.forEach(p -> out.println("  " + p));
                }
            }
            out.flush();
            return 0;
        }

        private static void tensors(PrintWriter out, List<TensorSpec> specs) {
            int width = specs.stream().mapToInt(s -> s.name().length()).max().orElse(0);
            for (TensorSpec s : specs) {
                out.printf("  %-" + width + "s  %-7s %s%n", s.name(), s.type(), s.shapeString());
            }
        }
    }

    /** {@code descent onnx eval MODEL --input FILE [--grad] [--weights ...] [--output FILE]}. */
    @Command(
            name = "eval",
            mixinStandardHelpOptions = true,
            description = {
                "Evaluates a model with one input and one output on a batch of rows and writes"
                        + " the flattened outputs as CSV, one line per row. With --grad, also"
                        + " writes the gradient with respect to the (flattened) input of the sum"
                        + " of the outputs, or of their weighted sum with --weights: exact when"
                        + " the graph imports into DJL, else estimated through ONNX Runtime"
                        + " (the command says which).",
                "",
                "Input: CSV (one row per line, comma-separated, fields optionally in double"
                        + " quotes; a first line without any number is a header) or JSON (an array"
                        + " of arrays of numbers, e.g. [[0.1, 2], [3, 4]]). Each row holds one"
                        + " sample's input flattened in row-major order: for an input [batch, 1,"
                        + " 8, 8], 64 values. Every value must be finite (no NaN, Infinity or"
                        + " 1e400); errors name the line and column."
            })
    static final class Eval implements Callable<Integer> {

        @Spec private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
        private Path modelFile;

        @Option(
                names = "--input",
                required = true,
                paramLabel = "FILE",
                description = "The batch: a .csv or .json file (see above).")
        private Path inputFile;

        @Option(
                names = "--grad",
                description = "Also write the input gradient of the (weighted) sum of outputs.")
        private boolean grad;

        @Option(
                names = "--weights",
                paramLabel = "W,W...",
                converter = FiniteDoubles.Converter.class,
                description =
                        "Weights w1,w2,... of the outputs for --grad, one finite number per output"
                                + " value (default: all 1, the plain sum).")
        private FiniteDoubles weights;

        @Option(
                names = "--output",
                paramLabel = "FILE",
                description = "Write the CSV here instead of the standard output.")
        private Path outputFile;

        @Option(
                names = "--derivatives",
                defaultValue = "AUTO",
                paramLabel = "MODE",
                description =
                        "How gradients are obtained: ${COMPLETION-CANDIDATES} (default:"
                                + " ${DEFAULT-VALUE}: exact when the graph imports, else central"
                                + " differences).")
        private DerivativeMode derivatives;

        @Override
        public Integer call() {
            existingFile(spec, modelFile, "model file");
            existingFile(spec, inputFile, "input file");
            if (weights != null && !grad) {
                throw new ParameterException(
                        spec.commandLine(), "--weights only applies with --grad");
            }
            if (outputFile != null) {
                OutputLocation.checkFile(spec, "--output", outputFile);
            }
            InputRows input = InputRows.read(inputFile);
            try (OnnxModel model = OnnxModel.open(modelFile);
                    Surrogate surrogate = Surrogates.builder(model).optMode(derivatives).build()) {
                TensorSpec in = model.singleInput();
                TensorSpec outSpec = model.singleOutput();
                int n = surrogate.inputDimension();
                int m = surrogate.outputDimension();
                input.checkWidth(
                        n,
                        "input " + in + " has " + n + " values per sample",
                        inputFile.toString());
                double[] w = weights == null ? null : weights.values();
                if (w == null) {
                    w = new double[m];
                    java.util.Arrays.fill(w, 1);
                } else if (w.length != m) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "--weights has "
                                    + w.length
                                    + " values, expected "
                                    + m
                                    + " (one per value of output "
                                    + outSpec
                                    + ")");
                }
                double[][] points = input.rows();
                double[][] values = surrogate.evaluate(points);
                double[][] gradients = grad ? surrogate.gradient(points, w) : null;
                String csv = csv(in.name(), outSpec.name(), values, gradients);
                String note = null;
                if (grad) {
                    String what = weights == null ? "the sum of the outputs" : "⟨w, outputs⟩";
                    note =
                            surrogate.exactDerivatives()
                                    ? "gradient of "
                                            + what
                                            + ": exact (graph imported into DJL, reverse mode)"
                                    : "gradient of "
                                            + what
                                            + ": estimated ("
                                            + describe(derivatives)
                                            + " through ONNX Runtime, "
                                            + (surrogate.evaluations() - points.length)
                                            + " model evaluations for "
                                            + points.length
                                            + " rows)";
                }
                PrintWriter out = spec.commandLine().getOut();
                if (outputFile == null) {
                    out.print(csv);
                    out.flush();
                    if (note != null) {
                        spec.commandLine().getErr().println(note);
                        spec.commandLine().getErr().flush();
                    }
                } else {
                    write(outputFile, csv);
                    out.println(
                            "Wrote "
                                    + points.length
                                    + " rows ("
                                    + m
                                    + " outputs"
                                    + (grad ? ", " + n + " gradient values" : "")
                                    + " each) to "
                                    + outputFile);
                    if (note != null) {
                        out.println(note);
                    }
                    out.flush();
                }
            }
            return 0;
        }

        private static String describe(DerivativeMode mode) {
            return mode == DerivativeMode.SPSA
                    ? "simultaneous perturbation (SPSA)"
                    : "central finite differences";
        }

        /** The CSV: header {@code y_0,...,y_{m-1}[,d_x_0,...]} and one line per row. */
        static String csv(String in, String out, double[][] values, double[][] gradients) {
            StringBuilder b = new StringBuilder();
            List<String> header = new ArrayList<>();
            for (int j = 0; j < values[0].length; j++) {
                header.add(out + "_" + j);
            }
            if (gradients != null) {
                for (int i = 0; i < gradients[0].length; i++) {
                    header.add("d_" + in + "_" + i);
                }
            }
            b.append(String.join(",", header)).append('\n');
            for (int r = 0; r < values.length; r++) {
                appendFloats(b, values[r]);
                if (gradients != null) {
                    b.append(',');
                    appendFloats(b, gradients[r]);
                }
                b.append('\n');
            }
            return b.toString();
        }

        /** The values were computed in float32: print the shortest decimal that reads back. */
        private static void appendFloats(StringBuilder b, double[] row) {
            for (int k = 0; k < row.length; k++) {
                if (k > 0) {
                    b.append(',');
                }
                b.append((float) row[k]);
            }
        }

        private static void write(Path file, String text) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    w.write(text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
