package dev.descent.examples;

import dev.descent.solve.ShiftedLaplacianSequence.OffsetLaw;
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
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Reproduces Learning to Relax (Khodak et al., ICLR 2024): SOR's ω picked per linear system by
 * bandits, on the shifted-Laplacian sequences (high and low variance) and the heat equation; see
 * {@link RelaxExperiment}.
 */
@Command(
        name = "relax",
        mixinStandardHelpOptions = true,
        description = {
            "Learning to Relax (Khodak et al., ICLR 2024): Tsallis-INF, Tsallis-INF-CB and ChebCB"
                    + " choose SOR's omega from linspace(1, 1.95, 20) per linear system, against"
                    + " every fixed omega and the instance-optimal omega*, on A + cI (10x10"
                    + " Laplacian, c = -0.15 + 0.6 Beta) and, for SSOR-preconditioned CG and for"
                    + " SOR, on a Crank-Nicolson heat equation."
                    + " Prints per-omega mean iterations and totals; writes results.md and"
                    + " relax.png (cumulative iterations per instance)."
        })
public final class RelaxCommand implements Callable<Integer> {

    /** The files written into the output folder. */
    static final List<String> FILES = List.of("results.md", "relax.png");

    @Spec private CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/relax",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(
            names = "--instances",
            defaultValue = "1000",
            description =
                    "Linear systems T per shifted-Laplacian sequence, >= 1; the paper's is 5000"
                            + " (about 5 minutes per sequence on one core) (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(
            names = "--heat-steps",
            defaultValue = "1000",
            description =
                    "Heat-equation time steps (dt = 1e-3), >= 0 (0 skips the task); the paper's is"
                            + " 5000 (default: ${DEFAULT-VALUE}).")
    private int heatSteps;

    @Option(
            names = "--heat-nx",
            defaultValue = "25",
            description = "Heat-equation cells per side, >= 2 (default: ${DEFAULT-VALUE}).")
    private int heatNx;

    @Option(
            names = "--seed",
            defaultValue = "13",
            description = "Seed of the instances and learners (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Mixin private ProgressOption progress;

    @Override
    public Integer call() throws IOException {
        if (instances < 1 || heatSteps < 0 || heatNx < 2) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--instances must be >= 1, --heat-steps >= 0 and --heat-nx >= 2, got "
                            + instances
                            + ", "
                            + heatSteps
                            + " and "
                            + heatNx);
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        List<RelaxExperiment.Outcome> outcomes = new ArrayList<>();
        long work = 2L * instances + 2 * 24L * heatSteps;
        try (Progress bar = progress.start("relax", work, "solves")) {
            outcomes.add(
                    RelaxExperiment.sequence(OffsetLaw.HIGH_VARIANCE, instances, seed, bar::step));
            outcomes.add(
                    RelaxExperiment.sequence(OffsetLaw.LOW_VARIANCE, instances, seed, bar::step));
            if (heatSteps > 0) {
                for (RelaxExperiment.HeatSolver solver : RelaxExperiment.HeatSolver.values()) {
                    outcomes.add(RelaxExperiment.heat(heatNx, heatSteps, solver, seed, bar::step));
                }
            }
        }
        String report = report(outcomes);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        Files.createDirectories(output);
        Files.writeString(
                output.resolve("results.md"),
                String.format(
                                Locale.ROOT,
                                "# Learning to Relax%n%nCommand: `descent relax --instances %d --heat-steps %d"
                                        + " --heat-nx %d --seed %d`%n%n",
                                instances,
                                heatSteps,
                                heatNx,
                                seed)
                        + report,
                StandardCharsets.UTF_8);
        List<XYChart> charts = new ArrayList<>();
        for (RelaxExperiment.Outcome o : outcomes) {
            charts.add(chart(o));
        }
        Charts.writeStacked(charts, output.resolve("relax.png"));
        out.println("Wrote " + output.resolve("results.md") + ", relax.png");
        out.flush();
        return 0;
    }

    static String report(List<RelaxExperiment.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        for (RelaxExperiment.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "## %s, T = %d%n%n", o.setting(), o.instances()));
            sb.append("| ω | mean iterations |\n|---:|---:|\n");
            for (int k = 0; k < RelaxExperiment.ARMS.length; k++) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %.2f | %.1f |%n",
                                RelaxExperiment.ARMS[k],
                                o.armTotals()[k] / (double) o.instances()));
            }
            int best = o.bestArm();
            long bestTotal = o.armTotals()[best];
            sb.append("\n| method | total iterations | vs best fixed ω |\n|---|---:|---:|\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| best fixed ω = %.2f (hindsight) | %d | 1.000 |%n",
                            RelaxExperiment.ARMS[best],
                            bestTotal));
            for (Map.Entry<String, long[]> e : o.cumulative().entrySet()) {
                long total = o.total(e.getKey());
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %d | %.3f |%n",
                                e.getKey(),
                                total,
                                total / (double) bestTotal));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static XYChart chart(RelaxExperiment.Outcome o) {
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(360)
                        .title("iterations, " + o.setting())
                        .xAxisTitle("instance")
                        .yAxisTitle("cumulative iterations")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int t = o.instances();
        int stride = Math.max(1, t / 400);
        int points = (t + stride - 1) / stride;
        double[] xs = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = Math.min(t, (long) i * stride + 1);
        }
        int best = o.bestArm();
        long[] bestCumulative = o.armCumulative()[best];
        double[] fixed = new double[points];
        for (int i = 0; i < points; i++) {
            fixed[i] = bestCumulative[(int) xs[i] - 1];
        }
        chart.addSeries(
                        String.format(
                                Locale.ROOT,
                                "best fixed ω = %.2f (hindsight)",
                                RelaxExperiment.ARMS[best]),
                        xs,
                        fixed)
                .setMarker(SeriesMarkers.NONE);
        for (Map.Entry<String, long[]> e : o.cumulative().entrySet()) {
            double[] ys = new double[points];
            for (int i = 0; i < points; i++) {
                ys[i] = e.getValue()[(int) xs[i] - 1];
            }
            chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
