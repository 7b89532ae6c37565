package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import dev.descent.optim.Descent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Milliseconds per optimizer step on 4 × (1024×1024) + 4 × 1024 float32 parameters, as ratios
 * against DJL's fused AdamW and against the memory-bandwidth bound, both measured in the same run;
 * then what the NaN/Inf gradient check costs ({@link NonFiniteCheckCost}).
 *
 * <p>The bandwidth is that of an in-place add {@code a += b} over a 64 MiB tensor (12 bytes moved
 * per element, like STREAM's add); the bound of an optimizer is the bytes it must move at least
 * (read weight, gradient and state once, write weight and state once) divided by that bandwidth.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks the elementwise optimizers: ms/step on 4 x (1024x1024) + 4 x 1024 float32"
                    + " parameters, against DJL's fused AdamW and the memory-bandwidth bound"
                    + " measured in the same run; then the cost of the NaN/Inf gradient check (per"
                    + " parameter, once per step, none) on 64 small tensors and on those shapes."
                    + " Prints Markdown tables."
        })
public final class OptimizerBenchmark implements Callable<Integer> {

    private static final int MATRIX = 1024;
    private static final int MATRICES = 4;

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--steps",
            defaultValue = "30",
            description = "Measured steps per optimizer (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(
            names = "--warmup",
            defaultValue = "20",
            description = "Unmeasured steps first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description =
                    "Rounds over all optimizers, interleaved so that drift of the machine hits"
                            + " every optimizer alike; the fastest round of each is reported"
                            + " (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(
            names = "--nan-check-only",
            description = "Print only the table of the NaN/Inf gradient check's cost.")
    private boolean nanCheckOnly;

    /** An optimizer and the bytes per parameter element it must move in one step at least. */
    private record Entry(Supplier<Optimizer> optimizer, int bytesPerElement) {}

    private static Map<String, Entry> entries() {
        Map<String, Entry> e = new LinkedHashMap<>();
        // read p, g, m, v; write p, m, v: 7 floats per element
        e.put("djl-adamw (baseline)", new Entry(() -> Optimizer.adamW().build(), 28));
        e.put("adabelief", new Entry(() -> Descent.byName("adabelief"), 28));
        e.put(
                "adabelief-amsgrad",
                new Entry(() -> Descent.adaBelief().optAmsgrad(true).build(), 36));
        e.put("lion", new Entry(() -> Descent.byName("lion"), 20));
        e.put("nadamw", new Entry(() -> Descent.byName("nadamw"), 28));
        e.put("radam", new Entry(() -> Descent.byName("radam"), 28));
        e.put("adamax", new Entry(() -> Descent.byName("adamax"), 28));
        e.put("sgd", new Entry(() -> Descent.byName("sgd"), 12));
        e.put(
                "sgd-nesterov",
                new Entry(() -> Descent.sgd().optMomentum(0.9).optNesterov(true).build(), 20));
        e.put("adagrad", new Entry(() -> Descent.byName("adagrad"), 20));
        e.put("rmsprop", new Entry(() -> Descent.byName("rmsprop"), 20));
        e.put(
                "rmsprop-centered-momentum",
                new Entry(() -> Descent.rmsProp().optCentered(true).optMomentum(0.9).build(), 36));
        e.put("adadelta", new Entry(() -> Descent.byName("adadelta"), 28));
        e.put(
                "cautious-adabelief",
                new Entry(() -> Descent.adaBelief().optCautious(true).build(), 28));
        e.put("cautious-lion", new Entry(() -> Descent.lion().optCautious(true).build(), 20));
        return e;
    }

    @Override
    public Integer call() {
        BenchmarkArguments.checkRounds(spec, steps, warmup, rounds, threads);
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        JniUtils.setNumThreads(threads);
        if (nanCheckOnly) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                new NonFiniteCheckCost(steps, warmup, rounds).print(manager, out);
            }
            return 0;
        }
        Map<String, Entry> entries = entries();
        Map<String, double[]> times = new LinkedHashMap<>();
        entries.keySet().forEach(k -> times.put(k, new double[rounds]));
        double[] bandwidths = new double[rounds];
        long elements = (long) MATRICES * MATRIX * MATRIX + (long) MATRICES * MATRIX;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Progress bar =
                        progress.start("bench", (long) rounds * entries.size(), "measurements")) {
            for (int r = 0; r < rounds; r++) {
                bandwidths[r] = bandwidth(manager);
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    times.get(e.getKey())[r] = msPerStep(manager, e.getValue().optimizer().get());
                    bar.step();
                }
            }
            printTable(out, times, bandwidths, elements);
            new NonFiniteCheckCost(steps, warmup, rounds).print(manager, out);
        }
        return 0;
    }

    private void printTable(
            PrintWriter out, Map<String, double[]> times, double[] bandwidths, long elements) {
        Map<String, Entry> entries = entries();
        double bandwidth = Arrays.stream(bandwidths).max().orElseThrow();
        double baseline = fastest(times.get("djl-adamw (baseline)"));
        out.printf(
                Locale.ROOT,
                "Engine %s %s, %d intra-op threads; %,d parameter elements; in-place add bandwidth %.2f GB/s;"
                        + " fastest of %d rounds x %d steps%n%n",
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                threads,
                elements,
                bandwidth / 1e9,
                rounds,
                steps);
        out.println("| optimizer | ms/step | × DJL AdamW | bytes/element | bound ms | × bound |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            double ms = fastest(times.get(e.getKey()));
            double boundMs = e.getValue().bytesPerElement() * elements / bandwidth * 1e3;
            out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %d | %.2f | %.2f |%n",
                    e.getKey(),
                    ms,
                    ms / baseline,
                    e.getValue().bytesPerElement(),
                    boundMs,
                    ms / boundMs);
        }
        out.flush();
    }

    private double msPerStep(NDManager parent, Optimizer optimizer) {
        try (NDManager manager = parent.newSubManager()) {
            List<NDArray> weights = new ArrayList<>();
            List<NDArray> grads = new ArrayList<>();
            List<NDArray> masters = new ArrayList<>();
            for (int i = 0; i < MATRICES; i++) {
                for (Shape shape : new Shape[] {new Shape(MATRIX, MATRIX), new Shape(MATRIX)}) {
                    weights.add(manager.randomNormal(shape));
                    masters.add(manager.randomNormal(shape).muli(1e-3));
                    grads.add(manager.zeros(shape));
                }
            }
            long nanos = 0;
            for (int t = 0; t < warmup + steps; t++) {
                // Descent optimizers consume the gradient buffer: refresh it, untimed
                for (int i = 0; i < grads.size(); i++) {
                    grads.get(i).set(new NDIndex("..."), masters.get(i));
                }
                long start = System.nanoTime();
                for (int i = 0; i < weights.size(); i++) {
                    optimizer.update("p" + i, weights.get(i), grads.get(i));
                }
                if (t >= warmup) {
                    nanos += System.nanoTime() - start;
                }
            }
            return nanos / 1e6 / steps;
        }
    }

    /** Bytes per second of {@code a += b} over 16 Mi float32 elements (12 bytes per element). */
    private double bandwidth(NDManager parent) {
        try (NDManager manager = parent.newSubManager()) {
            long n = 16L << 20;
            NDArray a = manager.zeros(new Shape(n));
            NDArray b = manager.ones(new Shape(n));
            for (int i = 0; i < warmup; i++) {
                a.addi(b);
            }
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                a.addi(b);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 12.0 * n * steps / seconds;
        }
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
