package dev.descent.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code loss.png}: the training loss (top) and validation loss (bottom) of every optimizer
 * per epoch, on a logarithmic axis: the baseline (the first run) thick and black, one colour per
 * other optimizer, and a Cautious variant dashed in the colour of its base optimizer.
 */
public final class LossChart {

    /** The file name of the chart. */
    public static final String FILE = "loss.png";

    /** The width of the image in pixels. */
    public static final int WIDTH = 1000;

    /** The least height of each of the two panels in pixels. */
    public static final int PANEL_HEIGHT = 360;

    /** The height of one legend entry in pixels: a panel grows so that its legend fits. */
    private static final int LEGEND_ROW = 21;

    /**
     * Tableau 10, grey and three of Tableau 20's, so that 14 optimizers get distinct colours after
     * the baseline; further optimizers take the colours again with a dash-dot line.
     */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7),
        new Color(0xF28E2B),
        new Color(0xE15759),
        new Color(0x76B7B2),
        new Color(0x59A14F),
        new Color(0xEDC948),
        new Color(0xB07AA1),
        new Color(0xFF9DA7),
        new Color(0x9C755F),
        new Color(0xBAB0AC),
        new Color(0x17BECF),
        new Color(0x8CD17D),
        new Color(0xD37295),
        new Color(0x499894),
    };

    private static final float BASELINE_WIDTH = 2.5f;
    private static final String VARIANT_PREFIX = "cautious-";

    private LossChart() {}

    /**
     * Writes the chart as a PNG of {@link #WIDTH} pixels by two panels of at least {@link
     * #PANEL_HEIGHT} pixels each (more when the legend needs it).
     *
     * @param result the comparison
     * @param file the PNG to write (replaced)
     * @throws IOException when the file cannot be written
     */
    public static void write(OptimizerComparison.Result result, Path file) throws IOException {
        Charts.writeStacked(
                panel(result, "Training loss", EpochRecord::trainLoss),
                panel(result, "Validation loss", EpochRecord::validationLoss),
                file);
    }

    private static XYChart panel(
            OptimizerComparison.Result result, String title, ToDoubleFunction<EpochRecord> y) {
        ClassifierTraining.Setup setup = result.settings().setup();
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(Math.max(PANEL_HEIGHT, LEGEND_ROW * result.runs().size() + 80))
                        .title(
                                title
                                        + " — "
                                        + result.settings().dataset().cliName()
                                        + ", batch "
                                        + setup.batchSize()
                                        + ", seed "
                                        + setup.seed())
                        .xAxisTitle("epoch")
                        .yAxisTitle("cross-entropy (log scale)")
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setXAxisDecimalPattern("0");
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
        Map<String, Color> colours = new HashMap<>();
        int next = 0;
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < result.runs().size(); i++) {
            OptimizerRun run = result.runs().get(i);
            List<double[]> points = new ArrayList<>();
            for (EpochRecord e : run.curve()) {
                double v = y.applyAsDouble(e);
                if (Double.isFinite(v) && v > 0) {
                    points.add(new double[] {e.epoch(), v});
                    smallest = Math.min(smallest, v);
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
            String label = run.diverged() ? run.name() + " (diverged)" : run.name();
            XYSeries series = chart.addSeries(label, xs, ys);
            series.setMarker(SeriesMarkers.NONE);
            if (i == 0) {
                series.setLineColor(Color.BLACK);
                series.setLineStyle(new BasicStroke(BASELINE_WIDTH));
                continue;
            }
            // A variant (cautious-adabelief) is drawn dashed in the colour of its base optimizer.
            String base =
                    run.name().startsWith(VARIANT_PREFIX)
                            ? run.name().substring(VARIANT_PREFIX.length())
                            : run.name();
            Color colour = colours.get(base);
            BasicStroke line = SeriesLines.DASH_DASH;
            if (colour == null || base.equals(run.name())) {
                colour = PALETTE[next % PALETTE.length];
                line = next < PALETTE.length ? SeriesLines.SOLID : SeriesLines.DASH_DOT;
                next++;
                colours.put(run.name(), colour);
            }
            series.setLineColor(colour);
            series.setLineStyle(line);
        }
        if (smallest == Double.POSITIVE_INFINITY) {
            // xchart refuses a chart without series; show an empty axis instead.
            XYSeries series =
                    chart.addSeries("(no finite losses)", new double[] {0}, new double[] {1});
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(Color.WHITE);
        } else {
            // A logarithmic axis labels only powers of ten: start at one so that at least two
            // are labelled.
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        }
        return chart;
    }
}
