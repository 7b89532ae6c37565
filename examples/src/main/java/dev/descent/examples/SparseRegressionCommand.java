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
 * Sparse regression with L1, SCAD and MCP over many seeds ({@link SparseRegressionExperiment}):
 * support recovery, coefficient error and the shrinkage of the true coefficients, with the
 * nonconvex penalties' smaller bias as the claim.
 */
@Command(
        name = "sparse-regression",
        mixinStandardHelpOptions = true,
        description = {
            "L1, SCAD (a = 3.7) and MCP (gamma = 3) penalized least squares on seeded sparse"
                    + " designs (AR(1)-correlated columns), fitted along a lambda path by the"
                    + " proximal conjugate-gradient method, lambda chosen on a validation sample."
                    + " Reports support recovery (TPR, FPR, exact recovery), ||beta_hat - beta||_2"
                    + " and the shrinkage of the true coefficients over the seeds, and writes"
                    + " results.md, results.csv and sparse-regression.png."
        })
public final class SparseRegressionCommand implements Callable<Integer> {

    /** The files written into the output folder. */
    static final List<String> FILES = List.of("results.md", "results.csv", "sparse-regression.png");

    @Spec private CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/sparse-regression",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(
            names = "--n",
            defaultValue = "100",
            description = "Rows, >= 10 (default: ${DEFAULT-VALUE}).")
    private int n;

    @Option(
            names = "--p",
            defaultValue = "300",
            description = "Columns, >= s (default: ${DEFAULT-VALUE}).")
    private int p;

    @Option(
            names = "--s",
            defaultValue = "6",
            description = "True nonzeros, >= 1 (default: ${DEFAULT-VALUE}).")
    private int s;

    @Option(
            names = "--rho",
            defaultValue = "0.5",
            description =
                    "AR(1) correlation of neighbouring columns, in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double rho;

    @Option(
            names = "--snr",
            defaultValue = "4",
            description =
                    "Signal-to-noise ratio Var(X beta)/sigma^2, > 0 (default: ${DEFAULT-VALUE}).")
    private double snr;

    @Option(
            names = "--seeds",
            defaultValue = "20",
            description = "Seeds 1..N, >= 1 (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(
            names = "--path",
            defaultValue = "30",
            description =
                    "Lambda values from lambda_max to 0.01 lambda_max, >= 2 (default: ${DEFAULT-VALUE}).")
    private int pathLength;

    @Option(
            names = "--screen",
            defaultValue = "none",
            description =
                    "Screen the columns first to the top n/ln(n): none, sis (|correlation|) or mi"
                            + " (KSG mutual information) (default: ${DEFAULT-VALUE}).")
    private String screen;

    @Mixin private ProgressOption progress;

    @Override
    public Integer call() throws IOException {
        SparseRegressionExperiment.Screen screening = parseScreen();
        if (n < 10 || s < 1 || p < s || seeds < 1 || pathLength < 2) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "need --n >= 10, --s >= 1, --p >= --s, --seeds >= 1 and --path >= 2, got"
                                    + " %d, %d, %d, %d and %d",
                            n,
                            s,
                            p,
                            seeds,
                            pathLength));
        }
        if (!(rho >= 0 && rho < 1) || !(snr > 0 && snr < Double.POSITIVE_INFINITY)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--rho must be in [0, 1) and --snr finite and > 0, got " + rho + " and " + snr);
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        SparseRegressionExperiment.Settings settings =
                new SparseRegressionExperiment.Settings(n, p, s, rho, snr, pathLength, screening);
        List<SparseRegressionExperiment.Fit> fits = new ArrayList<>();
        try (Progress bar = progress.start("sparse-regression", seeds, "seeds")) {
            for (int seed = 1; seed <= seeds; seed++) {
                fits.addAll(SparseRegressionExperiment.run(settings, seed));
                bar.stepTo(seed);
            }
        }
        String table = table(fits);
        PrintWriter out = spec.commandLine().getOut();
        out.print(table);
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.md"), summary(table), StandardCharsets.UTF_8);
        writeCsv(fits, output.resolve("results.csv"));
        writePlot(fits, output.resolve("sparse-regression.png"));
        out.println(
                "Wrote " + output.resolve("results.md") + ", results.csv, sparse-regression.png");
        out.flush();
        return 0;
    }

    private SparseRegressionExperiment.Screen parseScreen() {
        try {
            return SparseRegressionExperiment.Screen.valueOf(
                    screen.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--screen must be none, sis or mi, got '" + screen + "'");
        }
    }

    private String table(List<SparseRegressionExperiment.Fit> fits) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| penalty | TPR | FPR | exact recovery | ‖β̂ − β‖₂ (mean ± sd) | shrinkage on the"
                        + " true support | nonzeros | gradient evaluations per path |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String penalty : SparseRegressionExperiment.PENALTIES) {
            List<SparseRegressionExperiment.Fit> mine =
                    fits.stream().filter(f -> f.penalty().equals(penalty)).toList();
            double tpr =
                    mine.stream()
                            .mapToDouble(f -> f.truePositives() / (double) s)
                            .average()
                            .orElseThrow();
            double fpr =
                    mine.stream()
                            .mapToDouble(f -> f.falsePositives() / (double) (p - s))
                            .average()
                            .orElseThrow();
            long exact = mine.stream().filter(f -> f.exact(s)).count();
            double[] errors =
                    mine.stream().mapToDouble(SparseRegressionExperiment.Fit::error).toArray();
            double meanError = mean(errors);
            double sd = 0;
            for (double e : errors) {
                sd += (e - meanError) * (e - meanError);
            }
            sd = Math.sqrt(sd / Math.max(1, errors.length - 1));
            double shrinkage =
                    mine.stream()
                            .mapToDouble(SparseRegressionExperiment.Fit::shrinkage)
                            .average()
                            .orElseThrow();
            double nonzeros =
                    mine.stream()
                            .mapToDouble(f -> f.truePositives() + f.falsePositives())
                            .average()
                            .orElseThrow();
            double evaluations =
                    mine.stream()
                            .mapToDouble(SparseRegressionExperiment.Fit::evaluations)
                            .average()
                            .orElseThrow();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.3f | %.4f | %d/%d | %.3f ± %.3f | %+.3f | %.1f | %.0f |%n",
                            penalty,
                            tpr,
                            fpr,
                            exact,
                            mine.size(),
                            meanError,
                            sd,
                            shrinkage,
                            nonzeros,
                            evaluations));
        }
        return sb.toString();
    }

    private String summary(String table) {
        return "# Sparse regression: L1, SCAD, MCP\n\n"
                + String.format(
                        Locale.ROOT,
                        "n = %d, p = %d, s = %d nonzeros (±1 … ±2), AR(1) correlation %s, SNR %s,"
                                + " %d seeds, %d λ values from λ_max to 0.01·λ_max, λ chosen by"
                                + " validation MSE on %d fresh rows, screening %s. Shrinkage: mean of"
                                + " sign(β_j)(β̂_j − β_j) over the true support (negative: pulled"
                                + " towards 0). Command: `descent sparse-regression --n %d --p %d --s %d"
                                + " --rho %s --snr %s --seeds %d --path %d --screen %s`.%n%n",
                        n,
                        p,
                        s,
                        rho,
                        snr,
                        seeds,
                        pathLength,
                        n,
                        screen,
                        n,
                        p,
                        s,
                        rho,
                        snr,
                        seeds,
                        pathLength,
                        screen)
                + table;
    }

    private static void writeCsv(List<SparseRegressionExperiment.Fit> fits, Path file)
            throws IOException {
        StringBuilder sb =
                new StringBuilder(
                        "seed,penalty,lambda,true_positives,false_positives,error,shrinkage,"
                                + "screened_true,evaluations\n");
        for (SparseRegressionExperiment.Fit f : fits) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%s,%.6e,%d,%d,%.6e,%.6e,%d,%d%n",
                            f.seed(),
                            f.penalty(),
                            f.lambda(),
                            f.truePositives(),
                            f.falsePositives(),
                            f.error(),
                            f.shrinkage(),
                            f.screenedTrue(),
                            f.evaluations()));
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    private static void writePlot(List<SparseRegressionExperiment.Fit> fits, Path file)
            throws IOException {
        XYChart error = chart("coefficient error per seed", "||beta_hat - beta||_2");
        XYChart shrink =
                chart(
                        "shrinkage of the true coefficients per seed",
                        "mean sign(beta)(beta_hat - beta)");
        Color[] colours = {Color.BLACK, new Color(0xD55E00), new Color(0x0072B2)};
        int c = 0;
        for (String penalty : SparseRegressionExperiment.PENALTIES) {
            List<Double> seedsOf = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            List<Double> shrinkages = new ArrayList<>();
            for (SparseRegressionExperiment.Fit f : fits) {
                if (f.penalty().equals(penalty)) {
                    seedsOf.add((double) f.seed());
                    errors.add(f.error());
                    shrinkages.add(f.shrinkage());
                }
            }
            for (XYChart chart : List.of(error, shrink)) {
                XYSeries series =
                        chart.addSeries(penalty, seedsOf, chart == error ? errors : shrinkages);
                series.setLineColor(colours[c]);
                series.setMarkerColor(colours[c]);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            c++;
        }
        Charts.writeStacked(error, shrink, file);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart =
                new XYChartBuilder()
                        .width(700)
                        .height(350)
                        .title(title)
                        .xAxisTitle("seed")
                        .yAxisTitle(yTitle)
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return sum / v.length;
    }
}
