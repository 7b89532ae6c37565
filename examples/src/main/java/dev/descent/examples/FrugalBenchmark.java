package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.descent.optim.Descent;
import dev.descent.optim.DescentOptimizer;
import dev.descent.optim.Frugal;
import dev.descent.optim.StatefulOptimizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * FRUGAL against AdamW: milliseconds per step (steady state, and the first step, which chooses the
 * subspace), the step amortised over the update gap, and the state in bytes per parameter, on four
 * float32 matrices of each of a few layer shapes. Baselines: DJL's fused AdamW and Descent's AdamW,
 * measured in the same run, in interleaved rounds (fastest round reported).
 */
@Command(
        name = "bench-frugal",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks FRUGAL's variants against DJL's fused AdamW and Descent's AdamW: ms/step in"
                    + " steady state, the first step (which chooses the subspace; an SVD for"
                    + " frugal-svd), the step amortised over T = 200, and the state in bytes per"
                    + " parameter, on 4 float32 matrices of each layer shape. Prints a Markdown"
                    + " table."
        })
public final class FrugalBenchmark implements Callable<Integer> {

    private static final String BASELINE = "djl-adamw (fused)";
    private static final String ADAMW = "adamw";
    private static final int MATRICES = 4;
    private static final int UPDATE_GAP = 200;

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--shapes",
            split = ",",
            defaultValue = "256x256,1024x1024,4096x1024",
            description =
                    "Layer shapes ROWSxCOLS; four matrices of each (alternately transposed) form"
                            + " a model (default: ${DEFAULT-VALUE}).")
    private List<String> shapes;

    @Option(
            names = "--steps",
            defaultValue = "20",
            description = "Measured steady-state steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "Unmeasured steps after the first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description =
                    "Rounds over all optimizers, interleaved; the fastest of each is reported"
                            + " (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    private static Map<String, Supplier<Optimizer>> optimizers() {
        Map<String, Supplier<Optimizer>> e = new LinkedHashMap<>();
        e.put(BASELINE, () -> Optimizer.adamW().build());
        e.put(ADAMW, () -> Descent.adamW().build());
        e.put("frugal (blocks)", () -> Descent.frugal().build());
        e.put("frugal (random)", () -> frugal(Frugal.Subspace.RANDOM_PROJECTION));
        e.put("frugal (permutation)", () -> frugal(Frugal.Subspace.PERMUTATION_PROJECTION));
        e.put("frugal (svd)", () -> frugal(Frugal.Subspace.SVD_PROJECTION));
        e.put("frugal (coordinates)", () -> frugal(Frugal.Subspace.COORDINATES));
        return e;
    }

    private static Optimizer frugal(Frugal.Subspace subspace) {
        return Descent.frugal().optSubspace(subspace).build();
    }

    /** Times of one optimizer on one model: first step, steady ms/step, state bytes. */
    private record Timing(double firstMs, double steadyMs, long stateBytes) {}

    @Override
    public Integer call() {
        BenchmarkArguments.checkRounds(spec, steps, warmup, rounds, threads);
        List<long[]> dims = BenchmarkArguments.parseShapes(spec, shapes);
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        JniUtils.setNumThreads(threads);
        Map<String, Supplier<Optimizer>> optimizers = optimizers();
        out.printf(
                Locale.ROOT,
                "Engine %s %s, %d intra-op threads; 4 float32 matrices per shape; fastest of %d"
                        + " rounds x %d steps; amortised = steady + (first - steady)/%d%n%n",
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                threads,
                rounds,
                steps,
                UPDATE_GAP);
        out.println(
                "| shape | optimizer | first step ms | ms/step | amortised ms/step | × DJL AdamW |"
                        + " × Descent AdamW | state bytes/param |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Progress bar =
                        progress.startBetweenRows(
                                "bench-frugal",
                                (long) dims.size() * rounds * optimizers.size(),
                                "measurements")) {
            for (long[] d : dims) {
                Map<String, List<Timing>> timings = new LinkedHashMap<>();
                optimizers.keySet().forEach(k -> timings.put(k, new ArrayList<>()));
                for (int r = 0; r < rounds; r++) {
                    for (Map.Entry<String, Supplier<Optimizer>> e : optimizers.entrySet()) {
                        timings.get(e.getKey()).add(time(manager, d, e.getValue().get()));
                        bar.step();
                    }
                }
                long count = MATRICES * d[0] * d[1];
                double baseline = amortised(timings.get(BASELINE));
                double adamW = amortised(timings.get(ADAMW));
                for (Map.Entry<String, List<Timing>> e : timings.entrySet()) {
                    List<Timing> t = e.getValue();
                    double first = t.stream().mapToDouble(Timing::firstMs).min().orElseThrow();
                    double steady = t.stream().mapToDouble(Timing::steadyMs).min().orElseThrow();
                    double amortised = amortised(t);
                    long bytes = t.get(0).stateBytes();
                    String state =
                            bytes < 0
                                    ? "8.00 (stated)"
                                    : String.format(Locale.ROOT, "%.2f", (double) bytes / count);
                    out.printf(
                            Locale.ROOT,
                            "| %dx%d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n",
                            d[0],
                            d[1],
                            e.getKey(),
                            first,
                            steady,
                            amortised,
                            amortised / baseline,
                            amortised / adamW,
                            state);
                }
                out.flush();
            }
        }
        return 0;
    }

    private static double amortised(List<Timing> timings) {
        double first = timings.stream().mapToDouble(Timing::firstMs).min().orElseThrow();
        double steady = timings.stream().mapToDouble(Timing::steadyMs).min().orElseThrow();
        return steady + (first - steady) / UPDATE_GAP;
    }

    /** One fresh optimizer on four fresh matrices: the first step, warm-up, measured steps. */
    private Timing time(NDManager parent, long[] dims, Optimizer optimizer) {
        try (NDManager manager = parent.newSubManager()) {
            SequentialBlock block = new SequentialBlock();
            for (int i = 0; i < MATRICES; i++) {
                long units = i % 2 == 0 ? dims[0] : dims[1];
                block.add(Linear.builder().setUnits(units).optBias(false).build());
            }
            block.initialize(manager, DataType.FLOAT32, new Shape(1, dims[1]));
            if (optimizer instanceof DescentOptimizer<?> descent) {
                descent.bind(block);
            }
            List<Parameter> params = new ArrayList<>();
            List<NDArray> grads = new ArrayList<>();
            List<NDArray> masters = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape shape = p.getValue().getArray().getShape();
                params.add(p.getValue());
                masters.add(manager.randomNormal(shape).muli(1e-3));
                grads.add(manager.zeros(shape));
            }
            double first = 0;
            long nanos = 0;
            for (int t = 0; t < 1 + warmup + steps; t++) {
                // Descent optimizers consume the gradient buffer: refresh it, untimed
                for (int i = 0; i < grads.size(); i++) {
                    grads.get(i).set(new NDIndex("..."), masters.get(i));
                }
                long start = System.nanoTime();
                for (int i = 0; i < params.size(); i++) {
                    Parameter p = params.get(i);
                    optimizer.update(p.getId(), p.getArray(), grads.get(i));
                }
                long elapsed = System.nanoTime() - start;
                if (t == 0) {
                    first = elapsed / 1e6;
                } else if (t > warmup) {
                    nanos += elapsed;
                }
            }
            long bytes = optimizer instanceof StatefulOptimizer s ? s.stateBytes() : -1;
            return new Timing(first, nanos / 1e6 / steps, bytes);
        }
    }
}
