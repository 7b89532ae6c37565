package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.descent.onnx.OnnxBlock;
import dev.descent.onnx.OnnxImporter;
import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.RuntimeOptions;
import dev.descent.onnx.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Batched evaluation throughput of ONNX Runtime against the same graph imported into DJL, and the
 * cost of one input gradient against one forward pass of the imported block, on an MLP and a small
 * CNN, all measured in the same run.
 *
 * <ul>
 *   <li><b>ONNX Runtime</b>: {@link OnnxModel#evaluate(NDArray)} on a batch held as a DJL array, so
 *       the copies between DJL and ONNX Runtime tensors are included (as in a surrogate).
 *   <li><b>DJL forward</b>: {@link OnnxBlock#forward} in inference mode on the PyTorch engine.
 *   <li><b>gradient</b>: forward and backward of the sum of outputs through DJL's {@link
 *       GradientCollector}, giving the input gradient; the parameters do not require gradients (as
 *       in {@code Surrogates}' exact surrogate), so no parameter gradients are accumulated.
 * </ul>
 *
 * <p>The models default to the committed test fixtures of {@code onnx-bridge} (models exported by
 * {@code torch.onnx.export}; see that directory's README); relative paths that do not exist from
 * the current directory are looked up from its parents, so the defaults work from the repository
 * root and from {@code examples/}. Each quantity is repeated until at least {@code --target-ms}
 * have passed; rounds are interleaved (each round times every quantity) and the fastest round of
 * each is reported, so that drift of a shared machine hits every quantity alike.
 */
@Command(
        name = "bench-onnx",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks ONNX Runtime against the graph imported into DJL: rows/s of batched"
                    + " evaluation at batch sizes 1, 64 and 1024 on an MLP and a small CNN, and"
                    + " the cost of one input gradient (imported block) relative to one forward,"
                    + " measured in the same run. Prints a Markdown table."
        })
public final class OnnxBenchmark implements Callable<Integer> {

    /** Where the committed fixtures lie, relative to the repository root. */
    static final String FIXTURES = "onnx-bridge/src/test/resources/dev/descent/onnx/fixtures/";

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--mlp",
            paramLabel = "MODEL",
            defaultValue = FIXTURES + "mlp_opset17.onnx",
            description =
                    "The MLP (input [batch, n]); relative paths are also looked up from the"
                            + " parent directories (default: ${DEFAULT-VALUE}).")
    private Path mlp;

    @Option(
            names = "--cnn",
            paramLabel = "MODEL",
            defaultValue = FIXTURES + "cnn_opset17.onnx",
            description =
                    "The CNN (input [batch, c, h, w]); looked up like --mlp (default:"
                            + " ${DEFAULT-VALUE}).")
    private Path cnn;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,64,1024",
            paramLabel = "B",
            description = "Batch sizes (each >= 1; default: ${DEFAULT-VALUE}).")
    private int[] batches;

    @Option(
            names = "--target-ms",
            defaultValue = "200",
            description =
                    "Minimum time over which each quantity is repeated per round (>= 1; default:"
                            + " ${DEFAULT-VALUE}).")
    private int targetMs;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description =
                    "Interleaved rounds after a warm-up round; the fastest of each quantity is"
                            + " reported (>= 1; default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "Intra-op threads of both ONNX Runtime and PyTorch (>= 1; default:"
                            + " ${DEFAULT-VALUE}).")
    private int threads;

    /** The fastest time of each quantity at one batch size, in milliseconds per call. */
    record Times(double runtime, double forward, double gradient) {
        Times fastest(Times other) {
            return other == null
                    ? this
                    : new Times(
                            Math.min(runtime, other.runtime),
                            Math.min(forward, other.forward),
                            Math.min(gradient, other.gradient));
        }
    }

    /** One model under test, with its batches. */
    private static final class Subject implements AutoCloseable {
        final String name;
        final OnnxModel model;
        final OnnxBlock block;
        final NDManager manager;
        final ParameterStore parameters;
        final TensorSpec input;
        final long parameterCount;
        final List<NDArray> inputs = new ArrayList<>();
        final List<NDArray> gradientInputs = new ArrayList<>();
        final Times[] best;

        Subject(String name, Path file, int threads, int[] batches) {
            this.name = name;
            this.model = OnnxModel.open(file, new RuntimeOptions(threads, 1));
            this.manager = NDManager.newBaseManager(Device.cpu(), ClassifierTraining.ENGINE);
            this.block = OnnxImporter.importModel(model, manager);
            block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            this.parameterCount =
                    block.getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            this.parameters = new ParameterStore(manager, false);
            this.input = model.singleInput();
            model.singleOutput();
            long[] sample = new long[input.rank() - 1];
            for (int i = 1; i < input.rank(); i++) {
                sample[i - 1] = input.shape().get(i).size();
                if (sample[i - 1] < 0) {
                    throw new IllegalArgumentException(
                            "model "
                                    + file
                                    + " input "
                                    + input
                                    + " has a symbolic dimension besides the batch");
                }
            }
            for (int b : batches) {
                long[] shape = new long[sample.length + 1];
                shape[0] = b;
                System.arraycopy(sample, 0, shape, 1, sample.length);
                NDArray x = manager.randomNormal(new Shape(shape));
                inputs.add(x);
                NDArray xg = x.duplicate();
                xg.setRequiresGradient(true);
                gradientInputs.add(xg);
            }
            this.best = new Times[batches.length];
        }

        Times round(int k, int targetMs) {
            NDArray x = inputs.get(k);
            NDArray xg = gradientInputs.get(k);
            double runtime =
                    time(
                            targetMs,
                            () -> {
                                try (NDScope scope = new NDScope()) {
                                    model.evaluate(x);
                                }
                            });
            double forward =
                    time(
                            targetMs,
                            () -> {
                                try (NDScope scope = new NDScope()) {
                                    block.forward(parameters, new NDList(x), false);
                                }
                            });
            double gradient =
                    time(
                            targetMs,
                            () -> {
                                try (NDScope scope = new NDScope();
                                        GradientCollector collector =
                                                Engine.getInstance().newGradientCollector()) {
                                    NDArray y =
                                            block.forward(parameters, new NDList(xg), false)
                                                    .singletonOrThrow();
                                    collector.backward(y.sum());
                                    xg.getGradient();
                                }
                            });
            return new Times(runtime, forward, gradient);
        }

        @Override
        public void close() {
            manager.close();
            model.close();
        }
    }

    @Override
    public Integer call() {
        if (targetMs < 1 || rounds < 1 || threads < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--target-ms, --rounds and --threads must be >= 1, got "
                            + targetMs
                            + ", "
                            + rounds
                            + " and "
                            + threads);
        }
        if (batches.length == 0 || Arrays.stream(batches).anyMatch(b -> b < 1)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--batches must be sizes >= 1, got " + Arrays.toString(batches));
        }
        Path mlpFile = locate(mlp, "--mlp");
        Path cnnFile = locate(cnn, "--cnn");
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE);
        JniUtils.setNumThreads(threads);
        engine.setRandomSeed(0);
        try (Subject a = new Subject("MLP", mlpFile, threads, batches);
                Subject b = new Subject("CNN", cnnFile, threads, batches)) {
            List<Subject> subjects = List.of(a, b);
            try (Progress bar =
                    progress.start(
                            "bench-onnx",
                            (rounds + 1L) * subjects.size() * batches.length,
                            "measurements")) {
                measure(subjects, bar);
            }
            report(subjects, engine);
        }
        return 0;
    }

    private void measure(List<Subject> subjects, Progress bar) {
        // round 0 warms up (allocators, ONNX Runtime's first runs) and is not reported
        for (int r = 0; r <= rounds; r++) {
            for (Subject s : subjects) {
                for (int k = 0; k < batches.length; k++) {
                    Times t = s.round(k, targetMs);
                    if (r > 0) {
                        s.best[k] = t.fastest(s.best[k]);
                    }
                    bar.step();
                }
            }
        }
    }

    private void report(List<Subject> subjects, Engine engine) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "ONNX Runtime vs DJL %s (%s %s), %d intra-op thread(s) each; fastest of %d rounds,"
                        + " each quantity repeated for >= %d ms per round%n",
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                threads,
                rounds,
                targetMs);
        for (Subject s : subjects) {
            out.printf(
                    Locale.ROOT,
                    "- %s: %s, input %s, %,d parameters, %d nodes%n",
                    s.name,
                    s.model.source(),
                    s.input.shapeString(),
                    s.parameterCount,
                    s.model.proto().getGraph().getNodeCount());
        }
        out.println();
        out.println(
                "| model | batch | ONNX Runtime rows/s | DJL forward rows/s | DJL ÷ ONNX Runtime"
                        + " | gradient ms | gradient ÷ DJL forward |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Subject s : subjects) {
            for (int k = 0; k < batches.length; k++) {
                Times t = s.best[k];
                double runtimeRows = batches[k] / (t.runtime() / 1e3);
                double forwardRows = batches[k] / (t.forward() / 1e3);
                out.printf(
                        Locale.ROOT,
                        "| %s | %d | %,.0f | %,.0f | %.2f | %.3f | %.2f |%n",
                        s.name,
                        batches[k],
                        runtimeRows,
                        forwardRows,
                        forwardRows / runtimeRows,
                        t.gradient(),
                        t.gradient() / t.forward());
            }
        }
        out.flush();
    }

    /**
     * Finds a model file: as given, or, for a relative path that does not exist from the current
     * directory, from the nearest parent directory where it does (the repository root when run from
     * a module directory).
     */
    private Path locate(Path file, String option) {
        if (Files.isRegularFile(file) || file.isAbsolute()) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(
                        spec.commandLine(), option + ": model file not found: " + file);
            }
            return file;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd.getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new ParameterException(
                spec.commandLine(),
                option
                        + ": model file not found: "
                        + file
                        + " (looked in "
                        + cwd
                        + " and its parents; run from the repository root or give a path)");
    }

    /** Milliseconds per call of {@code body}, repeated until {@code targetMs} have passed. */
    private static double time(int targetMs, Runnable body) {
        long target = targetMs * 1_000_000L;
        long start = System.nanoTime();
        long elapsed;
        int calls = 0;
        do {
            body.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < target);
        return elapsed / 1e6 / calls;
    }
}
