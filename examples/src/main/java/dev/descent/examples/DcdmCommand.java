package dev.descent.examples;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import dev.descent.onnx.OnnxExporter;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Reproduces the deep conjugate direction method (Kaneda et al., ICML 2023) on the 2-D Poisson
 * problem: trains the network at one grid, then solves smooth right-hand sides with DCDM and CG at
 * that grid and, without retraining, larger ones.
 */
@Command(
        name = "dcdm",
        mixinStandardHelpOptions = true,
        description = {
            "Deep conjugate direction method (Kaneda et al., ICML 2023) on the 2-D Dirichlet"
                    + " Poisson problem: trains its CNN at --train-grid on Lanczos Ritz-vector"
                    + " right-hand sides (Adam), saves it (DJL params, optional ONNX), then solves"
                    + " smooth right-hand sides to 1e-4 with DCDM and CG at every --test-grids"
                    + " side with the same network. Prints iterations and ms per solve and"
                    + " writes results.md, results.csv and dcdm.png (residual vs iteration)."
        })
public final class DcdmCommand implements Callable<Integer> {

    /** The files written into the output folder (besides the model). */
    static final List<String> FILES =
            List.of("results.md", "results.csv", "dcdm.png", "dcdm-0000.params", "dcdm.onnx");

    @Spec private CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/dcdm",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(
            names = "--train-grid",
            defaultValue = "32",
            description = "Side of the training grid, even (default: ${DEFAULT-VALUE}).")
    private int trainGrid;

    @Option(
            names = "--test-grids",
            split = ",",
            defaultValue = "32,64",
            description = "Sides of the test grids, even (default: ${DEFAULT-VALUE}).")
    private int[] testGrids;

    @Option(
            names = "--filters",
            defaultValue = "16",
            description = "Channels of each convolution (default: ${DEFAULT-VALUE}).")
    private int filters;

    @Option(
            names = "--ritz",
            defaultValue = "300",
            description = "Lanczos steps m for the training data (default: ${DEFAULT-VALUE}).")
    private int ritz;

    @Option(
            names = "--samples",
            defaultValue = "2000",
            description = "Training right-hand sides, 10%% held out (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Option(
            names = "--epochs",
            defaultValue = "8",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(
            names = "--batch-size",
            defaultValue = "10",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}, the reference's).")
    private int batchSize;

    @Option(
            names = "--learning-rate",
            defaultValue = "3e-4",
            description =
                    "Adam's learning rate (default: ${DEFAULT-VALUE}; the reference's is 1e-4,"
                            + " which 8 epochs do not train far enough).")
    private double learningRate;

    @Option(
            names = "--test-rhs",
            defaultValue = "5",
            description = "Smooth right-hand sides per test grid (default: ${DEFAULT-VALUE}).")
    private int testRhs;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of data, weights and test problems (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "libtorch intra-op threads (default: ${DEFAULT-VALUE}; on a busy 2-core"
                            + " machine one thread trained 7x faster than the default).")
    private int threads;

    @Option(names = "--onnx", description = "Also export the trained network as dcdm.onnx.")
    private boolean onnx;

    @Mixin private ProgressOption progress;

    @Override
    public Integer call() throws IOException {
        List<String> problems = new ArrayList<>();
        if (trainGrid < 2 || trainGrid % 2 != 0) {
            problems.add("--train-grid must be even and >= 2, got " + trainGrid);
        }
        for (int g : testGrids) {
            if (g < 2 || g % 2 != 0) {
                problems.add("--test-grids must be even and >= 2, got " + g);
            }
        }
        if (threads < 1) {
            problems.add("--threads must be >= 1, got " + threads);
        }
        if (filters < 1 || epochs < 1 || batchSize < 1 || testRhs < 1) {
            problems.add(
                    "--filters, --epochs, --batch-size and --test-rhs must be >= 1, got "
                            + filters
                            + ", "
                            + epochs
                            + ", "
                            + batchSize
                            + ", "
                            + testRhs);
        }
        if (ritz < 1 || ritz > trainGrid * trainGrid) {
            problems.add("--ritz must be in [1, " + trainGrid * trainGrid + "], got " + ritz);
        }
        if (samples < 2) {
            problems.add("--samples must be >= 2, got " + samples);
        }
        if (!(learningRate > 0)) {
            problems.add("--learning-rate must be > 0, got " + learningRate);
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        DcdmExperiment.Settings settings =
                new DcdmExperiment.Settings(
                        trainGrid,
                        filters,
                        ritz,
                        samples,
                        epochs,
                        batchSize,
                        learningRate,
                        seed,
                        testGrids,
                        testRhs);
        PrintWriter out = spec.commandLine().getOut();
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch before its thread count is set
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        long start = System.nanoTime();
        DcdmExperiment.Trained trained;
        try (Progress bar = progress.start("dcdm", settings.trainingSteps(), "steps")) {
            trained = DcdmExperiment.train(settings, bar::stepBy);
        }
        double trainingSeconds = (System.nanoTime() - start) / 1e9;
        try (Model model = trained.model()) {
            Files.createDirectories(output);
            model.save(output, "dcdm");
            if (onnx) {
                OnnxExporter.export(
                        model.getBlock(),
                        new Shape(1, 1, trainGrid, trainGrid),
                        output.resolve("dcdm.onnx"));
            }
            List<DcdmExperiment.Row> rows = DcdmExperiment.solve(settings, model);
            String table = table(rows);
            out.print(table);
            out.flush();
            Files.writeString(
                    output.resolve("results.md"),
                    summary(trained, trainingSeconds, table),
                    StandardCharsets.UTF_8);
            writeCsv(rows, output.resolve("results.csv"));
            writePlot(rows, output.resolve("dcdm.png"));
        }
        out.println(
                "Wrote "
                        + output.resolve("results.md")
                        + ", results.csv, dcdm.png, dcdm-0000.params"
                        + (onnx ? ", dcdm.onnx" : ""));
        out.flush();
        return 0;
    }

    static String table(List<DcdmExperiment.Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| grid | method | iterations to 1e-4 (mean, max) | ms per solve | ms per iteration"
                        + " | iterations vs CG | time vs CG |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (DcdmExperiment.Row r : rows) {
            DcdmExperiment.Row cg =
                    rows.stream()
                            .filter(c -> c.grid() == r.grid() && c.method().equals("CG"))
                            .findFirst()
                            .orElseThrow();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %d² | %s | %.1f, %s | %.2f | %.3f | %.2f× | %.2f× |%n",
                            r.grid(),
                            r.method(),
                            r.meanIterations(),
                            r.maxIterations() == Integer.MAX_VALUE
                                    ? "not reached"
                                    : Integer.toString(r.maxIterations()),
                            r.msPerSolve(),
                            r.msPerIteration(),
                            r.meanIterations() / cg.meanIterations(),
                            r.msPerSolve() / cg.msPerSolve()));
        }
        return sb.toString();
    }

    private String summary(DcdmExperiment.Trained trained, double seconds, String table) {
        double[] val = trained.history().validationLoss();
        return "# Deep conjugate direction method on the 2-D Poisson problem\n\n"
                + String.format(
                        Locale.ROOT,
                        "Trained at %d² (%d filters, Lanczos m = %d, %d right-hand sides, %d"
                                + " epochs, batch %d, Adam %s, seed %d) in %.0f s; held-out loss"
                                + " %.4f before, %.4f after. Test: %d smooth right-hand sides per"
                                + " grid (three Gaussian bumps), x₀ = 0, stop at ‖r‖/‖r₀‖ < 1e-4"
                                + " (DCDM cap 100, CG cap 1000), same network at every grid."
                                + " Command: `descent dcdm --train-grid %d --test-grids %s"
                                + " --filters %d --ritz %d --samples %d --epochs %d --batch-size"
                                + " %d --learning-rate %s --test-rhs %d --seed %d`.%n%n",
                        trainGrid,
                        filters,
                        ritz,
                        samples,
                        epochs,
                        batchSize,
                        learningRate,
                        seed,
                        seconds,
                        val[0],
                        val[val.length - 1],
                        testRhs,
                        trainGrid,
                        joined(testGrids),
                        filters,
                        ritz,
                        samples,
                        epochs,
                        batchSize,
                        learningRate,
                        testRhs,
                        seed)
                + table;
    }

    private static String joined(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private static void writeCsv(List<DcdmExperiment.Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("grid,method,iteration,relative_residual\n");
        for (DcdmExperiment.Row r : rows) {
            for (int k = 0; k < r.history().length; k++) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%d,%s,%d,%.6e%n",
                                r.grid(),
                                r.method(),
                                k,
                                r.history()[k]));
            }
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    private void writePlot(List<DcdmExperiment.Row> rows, Path file) throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(700)
                        .height(450)
                        .title(
                                "DCDM (trained at "
                                        + trainGrid
                                        + "²) and CG, smooth right-hand side")
                        .xAxisTitle("iteration")
                        .yAxisTitle("‖r‖ / ‖r₀‖ (log scale)")
                        .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(3);
        Color[] colours = {
            new Color(0xD55E00), new Color(0x0072B2), new Color(0x009E73), new Color(0xCC79A7)
        };
        int c = 0;
        for (int grid : testGrids) {
            Color colour = colours[c++ % colours.length];
            for (DcdmExperiment.Row r : rows) {
                if (r.grid() != grid) {
                    continue;
                }
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int k = 0; k < r.history().length; k++) {
                    xs.add((double) k);
                    ys.add(Math.max(r.history()[k], 1e-12));
                }
                XYSeries s = chart.addSeries(r.method() + " " + grid + "²", xs, ys);
                s.setLineColor(colour);
                s.setMarkerColor(colour);
                if (r.method().equals("CG")) {
                    s.setLineStyle(
                            new java.awt.BasicStroke(
                                    1.5f,
                                    java.awt.BasicStroke.CAP_BUTT,
                                    java.awt.BasicStroke.JOIN_MITER,
                                    10f,
                                    new float[] {6f, 4f},
                                    0f));
                }
            }
        }
        Charts.writeStacked(List.of(chart), file);
    }
}
