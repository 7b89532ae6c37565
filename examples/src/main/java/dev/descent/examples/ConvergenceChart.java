package dev.descent.examples;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.SurrogateResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code convergence.png} for {@code descent surrogate optimize}: the objective of every
 * evaluated point against the surrogate forward passes spent (feasible points grey, infeasible
 * light red) and the best feasible objective so far as a thick black line.
 */
final class ConvergenceChart {

    /** The file name of the chart. */
    static final String FILE = "convergence.png";

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 500;
    private static final float LINE_WIDTH = 2.5f;
    private static final Color FEASIBLE = new Color(0x999999);
    private static final Color INFEASIBLE = new Color(0xF4A6A6);

    private ConvergenceChart() {}

    /**
     * Writes the chart.
     *
     * @param result the run
     * @param title what was run
     * @param file the PNG (replaced)
     * @throws IOException when the file cannot be written
     */
    static void write(SurrogateResult result, String title, Path file) throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("surrogate forward passes")
                        .yAxisTitle("objective f(Φ(x))")
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setAntiAlias(true);
        styler.setMarkerSize(4);
        List<double[]> feasible = new ArrayList<>();
        List<double[]> infeasible = new ArrayList<>();
        List<double[]> best = new ArrayList<>();
        double running = Double.NEGATIVE_INFINITY;
        for (Evaluation e : result.history().evaluations()) {
            if (!Double.isFinite(e.objective())) {
                continue;
            }
            double[] point = {e.forwardPasses(), e.objective()};
            (e.feasible() ? feasible : infeasible).add(point);
            if (e.feasible() && e.objective() > running) {
                running = e.objective();
            }
            if (Double.isFinite(running)) {
                best.add(new double[] {e.forwardPasses(), running});
            }
        }
        scatter(chart, "evaluated, feasible", feasible, FEASIBLE);
        scatter(chart, "evaluated, infeasible", infeasible, INFEASIBLE);
        if (!best.isEmpty()) {
            XYSeries line = chart.addSeries("best feasible", xs(best), ys(best));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.BLACK);
            line.setLineStyle(new BasicStroke(LINE_WIDTH));
        }
        if (chart.getSeriesMap().isEmpty()) {
            XYSeries empty =
                    chart.addSeries("(no finite values)", new double[] {0}, new double[] {0});
            empty.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void scatter(XYChart chart, String name, List<double[]> points, Color colour) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs(points), ys(points));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
    }

    private static double[] xs(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[1]).toArray();
    }
}
