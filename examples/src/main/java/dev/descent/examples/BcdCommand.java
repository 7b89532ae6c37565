package dev.descent.examples;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Reproduces the comparisons of Nutini, Laradji and Schmidt (greedy block coordinate descent, arXiv
 * 1712.08580) on the reference's synthetic problems, scaled: see {@link BcdExperiment}.
 */
@Command(
        name = "bcd",
        mixinStandardHelpOptions = true,
        description = {
            "Greedy block coordinate descent (Nutini, Laradji, Schmidt): the GS, GSL, GSD and GSQ"
                    + " rules against random, cyclic and Lipschitz sampling on fixed (FB) and"
                    + " variable (VB) blocks, 1/L_b against matrix and Newton updates, and exact"
                    + " message-passing updates on a lattice quadratic, on the reference's"
                    + " synthetic least-squares, logistic, softmax and label-propagation problems."
                    + " Prints f - f* after the budget and the paper's claims checked; writes"
                    + " results.md, results.csv and bcd.png (f - f* per iteration, log scale)."
        })
public final class BcdCommand implements Callable<Integer> {

    /** The files written into the output folder. */
    static final List<String> FILES = List.of("results.md", "results.csv", "bcd.png");

    @Spec private CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/bcd",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(
            names = "--rows",
            defaultValue = "200",
            description =
                    "Rows m of the least-squares, logistic and softmax data, >= 2 (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Option(
            names = "--cols",
            defaultValue = "2000",
            description =
                    "Columns p of the least-squares and logistic data, a multiple of --block-size (default: ${DEFAULT-VALUE}).")
    private int cols;

    @Option(
            names = "--softmax-features",
            defaultValue = "100",
            description =
                    "Features of the softmax data (10 classes), >= 1 (default: ${DEFAULT-VALUE}).")
    private int softmaxFeatures;

    @Option(
            names = "--lattice",
            defaultValue = "50",
            description =
                    "Side of the label-propagation lattice, >= 3 (default: ${DEFAULT-VALUE}).")
    private int latticeSide;

    @Option(
            names = "--block-size",
            defaultValue = "5",
            description = "Block size τ, >= 1 (default: ${DEFAULT-VALUE}).")
    private int blockSize;

    @Option(
            names = "--iterations",
            defaultValue = "500",
            description = "Iterations of each run, >= 1 (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the data and the random rules (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Mixin private ProgressOption progress;

    @Override
    public Integer call() throws IOException {
        int labels = Math.max(1, latticeSide * latticeSide / 25);
        if (rows < 2
                || blockSize < 1
                || cols < blockSize
                || cols % blockSize != 0
                || softmaxFeatures < 1
                || (softmaxFeatures * 10) % blockSize != 0
                || latticeSide < 3
                || iterations < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "need --rows >= 2, --block-size >= 1 dividing --cols and 10 x"
                            + " --softmax-features, --lattice >= 3 and --iterations >= 1, got "
                            + rows
                            + ", "
                            + blockSize
                            + ", "
                            + cols
                            + ", "
                            + softmaxFeatures
                            + ", "
                            + latticeSide
                            + " and "
                            + iterations);
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        BcdExperiment.Settings settings =
                new BcdExperiment.Settings(
                        rows,
                        cols,
                        softmaxFeatures,
                        10,
                        latticeSide,
                        labels,
                        blockSize,
                        iterations,
                        seed);
        BcdExperiment.Outcome outcome;
        try (Progress bar = progress.start("bcd", BcdExperiment.runCount(), "runs")) {
            outcome = BcdExperiment.run(settings, bar::stepTo);
        }
        String report = report(outcome, settings);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.md"), report, StandardCharsets.UTF_8);
        writeCsv(outcome, output.resolve("results.csv"));
        writePlot(outcome, output.resolve("bcd.png"));
        out.println("Wrote " + output.resolve("results.md") + ", results.csv, bcd.png");
        out.flush();
        return 0;
    }

    private String report(BcdExperiment.Outcome o, BcdExperiment.Settings s) {
        StringBuilder sb = new StringBuilder("# Greedy block coordinate descent\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Least squares and logistic: %d x %d; softmax: %d x %d, 10 classes;"
                                + " lattice %d x %d with %d labels, w = 1e5. Block size %d,"
                                + " %d iterations from x0 = 0, seed %d. Command: `descent bcd"
                                + " --rows %d --cols %d --softmax-features %d --lattice %d"
                                + " --block-size %d --iterations %d --seed %d`.%n%n",
                        s.rows(),
                        s.cols(),
                        s.rows(),
                        s.softmaxFeatures(),
                        s.latticeSide(),
                        s.latticeSide(),
                        s.labels(),
                        s.blockSize(),
                        s.iterations(),
                        s.seed(),
                        s.rows(),
                        s.cols(),
                        s.softmaxFeatures(),
                        s.latticeSide(),
                        s.blockSize(),
                        s.iterations(),
                        s.seed()));
        sb.append("f*: ");
        List<String> stars = new ArrayList<>();
        for (Map.Entry<String, Double> e : o.fStars().entrySet()) {
            stars.add(String.format(Locale.ROOT, "%s %.10g", e.getKey(), e.getValue()));
        }
        sb.append(String.join("; ", stars)).append(".\n\n");
        sb.append(
                "| panel | method | f - f* at start | after 100 | at the end |\n|---|---|---:|---:|---:|\n");
        for (BcdExperiment.Panel p : o.panels()) {
            for (BcdExperiment.Curve c : p.curves()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.3e | %.3e | %.3e |%n",
                                p.title(),
                                c.label(),
                                c.gaps()[0],
                                c.gaps()[Math.min(100, c.gaps().length - 1)],
                                c.last()));
            }
        }
        sb.append("\n| claim | holds | measured (better vs other) |\n|---|---|---|\n");
        for (BcdExperiment.Claim c : BcdExperiment.claims(o)) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %.3e vs %.3e |%n",
                            c.text(),
                            c.holds() ? "yes" : "no",
                            c.better(),
                            c.worse()));
        }
        return sb.toString();
    }

    private static void writeCsv(BcdExperiment.Outcome o, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("panel,method,iteration,suboptimality\n");
        for (BcdExperiment.Panel p : o.panels()) {
            for (BcdExperiment.Curve c : p.curves()) {
                for (int k = 0; k < c.gaps().length; k++) {
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    "\"%s\",\"%s\",%d,%.6e%n",
                                    p.title(),
                                    c.label(),
                                    k,
                                    c.gaps()[k]));
                }
            }
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    private static void writePlot(BcdExperiment.Outcome o, Path file) throws IOException {
        Color[] colours = {
            Color.BLACK,
            new Color(0xD55E00),
            new Color(0x0072B2),
            new Color(0x009E73),
            new Color(0xCC79A7),
            new Color(0xE69F00),
            new Color(0x56B4E9),
            Color.GRAY,
            new Color(0xF0E442),
            new Color(0x882255)
        };
        List<XYChart> charts = new ArrayList<>();
        for (BcdExperiment.Panel p : o.panels()) {
            XYChart chart =
                    new XYChartBuilder()
                            .width(560)
                            .height(420)
                            .title(p.title())
                            .xAxisTitle("iteration")
                            .yAxisTitle("f - f* (log scale)")
                            .build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(9f));
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            int i = 0;
            for (BcdExperiment.Curve c : p.curves()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int k = 0; k < c.gaps().length; k++) {
                    if (c.gaps()[k] > 1e-12) {
                        xs.add((double) k);
                        ys.add(c.gaps()[k]);
                    }
                }
                if (xs.isEmpty()) {
                    xs.add(0.0);
                    ys.add(1e-12);
                }
                XYSeries series = chart.addSeries(c.label(), xs, ys);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(colours[i % colours.length]);
                i++;
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(
                charts,
                (charts.size() + 1) / 2,
                2,
                file.toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
