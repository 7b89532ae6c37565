package dev.descent.examples;

import dev.descent.curvature.SharpnessMonitor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code sharpness.png}: λ_max (top, linear axis) and Tr(H) (bottom, logarithmic axis) of the
 * training loss per step, for full-batch GD and mini-batch SGD, each panel with the stability
 * threshold 2/η of Wu and Su as a dashed red line.
 */
public final class SharpnessChart {

    /** The file name of the chart. */
    public static final String FILE = "sharpness.png";

    /** The width of the image in pixels. */
    public static final int WIDTH = 1000;

    /** The height of each of the two panels in pixels. */
    public static final int PANEL_HEIGHT = 380;

    private static final Color GD = new Color(0x4E79A7);
    private static final Color SGD = new Color(0xF28E2B);
    private static final Color THRESHOLD = new Color(0xE15759);

    private SharpnessChart() {}

    /**
     * Writes the chart as a PNG of {@link #WIDTH} × 2·{@link #PANEL_HEIGHT} pixels.
     *
     * @param result the experiment
     * @param file the PNG to write (replaced)
     * @throws IOException when the file cannot be written
     */
    public static void write(SharpnessExperiment.Result result, Path file) throws IOException {
        SharpnessExperiment.Settings s = result.settings();
        String subtitle =
                String.format(
                        Locale.ROOT,
                        " — η = %s, %d digits, MLP 64-%d-%d-10 tanh, SGD batch %d, seed %d",
                        s.learningRate(),
                        s.samples(),
                        s.hidden(),
                        s.hidden(),
                        s.batchSize(),
                        s.seed());
        Charts.writeStacked(
                panel(
                        result,
                        "λ_max of the training loss" + subtitle,
                        "λ_max (GD stable if ≤ 2/η)",
                        false,
                        SharpnessMonitor.Sharpness::lambdaMax),
                panel(
                        result,
                        "Tr(H) of the training loss (Hutchinson)",
                        "Tr(H) (SGD stable if ≤ 2/η), log scale",
                        true,
                        SharpnessMonitor.Sharpness::trace),
                file);
    }

    private static XYChart panel(
            SharpnessExperiment.Result result,
            String title,
            String yTitle,
            boolean logarithmic,
            ToDoubleFunction<SharpnessMonitor.Sharpness> y) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(PANEL_HEIGHT)
                        .title(title)
                        .xAxisTitle("step (updates)")
                        .yAxisTitle(yTitle)
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(logarithmic);
        styler.setXAxisDecimalPattern("0");
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setAntiAlias(true);
        double smallest = Double.POSITIVE_INFINITY;
        smallest = Math.min(smallest, add(chart, result.gd(), "GD (full batch)", GD, y));
        smallest =
                Math.min(
                        smallest,
                        add(
                                chart,
                                result.sgd(),
                                "SGD (batch " + result.sgd().batchSize() + ")",
                                SGD,
                                y));
        double threshold = 2 / result.settings().learningRate();
        double lastStep = lastStep(result);
        XYSeries line =
                chart.addSeries(
                        String.format(Locale.ROOT, "2/η = %.4g", threshold),
                        new double[] {0, lastStep},
                        new double[] {threshold, threshold});
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(THRESHOLD);
        line.setLineStyle(SeriesLines.DASH_DASH);
        if (logarithmic) {
            smallest = Math.min(smallest, threshold);
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        } else {
            styler.setYAxisMin(0.0);
        }
        return chart;
    }

    private static double lastStep(SharpnessExperiment.Result result) {
        double last = 1;
        for (SharpnessExperiment.Run run : List.of(result.gd(), result.sgd())) {
            for (SharpnessMonitor.Sharpness r : run.records()) {
                last = Math.max(last, r.step());
            }
        }
        return last;
    }

    /** Adds a run's finite positive values; returns the smallest, or +∞ when none. */
    private static double add(
            XYChart chart,
            SharpnessExperiment.Run run,
            String label,
            Color colour,
            ToDoubleFunction<SharpnessMonitor.Sharpness> y) {
        List<SharpnessMonitor.Sharpness> points =
                run.records().stream()
                        .filter(r -> Double.isFinite(y.applyAsDouble(r)) && y.applyAsDouble(r) > 0)
                        .toList();
        if (points.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        double[] xs = points.stream().mapToDouble(SharpnessMonitor.Sharpness::step).toArray();
        double[] ys = points.stream().mapToDouble(y).toArray();
        XYSeries series = chart.addSeries(run.diverged() ? label + " (diverged)" : label, xs, ys);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(new BasicStroke(2f));
        return java.util.Arrays.stream(ys).min().orElseThrow();
    }
}
