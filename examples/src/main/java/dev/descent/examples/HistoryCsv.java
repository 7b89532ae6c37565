package dev.descent.examples;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.History;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes a run's history as CSV, one row per evaluated point in order:
 *
 * <pre>
 * index,forward_passes,step,run,accepted,objective,violation,feasible,best_feasible,x0..x{n-1},y0..y{m-1}
 * </pre>
 *
 * {@code run} is the local run the point belongs to ({@link History#run}: 0 until the first
 * restart, k after the k-th). {@code best_feasible} is the best feasible objective up to and
 * including the row ({@code -Infinity} before the first feasible point). Numbers use {@link
 * Double#toString}, which round-trips.
 */
final class HistoryCsv {

    /** The file name written by {@code descent surrogate optimize}. */
    static final String FILE = "history.csv";

    private HistoryCsv() {}

    /**
     * Writes the header and one row per evaluation.
     *
     * @param history the history
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    static void write(History history, Writer out) throws IOException {
        if (history.size() == 0) {
            out.write(
                    "index,forward_passes,step,run,accepted,objective,violation,feasible,best_feasible\n");
            return;
        }
        Evaluation first = history.evaluations().get(0);
        StringBuilder header =
                new StringBuilder(
                        "index,forward_passes,step,run,accepted,objective,violation,feasible,best_feasible");
        for (int i = 0; i < first.x().length; i++) {
            header.append(",x").append(i);
        }
        for (int j = 0; j < first.y().length; j++) {
            header.append(",y").append(j);
        }
        out.write(header.append('\n').toString());
        double best = Double.NEGATIVE_INFINITY;
        for (Evaluation e : history.evaluations()) {
            if (e.feasible() && e.objective() > best) {
                best = e.objective();
            }
            StringBuilder row = new StringBuilder();
            row.append(e.index())
                    .append(',')
                    .append(e.forwardPasses())
                    .append(',')
                    .append(e.step().name().toLowerCase(java.util.Locale.ROOT))
                    .append(',')
                    .append(history.run(e.index()))
                    .append(',')
                    .append(history.accepted(e.index()))
                    .append(',')
                    .append(e.objective())
                    .append(',')
                    .append(e.violation())
                    .append(',')
                    .append(e.feasible())
                    .append(',')
                    .append(best);
            for (double v : e.x()) {
                row.append(',').append(v);
            }
            for (double v : e.y()) {
                row.append(',').append(v);
            }
            out.write(row.append('\n').toString());
        }
    }
}
