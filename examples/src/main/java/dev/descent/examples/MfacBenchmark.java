package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.descent.curvature.InverseFisher;
import java.io.PrintWriter;
import java.util.ArrayList;
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
 * The cost of M-FAC's dynamic algorithm ({@link InverseFisher}, float32, one block) against its
 * claimed complexity: per inverse-Fisher–vector product O(dm + m²), per replacement of a gradient
 * O(dm + m³).
 *
 * <p>Each cell (d, m) times the fastest of {@code repeats} products {@code F⁻¹x} and the fastest of
 * the first {@code repeats} replacements into a fresh window (rows 0, 1, …: close to the full m×m
 * refactorization, the worst case); a first, unreported cell warms up the JIT and the engine. The
 * growth is then fitted on a log-log scale: the slope in d at fixed m (1 for linear), and in m at
 * fixed d. At large d the O(dm) engine work dominates both operations, so they grow about linearly
 * in m too; the O(m²) and O(m³) host terms show in the small-d sweep, where d is too small to
 * matter.
 *
 * <p>Baselines timed in the same cell: one pass {@code G·x} over the m·d ring buffer, and one
 * elementwise operation on a d-vector into a new array. A product makes two passes over G plus O(d)
 * work into one new d-vector, a replacement one pass plus the m×m refactorization, so their ratios
 * to the baselines should stay roughly constant in d; the baselines' own growth in d shows how the
 * machine's caches and allocator scale.
 */
@Command(
        name = "bench-mfac",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks M-FAC's dynamic inverse Fisher (float32): ms per product F⁻¹x and per"
                    + " replacement of a gradient in the ring buffer, for every d and m given"
                    + " (cells whose m·d floats exceed --max-gib are skipped), plus a sweep in m"
                    + " at a small d where the m×m host work dominates. Prints Markdown tables and"
                    + " the fitted growth exponents (slope of log time against log d and log m)."
        })
public final class MfacBenchmark implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--dims",
            split = ",",
            defaultValue = "100000,1000000,10000000",
            description = "Dimensions d (>= 1). Default: ${DEFAULT-VALUE}.")
    private long[] dims;

    @Option(
            names = "--ms",
            split = ",",
            defaultValue = "16,32,64,128,256",
            description = "Window sizes m (>= 1). Default: ${DEFAULT-VALUE}.")
    private int[] ms;

    @Option(
            names = "--small-d",
            defaultValue = "1000",
            description =
                    "d of the sweep in m that isolates the m×m work (0 to skip). Default:"
                            + " ${DEFAULT-VALUE}.")
    private long smallD;

    @Option(
            names = "--small-ms",
            split = ",",
            defaultValue = "64,128,256,512,1024",
            description = "Window sizes m of that sweep. Default: ${DEFAULT-VALUE}.")
    private int[] smallMs;

    @Option(
            names = "--max-gib",
            defaultValue = "2",
            description =
                    "Largest ring buffer m·d·4 bytes, in GiB (> 0). Default: ${DEFAULT-VALUE}.")
    private double maxGib;

    @Option(
            names = "--repeats",
            defaultValue = "5",
            description =
                    "Timed products and replacements per cell (>= 1). Default: ${DEFAULT-VALUE}.")
    private int repeats;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch intra-op threads (>= 1). Default: ${DEFAULT-VALUE}.")
    private int threads;

    /**
     * One measured cell, in milliseconds: {@code pass} is one G·x (the baseline), {@code vector}
     * one elementwise operation on a d-vector into a new array (the O(d) part of a product).
     */
    record Cell(long d, int m, double pass, double vector, double product, double replacement) {}

    @Override
    public Integer call() {
        if (repeats < 1 || threads < 1 || !(maxGib > 0) || smallD < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--repeats and --threads must be >= 1, --max-gib > 0 and --small-d >= 0, got "
                            + repeats
                            + ", "
                            + threads
                            + ", "
                            + maxGib
                            + " and "
                            + smallD);
        }
        for (long d : dims) {
            requirePositive("--dims", d);
        }
        for (int m : ms) {
            requirePositive("--ms", m);
        }
        for (int m : smallMs) {
            requirePositive("--small-ms", m);
        }
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE);
        JniUtils.setNumThreads(threads);
        engine.setRandomSeed(0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "Engine %s %s, %d intra-op threads; float32, damping 1e-5, one block; fastest of"
                        + " %d products and of the first %d replacements into a fresh window%n%n",
                engine.getEngineName(),
                engine.getVersion(),
                threads,
                repeats,
                repeats);
        List<Cell> cells = new ArrayList<>();
        long total = 1 + (long) dims.length * ms.length + (smallD > 0 ? smallMs.length : 0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName());
                Progress bar = progress.startBetweenRows("bench-mfac", total, "cells")) {
            measure(manager, dims[0], ms[0]); // warm-up
            bar.step();
            out.println(
                    "| d | m | ring buffer MiB | ms per G·x (baseline) | ms per new d-vector |"
                            + " ms per F⁻¹x | × G·x | ms per replacement | × G·x |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (long d : dims) {
                for (int m : ms) {
                    double bytes = 4.0 * m * d;
                    if (bytes > maxGib * (1L << 30)) {
                        out.printf(
                                Locale.ROOT,
                                "| %,d | %d | %.0f | skipped | | | | | |%n",
                                d,
                                m,
                                bytes / (1 << 20));
                        out.flush();
                        bar.step();
                        continue;
                    }
                    Cell c = measure(manager, d, m);
                    cells.add(c);
                    bar.step();
                    out.printf(
                            Locale.ROOT,
                            "| %,d | %d | %.0f | %.3f | %.3f | %.3f | %.2f | %.3f | %.2f |%n",
                            d,
                            m,
                            bytes / (1 << 20),
                            c.pass(),
                            c.vector(),
                            c.product(),
                            c.product() / c.pass(),
                            c.replacement(),
                            c.replacement() / c.pass());
                    out.flush();
                }
            }
            out.println();
            out.println("Growth at fixed m, per 10× d (≈ 10 and slope ≈ 1 when linear in d):");
            out.println();
            out.println(
                    "| m | G·x: ratio per 10× d | slope | F⁻¹x: ratio per 10× d | slope |"
                            + " replacement: ratio per 10× d | slope |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int m : ms) {
                List<Cell> row = cells.stream().filter(c -> c.m() == m).toList();
                if (row.size() >= 2) {
                    double[] x = row.stream().mapToDouble(Cell::d).toArray();
                    double sb = slope(x, row.stream().mapToDouble(Cell::pass).toArray());
                    double sp = slope(x, row.stream().mapToDouble(Cell::product).toArray());
                    double sr = slope(x, row.stream().mapToDouble(Cell::replacement).toArray());
                    out.printf(
                            Locale.ROOT,
                            "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                            m,
                            Math.pow(10, sb),
                            sb,
                            Math.pow(10, sp),
                            sp,
                            Math.pow(10, sr),
                            sr);
                }
            }
            out.println();
            out.println(
                    "Growth at fixed d, per 2× m (linear: 2, slope 1; quadratic: 4; cubic: 8):");
            out.println();
            growthInM(out, cells, dims);
            if (smallD > 0) {
                List<Cell> small = new ArrayList<>();
                out.println();
                out.printf(Locale.ROOT, "The m×m work alone, at d = %,d:%n%n", smallD);
                out.println("| m | ms per F⁻¹x | ms per replacement |");
                out.println("|---:|---:|---:|");
                for (int m : smallMs) {
                    Cell c = measure(manager, smallD, m);
                    small.add(c);
                    bar.step();
                    out.printf(
                            Locale.ROOT, "| %d | %.3f | %.3f |%n", m, c.product(), c.replacement());
                    out.flush();
                }
                out.println();
                growthInM(out, small, new long[] {smallD});
            }
        }
        out.flush();
        return 0;
    }

    private void requirePositive(String option, long value) {
        if (value < 1) {
            throw new ParameterException(
                    spec.commandLine(), option + " values must be >= 1, got " + value);
        }
    }

    private static void growthInM(PrintWriter out, List<Cell> cells, long[] dims) {
        out.println(
                "| d | product: time ratio per 2× m | slope | replacement: ratio per 2× m | slope |");
        out.println("|---:|---:|---:|---:|---:|");
        for (long d : dims) {
            List<Cell> row = cells.stream().filter(c -> c.d() == d).toList();
            if (row.size() >= 2) {
                double[] x = row.stream().mapToDouble(Cell::m).toArray();
                double sp = slope(x, row.stream().mapToDouble(Cell::product).toArray());
                double sr = slope(x, row.stream().mapToDouble(Cell::replacement).toArray());
                out.printf(
                        Locale.ROOT,
                        "| %,d | %.2f | %.2f | %.2f | %.2f |%n",
                        d,
                        Math.pow(2, sp),
                        sp,
                        Math.pow(2, sr),
                        sr);
            }
        }
    }

    private Cell measure(NDManager parent, long d, int m) {
        try (NDManager manager = parent.newSubManager();
                InverseFisher fisher =
                        InverseFisher.create(d, m, 1e-5, 0, DataType.FLOAT32, manager)) {
            NDArray g = manager.randomNormal(new Shape(d));
            double replacement = Double.POSITIVE_INFINITY;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                fisher.add(g);
                replacement = Math.min(replacement, (System.nanoTime() - start) / 1e6);
            }
            double product = Double.POSITIVE_INFINITY;
            double pass = Double.POSITIVE_INFINITY;
            double vector = Double.POSITIVE_INFINITY;
            NDArray column = g.reshape(1, d, 1);
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                fisher.multiply(g).close();
                product = Math.min(product, (System.nanoTime() - start) / 1e6);
                start = System.nanoTime();
                fisher.gradients().matMul(column).close();
                pass = Math.min(pass, (System.nanoTime() - start) / 1e6);
                start = System.nanoTime();
                g.mul(2).close();
                vector = Math.min(vector, (System.nanoTime() - start) / 1e6);
            }
            return new Cell(d, m, pass, vector, product, replacement);
        }
    }

    /**
     * The least-squares slope of log y against log x: the exponent k of y ∝ x^k.
     *
     * @param x positive abscissae, at least two distinct
     * @param y positive values
     * @return k
     */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }
}
