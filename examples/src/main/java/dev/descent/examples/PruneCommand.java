package dev.descent.examples;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code descent prune}: one-shot pruning of a trained MLP by M-FAC's optimal brain surgeon against
 * magnitude pruning (see {@link PruneExperiment}).
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        versionProvider = DescentCli.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "%n",
        header = "Prune a trained MLP with M-FAC's OBS and by magnitude; compare accuracies.",
        descriptionHeading = "%n",
        description = {
            "Trains a perceptron (64 -> HIDDEN, ReLU -> 10) with AdamW on 80%% of the built-in"
                    + " digits, then prunes its weight matrices (biases stay dense) to each"
                    + " sparsity, from the same trained weights and without fine-tuning: by"
                    + " magnitude; by optimal brain surgeon with M-FAC's inverse empirical Fisher"
                    + " of M mini-batch gradients (scores w²/(2·[F⁻¹]_qq) and the compensating"
                    + " update) in one step; and the same in STEPS geometric steps with the"
                    + " gradients recomputed before each. Reports the validation accuracy (the"
                    + " other 20%%).",
            "",
            "Prints the summary and writes into the output folder (created when missing; these"
                    + " files replaced, others left alone; checked before training):",
            "  summary.md  settings and the accuracy table",
            "  prune.csv   sparsity, method, accuracy, loss, seconds",
            "  prune.png   validation accuracy against sparsity per method",
            "",
            "The default run takes well under a minute on two CPU cores."
        },
        optionListHeading = "%nOptions:%n")
public final class PruneCommand implements Callable<Integer> {

    /** The summary's file name. */
    public static final String SUMMARY = "summary.md";

    /** The table's file name. */
    public static final String CSV = "prune.csv";

    /** The plot's file name. */
    public static final String PNG = "prune.png";

    @Spec private CommandSpec spec;

    @Option(
            names = "--sparsities",
            paramLabel = "S,S...",
            defaultValue = "0.5,0.7,0.9",
            converter = FiniteDoubles.Converter.class,
            description =
                    "Target sparsities, comma-separated, each in [0, 1]. Default:"
                            + " ${DEFAULT-VALUE}.")
    private FiniteDoubles sparsities;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "128",
            description = "Hidden width (>= 1). Default: ${DEFAULT-VALUE}.")
    private int hidden;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "30",
            description = "Training epochs (>= 1). Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(
            names = "--lr",
            paramLabel = "ETA",
            defaultValue = "0.001",
            description = "AdamW's learning rate (> 0). Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(
            names = "--gradients",
            paramLabel = "M",
            defaultValue = "128",
            description = "Mini-batch gradients per Fisher (>= 1). Default: ${DEFAULT-VALUE}.")
    private int gradients;

    @Option(
            names = "--gradient-batch",
            paramLabel = "N",
            defaultValue = "16",
            description = "Samples per gradient (>= 1). Default: ${DEFAULT-VALUE}.")
    private int gradientBatch;

    @Option(
            names = "--damping",
            paramLabel = "LAMBDA",
            defaultValue = "1e-4",
            description = "Damping λ of the Fisher (> 0). Default: ${DEFAULT-VALUE}.")
    private double damping;

    @Option(
            names = "--block-size",
            paramLabel = "B",
            defaultValue = "128",
            description =
                    "Block size of the block-diagonal Fisher (>= 1; 0: one block). Default:"
                            + " ${DEFAULT-VALUE}.")
    private long blockSize;

    @Option(
            names = "--steps",
            paramLabel = "STEPS",
            defaultValue = "4",
            description = "Steps of the gradual OBS schedule (>= 1). Default: ${DEFAULT-VALUE}.")
    private int gradualSteps;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the weights, split and batches. Default: ${DEFAULT-VALUE}.")
    private int seed;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "PyTorch intra-op threads (>= 1). Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            defaultValue = "descent-out/prune",
            description =
                    "Folder for summary.md, prune.csv and prune.png. Default: ${DEFAULT-VALUE}.")
    private Path output;

    @Mixin private ProgressOption progress;

    @Override
    public Integer call() {
        PruneExperiment.Settings settings;
        try {
            settings =
                    new PruneExperiment.Settings(
                            hidden,
                            epochs,
                            32,
                            learningRate,
                            gradients,
                            gradientBatch,
                            damping,
                            blockSize,
                            gradualSteps,
                            sparsities.values(),
                            seed,
                            threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        OutputLocation.checkFolder(spec, "--output", output, List.of(SUMMARY, CSV, PNG));
        long start = System.nanoTime();
        ClassificationData.Split data = DigitsDataset.load().split(0.8, seed);
        PruneExperiment.Result result;
        try (Progress bar =
                progress.start("prune", PruneExperiment.steps(settings), "epochs and prunings")) {
            result = PruneExperiment.run(settings, data, bar::step);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String summary = summary(settings, result, seconds);
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary);
        out.flush();
        try {
            Files.createDirectories(output);
            Path csv = output.resolve(CSV);
            Files.writeString(csv, csv(result), StandardCharsets.UTF_8);
            Path png = output.resolve(PNG);
            BitmapEncoder.saveBitmap(chart(result), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            Path md = output.resolve(SUMMARY);
            Files.writeString(md, summary, StandardCharsets.UTF_8);
            out.println();
            out.println("Wrote " + md + ", " + csv + ", " + png);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + output, e);
        }
        return 0;
    }

    static String csv(PruneExperiment.Result result) {
        StringBuilder b = new StringBuilder("sparsity,method,accuracy,loss,seconds\n");
        for (PruneExperiment.Row r : result.rows()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%.4f,%s,%.6f,%.6f,%.3f%n",
                            r.sparsity(),
                            r.method().name().toLowerCase(Locale.ROOT),
                            r.accuracy(),
                            r.loss(),
                            r.seconds()));
        }
        return b.toString();
    }

    static String summary(
            PruneExperiment.Settings s, PruneExperiment.Result result, double seconds) {
        StringBuilder b = new StringBuilder("# Pruning a digits MLP: M-FAC OBS vs magnitude\n\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "Settings: MLP 64-%d-10 (%,d parameters, %,d prunable weights), AdamW lr"
                                + " %s for %d epochs; Fisher of %d gradients of %d samples, λ ="
                                + " %s, blocks of %d; gradual schedule in %d steps; seed %d. Wall"
                                + " time %.1f s.%n%n",
                        s.hidden(),
                        result.parameters(),
                        result.prunable(),
                        s.learningRate(),
                        s.epochs(),
                        s.gradients(),
                        s.gradientBatch(),
                        s.damping(),
                        s.blockSize(),
                        s.gradualSteps(),
                        s.seed(),
                        seconds));
        b.append(
                String.format(
                        Locale.ROOT,
                        "Dense validation accuracy: %.2f%% (loss %s).%n%n",
                        100 * result.denseAccuracy(),
                        TableNumbers.format(result.denseLoss())));
        b.append("| sparsity |");
        for (PruneExperiment.Method m : PruneExperiment.Method.values()) {
            b.append(' ').append(m.label).append(" |");
        }
        b.append("\n|---:|");
        b.append("---:|".repeat(PruneExperiment.Method.values().length));
        b.append('\n');
        for (double sparsity : s.sparsities()) {
            b.append(String.format(Locale.ROOT, "| %.0f%% |", 100 * sparsity));
            for (PruneExperiment.Method m : PruneExperiment.Method.values()) {
                for (PruneExperiment.Row r : result.rows()) {
                    if (r.sparsity() == sparsity && r.method() == m) {
                        b.append(String.format(Locale.ROOT, " %.2f%% |", 100 * r.accuracy()));
                    }
                }
            }
            b.append('\n');
        }
        b.append("\nValidation accuracy after pruning, without fine-tuning.\n");
        return b.toString();
    }

    static XYChart chart(PruneExperiment.Result result) {
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title("Digits MLP pruned without fine-tuning")
                        .xAxisTitle("sparsity of the weight matrices")
                        .yAxisTitle("validation accuracy")
                        .build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideSW);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
        double lo = 1;
        double hi = 0;
        for (PruneExperiment.Method m : PruneExperiment.Method.values()) {
            double[] xs =
                    result.rows().stream()
                            .filter(r -> r.method() == m)
                            .mapToDouble(PruneExperiment.Row::sparsity)
                            .toArray();
            double[] ys =
                    result.rows().stream()
                            .filter(r -> r.method() == m)
                            .mapToDouble(PruneExperiment.Row::accuracy)
                            .toArray();
            chart.addSeries(m.label, xs, ys);
            for (double x : xs) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        XYSeries dense =
                chart.addSeries(
                        String.format(Locale.ROOT, "dense (%.2f%%)", 100 * result.denseAccuracy()),
                        new double[] {lo, Math.max(hi, lo + 1e-3)},
                        new double[] {result.denseAccuracy(), result.denseAccuracy()});
        dense.setMarker(SeriesMarkers.NONE);
        dense.setLineStyle(SeriesLines.DASH_DASH);
        dense.setLineColor(Color.GRAY);
        return chart;
    }
}
