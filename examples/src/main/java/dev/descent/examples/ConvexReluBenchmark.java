package dev.descent.examples;

import dev.descent.solve.ConvexReluAdmm;
import dev.descent.solve.ConvexReluProgram;
import java.io.PrintWriter;
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
 * The cost of one ADMM iteration of {@link ConvexReluAdmm} against the number of samples n, on 2-D
 * inputs (+ bias, d = 3): with the patterns growing with n (P = n/4) the cost is quadratic in n
 * (the paper's claim), with P fixed it is linear. The time of an iteration is measured as the
 * difference of two runs of {@code --short} and {@code --long} iterations divided by their
 * difference, so the one-off Cholesky factorization cancels; each cell is the median of {@code
 * --repeats} such differences. Ratios are against the previous (half) n in the same run.
 */
@Command(
        name = "bench-convex-relu",
        mixinStandardHelpOptions = true,
        description = {
            "Time per ADMM iteration of the convex two-layer ReLU program against n (2-D inputs +"
                    + " bias): P = n/4 patterns (quadratic in n) and P fixed (linear), with the"
                    + " ratio to the previous n and the multiply-add count's ratio."
        })
public final class ConvexReluBenchmark implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "200,400,800,1600",
            description = "Sample counts n, each >= 8 (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(
            names = "--fixed-patterns",
            defaultValue = "50",
            description = "P of the fixed-P series, >= 1 (default: ${DEFAULT-VALUE}).")
    private int fixedPatterns;

    @Option(
            names = "--short",
            defaultValue = "10",
            description = "Iterations of the short run, >= 1 (default: ${DEFAULT-VALUE}).")
    private int shortRun;

    @Option(
            names = "--long",
            defaultValue = "40",
            description = "Iterations of the long run, > --short (default: ${DEFAULT-VALUE}).")
    private int longRun;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description =
                    "Measurements per cell (the median is shown), >= 1 (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Override
    public Integer call() {
        if (sizes.stream().anyMatch(n -> n < 8)
                || fixedPatterns < 1
                || shortRun < 1
                || longRun <= shortRun
                || repeats < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "expected --sizes >= 8, --fixed-patterns >= 1, 1 <= --short < --long, --repeats >= 1");
        }
        try (Progress bar =
                progress.startBetweenRows("bench-convex-relu", 1 + 2L * sizes.size(), "cells")) {
            table(bar);
        }
        return 0;
    }

    private void table(Progress bar) {
        // warm-up: the JIT compiles the iteration's loops before the first measured cell
        perIteration(program(sizes.get(0), Math.max(1, sizes.get(0) / 4)));
        bar.step();
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "| n | P | ms / iteration | ratio to n/2 | multiply-add ratio | P (fixed) | ms / iteration | ratio to n/2 | multiply-add ratio |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        double[] previous = null;
        long[] previousCount = null;
        for (int n : sizes) {
            ConvexReluProgram growing = program(n, Math.max(1, n / 4));
            ConvexReluProgram fixed = program(n, fixedPatterns);
            double growingMs = perIteration(growing);
            bar.step();
            double[] ms = {growingMs, perIteration(fixed)};
            bar.step();
            long[] count = {
                ConvexReluAdmm.multiplyAddsPerIteration(n, 3, growing.patterns()),
                ConvexReluAdmm.multiplyAddsPerIteration(n, 3, fixed.patterns())
            };
            out.printf(
                    Locale.ROOT,
                    "| %d | %d | %.3f | %s | %s | %d | %.3f | %s | %s |%n",
                    n,
                    growing.patterns(),
                    ms[0],
                    previous == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", ms[0] / previous[0]),
                    previous == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.2f", (double) count[0] / previousCount[0]),
                    fixed.patterns(),
                    ms[1],
                    previous == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", ms[1] / previous[1]),
                    previous == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.2f", (double) count[1] / previousCount[1]));
            out.flush();
            previous = ms;
            previousCount = count;
        }
    }

    private static ConvexReluProgram program(int n, int patterns) {
        double[][][] data = ConvexReluExperiment.data(n, 2, 3);
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            y[r] = data[1][r][0];
        }
        return ConvexReluProgram.sample(data[0], y, 1e-3, patterns, 4, true);
    }

    /** Median over the repeats of (t(long) − t(short)) / (long − short), in milliseconds. */
    private double perIteration(ConvexReluProgram program) {
        double[] samples = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            double a = seconds(program, shortRun);
            double b = seconds(program, longRun);
            samples[k] = 1e3 * (b - a) / (longRun - shortRun);
        }
        java.util.Arrays.sort(samples);
        return samples[repeats / 2];
    }

    private static double seconds(ConvexReluProgram program, int iterations) {
        ConvexReluAdmm solver =
                ConvexReluAdmm.builder().optTolerance(1e-12).optMaxIterations(iterations).build();
        long start = System.nanoTime();
        solver.solve(program);
        return (System.nanoTime() - start) / 1e9;
    }
}
