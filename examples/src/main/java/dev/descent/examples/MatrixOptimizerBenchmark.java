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
import dev.descent.optim.Scion;
import dev.descent.optim.StatefulOptimizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Milliseconds per optimizer step of the matrix-preconditioned optimizers on one float32 weight
 * matrix per shape, as ratios against DJL's fused AdamW and against each optimizer's matmul-FLOP
 * bound, both measured in the same run.
 *
 * <p>The bound of an optimizer is the floating-point operations of the matrix products its
 * algorithm needs per step ({@link Entry#flops}, amortised over its refresh period where it has
 * one) divided by the engine's matmul rate, that of a 1024×1024 by 1024×1024 {@code matMul}
 * (2·1024³ flops) timed in each round. Elementwise work is not in the bound. Add an optimizer by
 * adding an {@link Entry} to {@link #entries()}.
 */
@Command(
        name = "bench-matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks the matrix-preconditioned optimizers (SOAP, Shampoo, Muon, Scion,"
                    + " PSGD-Kron): ms/step on"
                    + " one float32 weight of each shape, against DJL's fused AdamW and against"
                    + " each optimizer's matmul-FLOP bound at the matmul rate measured in the same"
                    + " run (a 1024^3 matMul), with optimizer-state bytes per parameter. Prints a"
                    + " Markdown table."
        })
public final class MatrixOptimizerBenchmark implements Callable<Integer> {

    private static final int RATE_SIZE = 1024;

    /** SOAP's refresh period (its default) and the root period given to Shampoo. */
    private static final int PERIOD = 10;

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--shapes",
            split = ",",
            defaultValue = "256x256,1024x1024,4096x1024",
            description = "Weight shapes ROWSxCOLS, comma separated (default: ${DEFAULT-VALUE}).")
    private List<String> shapes;

    @Option(
            names = "--steps",
            defaultValue = "5",
            description =
                    "Measured steps per optimizer and round, rounded up to a multiple of the"
                            + " optimizer's refresh period (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Unmeasured steps first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(
            names = "--rounds",
            defaultValue = "3",
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

    /** The matmul floating-point operations per step of an optimizer on a rows×cols weight. */
    @FunctionalInterface
    public interface FlopModel {
        /**
         * Returns the flops per step, amortised over the refresh period.
         *
         * @param rows the weight's rows
         * @param cols the weight's columns
         * @return the flops
         */
        double flops(double rows, double cols);
    }

    /**
     * An optimizer of the table.
     *
     * @param name the row name
     * @param optimizer builds a fresh optimizer
     * @param flops its matmul flops per step ({@code null} for the elementwise baseline)
     * @param period its refresh period in steps (1 when it has none): the measured steps are a
     *     multiple of it
     */
    public record Entry(String name, Supplier<Optimizer> optimizer, FlopModel flops, int period) {}

    /** The baseline's name. */
    static final String BASELINE = "djl-adamw (baseline)";

    /**
     * Returns the optimizers of the table, the baseline first.
     *
     * @return the entries
     */
    static List<Entry> entries() {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry(BASELINE, () -> Optimizer.adamW().build(), null, 1));
        e.add(
                new Entry(
                        "soap (refresh every 10)",
                        () -> Descent.soap().build(),
                        (m, n) -> soapStep(m, n) + soapRefresh(m, n) / PERIOD,
                        PERIOD));
        e.add(
                new Entry(
                        "shampoo (roots every 10)",
                        () -> Descent.shampoo().optPreconditionFrequency(PERIOD).build(),
                        (m, n) -> shampooStep(m, n) + shampooRoots(m, n) / PERIOD,
                        PERIOD));
        e.add(
                new Entry(
                        "muon",
                        // one weight and no model: it is a hidden matrix
                        () -> Descent.muon().optMatrixFilter(p -> true).build(),
                        MatrixOptimizerBenchmark::ns5,
                        1));
        e.add(
                new Entry(
                        "scion (spectral, momentum 0.1)",
                        // one weight and no model: it is a hidden matrix
                        () ->
                                Descent.scion()
                                        .optMomentum(0.1)
                                        .optNormRule(
                                                p -> p.shape().dimension() >= 2,
                                                Scion.Norm.SPECTRAL,
                                                1)
                                        .build(),
                        MatrixOptimizerBenchmark::ns5,
                        1));
        e.add(
                new Entry(
                        "psgd-kron (fit every step)",
                        () -> Descent.psgdKron().build(),
                        (m, n) -> kronPrecondition(m, n) + kronFit(m, n),
                        1));
        e.add(
                new Entry(
                        "psgd-kron (fit every 10th step)",
                        () -> Descent.psgdKron().optUpdateProbability(0.1).build(),
                        (m, n) -> kronPrecondition(m, n) + kronFit(m, n) / 10,
                        10));
        e.add(
                new Entry(
                        "psgd-kron (fit every 34th step: the reference's final probability 0.03)",
                        () -> Descent.psgdKron().optUpdateProbability(0.03).build(),
                        (m, n) -> kronPrecondition(m, n) + kronFit(m, n) / 34,
                        34));
        return e;
    }

    /**
     * SOAP per step: projection {@code Q_Lᵀ·G·Q_R}, projection back, statistics {@code G·Gᵀ} and
     * {@code Gᵀ·G}: {@code 6mn(m + n)}.
     */
    static double soapStep(double m, double n) {
        return 6 * m * n * (m + n);
    }

    /**
     * SOAP per refresh: per axis of size d the power step {@code GG·Q} (2d³) and a Householder QR
     * with Q formed (8d³/3), plus the momentum moved between bases (4mn(m + n)). The first call's
     * eigendecomposition (once per run) is excluded.
     */
    static double soapRefresh(double m, double n) {
        return 14 * (m * m * m + n * n * n) / 3 + 4 * m * n * (m + n);
    }

    /** Shampoo per step: the statistics and {@code P_L·G·P_R}: {@code 4mn(m + n)}. */
    static double shampooStep(double m, double n) {
        return 4 * m * n * (m + n);
    }

    /**
     * Shampoo per root recomputation: per axis of size d a symmetric eigendecomposition with
     * vectors (≈9d³) and {@code Q·diag·Qᵀ} (2d³).
     */
    static double shampooRoots(double m, double n) {
        return 11 * (m * m * m + n * n * n);
    }

    /**
     * Newton–Schulz-5 on the wide orientation ({@code k = min}, {@code l = max}): per step {@code
     * X·Xᵀ} (2k²l), {@code A·A} (2k³), {@code B·X} (2k²l).
     */
    static double ns5(double m, double n) {
        double k = Math.min(m, n);
        double l = Math.max(m, n);
        return 5 * (4 * k * k * l + 2 * k * k * k);
    }

    /** {@code Q₀ᵀQ₀·G·Q₁ᵀQ₁}: four products with triangular factors on both axes. */
    static double kronPrecondition(double m, double n) {
        return 4 * m * m * n + 4 * m * n * n;
    }

    /**
     * One fit of both factors as the reference computes it: {@code A = Q₀GQ₁ᵀ} (2m²n + 2mn²),
     * {@code B} by two triangular solves (m²n + mn²), the four Gram matrices (4m²n + 4mn²) and
     * {@code Qᵢ ← Qᵢ − (…)·Qᵢ} (2m³ + 2n³).
     */
    static double kronFit(double m, double n) {
        return 7 * m * m * n + 7 * m * n * n + 2 * m * m * m + 2 * n * n * n;
    }

    @Override
    public Integer call() {
        BenchmarkArguments.checkRounds(spec, steps, warmup, rounds, threads);
        List<long[]> dims = BenchmarkArguments.parseShapes(spec, shapes);
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        JniUtils.setNumThreads(threads);
        List<Entry> entries = entries();
        double[][][] times = new double[dims.size()][entries.size()][rounds];
        double[][] bytesPerParameter = new double[dims.size()][entries.size()];
        double[] rates = new double[rounds];
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Progress bar =
                        progress.start(
                                "bench-matrix",
                                (long) rounds * dims.size() * entries.size(),
                                "measurements")) {
            for (int r = 0; r < rounds; r++) {
                rates[r] = matmulRate(manager);
                for (int s = 0; s < dims.size(); s++) {
                    for (int e = 0; e < entries.size(); e++) {
                        Entry entry = entries.get(e);
                        double[] measured =
                                measure(
                                        manager,
                                        entry.optimizer().get(),
                                        dims.get(s),
                                        entry.period());
                        times[s][e][r] = measured[0];
                        bytesPerParameter[s][e] = measured[1];
                        bar.step();
                    }
                }
            }
        }
        double rate = Arrays.stream(rates).max().orElseThrow();
        out.printf(
                Locale.ROOT,
                "Engine %s %s, %d intra-op threads; matmul rate %.1f GFLOP/s (1024^3, fastest of"
                        + " %d rounds); fastest of %d rounds x %d+ steps%n%n",
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                threads,
                rate / 1e9,
                rounds,
                rounds,
                steps);
        out.println(
                "| shape | optimizer | ms/step | × DJL AdamW | bound ms | × bound | state"
                        + " bytes/param |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        for (int s = 0; s < dims.size(); s++) {
            long[] d = dims.get(s);
            double baseline = fastest(times[s][0]);
            for (int e = 0; e < entries.size(); e++) {
                Entry entry = entries.get(e);
                double ms = fastest(times[s][e]);
                String bound = "–";
                String ratio = "–";
                if (entry.flops() != null) {
                    double boundMs = entry.flops().flops(d[0], d[1]) / rate * 1e3;
                    bound = String.format(Locale.ROOT, "%.2f", boundMs);
                    ratio = String.format(Locale.ROOT, "%.2f", ms / boundMs);
                }
                out.printf(
                        Locale.ROOT,
                        "| %dx%d | %s | %.2f | %.2f | %s | %s | %.2f%s |%n",
                        d[0],
                        d[1],
                        entry.name(),
                        ms,
                        ms / baseline,
                        bound,
                        ratio,
                        bytesPerParameter[s][e],
                        e == 0 ? "*" : "");
            }
        }
        out.println();
        out.println("* DJL's AdamW does not report its state: two float32 moments per parameter.");
        out.flush();
        return 0;
    }

    /** Returns ms per step and the optimizer's state bytes per parameter after the steps. */
    private double[] measure(NDManager parent, Optimizer optimizer, long[] dims, int period) {
        int measured = (steps + period - 1) / period * period;
        try (NDManager manager = parent.newSubManager()) {
            Shape shape = new Shape(dims);
            NDArray weight = manager.randomNormal(shape).muli(0.02);
            NDArray master = manager.randomNormal(shape).muli(1e-3);
            NDArray grad = manager.zeros(shape);
            long nanos = 0;
            for (int t = 0; t < warmup + measured; t++) {
                // Descent optimizers consume the gradient buffer: refresh it, untimed
                grad.set(new NDIndex("..."), master);
                long start = System.nanoTime();
                optimizer.update("w", weight, grad);
                if (t >= warmup) {
                    nanos += System.nanoTime() - start;
                }
            }
            double bytes =
                    optimizer instanceof StatefulOptimizer so
                            ? (double) so.stateBytes() / shape.size()
                            : 8; // DJL's AdamW: two float32 moments
            return new double[] {nanos / 1e6 / measured, bytes};
        }
    }

    /** Flops per second of a 1024×1024 by 1024×1024 {@code matMul}, the fastest of 5. */
    private static double matmulRate(NDManager parent) {
        try (NDManager manager = parent.newSubManager()) {
            Shape shape = new Shape(RATE_SIZE, RATE_SIZE);
            NDArray a = manager.randomNormal(shape);
            NDArray b = manager.randomNormal(shape);
            a.matMul(b).close();
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                a.matMul(b).close();
                best = Math.min(best, System.nanoTime() - start);
            }
            return 2.0 * RATE_SIZE * RATE_SIZE * RATE_SIZE / (best / 1e9);
        }
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
