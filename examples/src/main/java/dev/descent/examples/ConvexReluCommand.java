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
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Convex training of a two-layer ReLU network (Pilanci and Ergen's program, Bai, Gautam and
 * Sojoudi's ADMM) against Adam on the same architecture: see {@link ConvexReluExperiment}.
 */
@Command(
        name = "convex-relu",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a two-layer ReLU network on a seeded regression set by the convex program over"
                    + " sampled activation patterns (Pilanci and Ergen) solved by ADMM (Bai,"
                    + " Gautam, Sojoudi 2022), recovers the network, and trains the same"
                    + " architecture by Adam from random starts on the same regularized loss."
                    + " Prints the convex optimum (barrier method), ADMM's objective, the"
                    + " recovered network's loss and Adam's losses; writes results.md,"
                    + " objective.csv and convex-relu.png (ADMM's objective gap and primal"
                    + " residual per iteration)."
        })
public final class ConvexReluCommand implements Callable<Integer> {

    /** The files written into the output folder. */
    static final List<String> FILES = List.of("results.md", "objective.csv", "convex-relu.png");

    private static final ConvexReluExperiment.Setup DEFAULTS =
            ConvexReluExperiment.Setup.defaults();

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/convex-relu",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = "--samples", description = "Training points n, >= 2 (default: 40).")
    private int samples = DEFAULTS.samples();

    @Option(names = "--inputs", description = "Input dimension, 1 or 2 (default: 1).")
    private int inputs = DEFAULTS.inputs();

    @Option(names = "--beta", description = "Regularization beta, > 0 (default: 1e-3).")
    private double beta = DEFAULTS.beta();

    @Option(
            names = "--patterns",
            description = "Activation patterns to sample, >= 1 (default: 200).")
    private int patterns = DEFAULTS.patterns();

    @Option(names = "--seed", description = "Seed of data, patterns and Adam (default: 1).")
    private long seed = DEFAULTS.seed();

    @Option(
            names = "--rho",
            description = "ADMM penalty rho, > 0 (default: 0.01, the reference's).")
    private double rho = DEFAULTS.rho();

    @Option(names = "--admm-iterations", description = "ADMM iterations, >= 1 (default: 20000).")
    private int admmIterations = DEFAULTS.admmIterations();

    @Option(names = "--starts", description = "Adam's random starts, >= 1 (default: 10).")
    private int starts = DEFAULTS.starts();

    @Option(
            names = "--adam-steps",
            description = "Adam's full-batch steps per start, >= 1 (default: 4000).")
    private int adamSteps = DEFAULTS.adamSteps();

    @Option(names = "--adam-lr", description = "Adam's learning rate, > 0 (default: 0.01).")
    private double adamLearningRate = DEFAULTS.adamLearningRate();

    @Override
    public Integer call() throws IOException {
        if (samples < 2
                || (inputs != 1 && inputs != 2)
                || !(beta > 0)
                || patterns < 1
                || !(rho > 0)
                || admmIterations < 1
                || starts < 1
                || adamSteps < 1
                || !(adamLearningRate > 0)) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "expected --samples >= 2, --inputs 1 or 2, --beta > 0, --patterns >= 1,"
                                    + " --rho > 0, --admm-iterations >= 1, --starts >= 1,"
                                    + " --adam-steps >= 1, --adam-lr > 0; got %d, %d, %s, %d, %s,"
                                    + " %d, %d, %d, %s",
                            samples,
                            inputs,
                            beta,
                            patterns,
                            rho,
                            admmIterations,
                            starts,
                            adamSteps,
                            adamLearningRate));
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        ConvexReluExperiment.Setup setup =
                new ConvexReluExperiment.Setup(
                        samples,
                        inputs,
                        beta,
                        patterns,
                        seed,
                        rho,
                        admmIterations,
                        starts,
                        adamSteps,
                        adamLearningRate);
        ConvexReluExperiment.Outcome outcome;
        try (Progress bar =
                progress.start("convex-relu", ConvexReluExperiment.stages(setup), "stages")) {
            outcome = ConvexReluExperiment.run(setup, bar::step);
        }
        String report = report(setup, outcome);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.md"), report, StandardCharsets.UTF_8);
        writeCsv(outcome, output.resolve("objective.csv"));
        writeChart(outcome, output.resolve("convex-relu.png"));
        return 0;
    }

    static String report(ConvexReluExperiment.Setup setup, ConvexReluExperiment.Outcome o) {
        double optimum = o.optimum().objective();
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "# Convex two-layer ReLU training%n%n"
                                + "n = %d, inputs = %d (+ bias), beta = %s, patterns found = %d of"
                                + " %d asked, seed %d%n%n",
                        setup.samples(),
                        setup.inputs(),
                        setup.beta(),
                        o.program().patterns(),
                        setup.patterns(),
                        setup.seed()));
        b.append("| quantity | value | relative to the optimum |\n|---|---|---|\n");
        row(
                b,
                "convex optimum (barrier, gap bound " + sci(o.optimum().gapBound()) + ")",
                optimum,
                optimum);
        row(
                b,
                "ADMM objective ("
                        + o.admm().iterations()
                        + " iterations, rho "
                        + setup.rho()
                        + ", "
                        + o.admm().status()
                        + ")",
                o.admm().objective(),
                optimum);
        row(
                b,
                "recovered network's loss (width " + o.network().width() + ")",
                o.networkLoss(),
                optimum);
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < o.adamLosses().length; k++) {
            row(
                    b,
                    "Adam start " + (k + 1) + " (" + setup.adamSteps() + " steps)",
                    o.adamLosses()[k],
                    optimum);
            best = Math.min(best, o.adamLosses()[k]);
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        "%nBest Adam loss / recovered network's loss = %.4f; Adam starts at or below"
                                + " the recovered network: %d of %d.%n",
                        best / o.networkLoss(),
                        countAtOrBelow(o.adamLosses(), o.networkLoss()),
                        o.adamLosses().length));
        return b.toString();
    }

    private static int countAtOrBelow(double[] losses, double bound) {
        int count = 0;
        for (double l : losses) {
            count += l <= bound ? 1 : 0;
        }
        return count;
    }

    private static void row(StringBuilder b, String name, double value, double optimum) {
        b.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %.8f | %+.2e |%n",
                        name,
                        value,
                        (value - optimum) / optimum));
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    private static void writeCsv(ConvexReluExperiment.Outcome o, Path file) throws IOException {
        double optimum = o.optimum().objective();
        List<String> lines = new ArrayList<>();
        lines.add("iteration,objective,relative_gap,primal_residual");
        double[] objective = o.admm().objectiveHistory();
        double[] residual = o.admm().residualHistory();
        for (int k = 0; k < objective.length; k++) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%d,%.12g,%.6g,%.6g",
                            k,
                            objective[k],
                            Math.abs(objective[k] - optimum) / optimum,
                            residual[k]));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static void writeChart(ConvexReluExperiment.Outcome o, Path file) throws IOException {
        double optimum = o.optimum().objective();
        double[] objective = o.admm().objectiveHistory();
        double[] residual = o.admm().residualHistory();
        List<Double> it = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        List<Double> res = new ArrayList<>();
        int stride = Math.max(1, objective.length / 2000);
        for (int k = 1; k < objective.length; k += stride) {
            double g = Math.abs(objective[k] - optimum) / optimum;
            if (g > 0 && residual[k] > 0) {
                it.add((double) k);
                gap.add(g);
                res.add(residual[k]);
            }
        }
        XYChart top = chart("ADMM: |objective - convex optimum| / optimum", "relative gap");
        top.addSeries("ADMM", it, gap).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        XYChart bottom = chart("ADMM: primal residual ||u - v|| + ||Gu - s||", "residual");
        bottom.addSeries("ADMM", it, res)
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        Charts.writeStacked(top, bottom, file);
    }

    private static XYChart chart(String title, String yAxis) {
        XYChart chart =
                new XYChartBuilder()
                        .width(640)
                        .height(360)
                        .title(title)
                        .xAxisTitle("iteration (log scale)")
                        .yAxisTitle(yAxis + " (log scale)")
                        .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }
}
