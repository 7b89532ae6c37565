package dev.descent.examples;

import dev.descent.surrogate.profile.Profile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws data or performance profiles as step functions, one panel per tolerance τ stacked in one
 * PNG: the first solver (the hybrid in {@code descent surrogate benchmark}) thick and black, one
 * colour per other solver. Performance profiles use a logarithmic α axis.
 */
final class ProfileChart {

    /** The width of the image in pixels. */
    static final int WIDTH = 1000;

    /** The height of each panel in pixels. */
    static final int PANEL_HEIGHT = 380;

    private static final Color[] PALETTE = {
        new Color(0x4E79A7),
        new Color(0xF28E2B),
        new Color(0xE15759),
        new Color(0x76B7B2),
        new Color(0x59A14F),
        new Color(0xEDC948),
        new Color(0xB07AA1),
        new Color(0x9C755F),
        new Color(0xBAB0AC),
    };

    private static final float FIRST_WIDTH = 3f;
    private static final float OTHER_WIDTH = 1.8f;

    /** How far right of the largest finite cost the axis extends, as a factor. */
    private static final double MARGIN = 1.1;

    private ProfileChart() {}

    /**
     * Writes one panel per profile, top to bottom.
     *
     * @param profiles profiles of one kind, one per τ
     * @param title what was benchmarked, for the panel titles
     * @param right the right end of the x axis, or NaN for 1.1 times the largest finite cost
     * @param file the PNG to write (replaced)
     * @throws IOException when the file cannot be written
     */
    static void write(List<Profile> profiles, String title, double right, Path file)
            throws IOException {
        List<XYChart> panels = new ArrayList<>();
        for (Profile p : profiles) {
            panels.add(panel(p, title, right));
        }
        Charts.writeStacked(panels, file);
    }

    private static XYChart panel(Profile profile, String title, double axisEnd) {
        boolean data = profile.kind() == Profile.Kind.DATA;
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(PANEL_HEIGHT)
                        .title(
                                (data ? "Data profile" : "Performance profile")
                                        + ", τ = "
                                        + String.format(Locale.ROOT, "%.0e", profile.tau())
                                        + " — "
                                        + title)
                        .xAxisTitle(
                                data
                                        ? "κ: budget in simplex gradients (n + 1 evaluations)"
                                        : "α: evaluations relative to the fastest solver (log"
                                                + " scale)")
                        .yAxisTitle("fraction of problems solved")
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(!data);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setXAxisMin(data ? 0.0 : 1.0);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
        double right =
                Double.isNaN(axisEnd)
                        ? Math.max(data ? 1 : 2, profile.largestFiniteCost() * MARGIN)
                        : axisEnd;
        styler.setXAxisMax(right);
        List<String> solvers = profile.solvers();
        for (int s = 0; s < solvers.size(); s++) {
            String solver = solvers.get(s);
            double[][] xy = steps(profile, solver, data ? 0 : 1, right);
            XYSeries series =
                    chart.addSeries(
                            solver
                                    + String.format(
                                            Locale.ROOT,
                                            " (%.0f%%)",
                                            100 * profile.solvedFraction(solver)),
                            xy[0],
                            xy[1]);
            series.setMarker(SeriesMarkers.NONE);
            if (s == 0) {
                series.setLineColor(Color.BLACK);
                series.setLineStyle(new BasicStroke(FIRST_WIDTH));
            } else {
                series.setLineColor(PALETTE[(s - 1) % PALETTE.length]);
                series.setLineStyle(new BasicStroke(OTHER_WIDTH));
            }
        }
        return chart;
    }

    /** The corners of the step function from {@code left} to {@code right}. */
    static double[][] steps(Profile profile, String solver, double left, double right) {
        List<double[]> corners = new ArrayList<>();
        double level = profile.fraction(solver, left);
        corners.add(new double[] {left, level});
        for (double x : profile.steps(solver)) {
            double next = profile.fraction(solver, x);
            if (x > left && next > level) {
                corners.add(new double[] {x, level});
                corners.add(new double[] {x, next});
                level = next;
            }
        }
        corners.add(new double[] {right, level});
        double[][] xy = new double[2][corners.size()];
        for (int i = 0; i < corners.size(); i++) {
            xy[0][i] = corners.get(i)[0];
            xy[1][i] = corners.get(i)[1];
        }
        return xy;
    }
}
