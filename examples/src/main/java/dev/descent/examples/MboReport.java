package dev.descent.examples;

import dev.descent.surrogate.mbo.MboExperiment;
import dev.descent.surrogate.mbo.MboExperiment.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The offline-optimization table: per task and optimizer, the normalized 100th / 80th / 50th
 * percentile scores and the surrogate sharpness, mean ± std over seeds, without and with IGNITE;
 * plus every run as CSV and a bar plot of the 100th percentile.
 */
final class MboReport {

    /** The first line of results.csv. */
    static final String CSV_HEADER = "task,optimizer,ignite,seed,p100,p80,p50,sharpness,seconds";

    /** The decimals of the table's scores and sharpness. */
    private static final int CELL_DECIMALS = 3;

    /** The files {@link #write} writes into its folder. */
    static final List<String> FILES = List.of("results.md", "results.csv", "mbo.png");

    private MboReport() {}

    /**
     * Formats the Markdown table.
     *
     * @param outcomes the runs
     * @return the table, one line per task and optimizer
     */
    static String table(List<Outcome> outcomes) {
        StringBuilder s = new StringBuilder();
        s.append("| task | optimizer | seeds | 100th | 100th IGNITE | 80th | 80th IGNITE | 50th |")
                .append(" 50th IGNITE | sharpness | sharpness IGNITE |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Outcome>> group : groups(outcomes).entrySet()) {
            List<Outcome> runs = group.getValue();
            List<Outcome> plain = runs.stream().filter(o -> !o.ignite()).toList();
            List<Outcome> ignite = runs.stream().filter(Outcome::ignite).toList();
            s.append("| ")
                    .append(runs.get(0).task())
                    .append(" | ")
                    .append(runs.get(0).optimizer())
                    .append(" | ")
                    .append(Math.max(plain.size(), ignite.size()));
            for (ToDoubleFunction<Outcome> q :
                    List.<ToDoubleFunction<Outcome>>of(
                            Outcome::p100, Outcome::p80, Outcome::p50, Outcome::sharpness)) {
                s.append(" | ").append(cell(plain, q)).append(" | ").append(cell(ignite, q));
            }
            s.append(" |\n");
        }
        return s.toString();
    }

    /**
     * Writes results.md, results.csv and mbo.png into a folder.
     *
     * @param outcomes the runs
     * @param header lines put above the table in results.md (the command and settings)
     * @param folder the folder (created if missing)
     * @return the files written
     */
    static List<Path> write(List<Outcome> outcomes, List<String> header, Path folder) {
        try {
            Files.createDirectories(folder);
            Path md = folder.resolve("results.md");
            Files.writeString(md, String.join("\n", header) + "\n\n" + table(outcomes));
            Path csv = folder.resolve("results.csv");
            List<String> lines = new ArrayList<>();
            lines.add(CSV_HEADER);
            for (Outcome o : outcomes) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "%s,%s,%b,%d,%.6f,%.6f,%.6f,%.6f,%.2f",
                                o.task(),
                                o.optimizer(),
                                o.ignite(),
                                o.seed(),
                                o.p100(),
                                o.p80(),
                                o.p50(),
                                o.sharpness(),
                                o.seconds()));
            }
            Files.write(csv, lines);
            Path png = folder.resolve("mbo.png");
            BitmapEncoder.saveBitmap(
                    chart(outcomes), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            return List.of(md, csv, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + folder, e);
        }
    }

    /**
     * Reads the runs back from a results.csv written by {@link #write} (with Apache Commons CSV).
     *
     * @param csv the file
     * @return the runs, in file order
     * @throws IllegalArgumentException naming the file, line and column of a value that is not what
     *     {@link #write} writes
     * @throws UncheckedIOException if the file cannot be read
     */
    static List<Outcome> read(Path csv) {
        String[] columns = CSV_HEADER.split(",");
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        List<Outcome> outcomes = new ArrayList<>();
        try (CSVParser parser =
                CSVParser.builder()
                        .setPath(csv)
                        .setCharset(StandardCharsets.UTF_8)
                        .setFormat(format)
                        .get()) {
            boolean first = true;
            for (CSVRecord r : parser) {
                if (first) {
                    first = false;
                    if (!r.toList().equals(List.of(columns))) {
                        throw new IllegalArgumentException(
                                csv + " does not start with " + CSV_HEADER);
                    }
                    continue;
                }
                long line = parser.getCurrentLineNumber();
                if (r.size() != columns.length) {
                    throw new IllegalArgumentException(
                            csv
                                    + " line "
                                    + line
                                    + ": "
                                    + r.size()
                                    + " values, expected "
                                    + columns.length
                                    + " ("
                                    + CSV_HEADER
                                    + ")");
                }
                Field f = new Field(csv, line, r, columns);
                outcomes.add(
                        new Outcome(
                                r.get(0),
                                r.get(1),
                                f.bool(2),
                                (long) f.number(3),
                                f.number(4),
                                f.number(5),
                                f.number(6),
                                f.number(7),
                                f.number(8)));
            }
            if (first) {
                throw new IllegalArgumentException(csv + " does not start with " + CSV_HEADER);
            }
            return outcomes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(
                    csv + ": not valid CSV: " + e.getCause().getMessage(), e);
        }
    }

    /** The values of one record of results.csv, read with errors naming their place. */
    private record Field(Path csv, long line, CSVRecord record, String[] columns) {
        boolean bool(int i) {
            String v = record.get(i);
            if (!v.equals("true") && !v.equals("false")) {
                throw bad(i, "true or false");
            }
            return Boolean.parseBoolean(v);
        }

        double number(int i) {
            try {
                return Double.parseDouble(record.get(i));
            } catch (NumberFormatException e) {
                throw bad(i, "a number");
            }
        }

        private IllegalArgumentException bad(int i, String expected) {
            return new IllegalArgumentException(
                    csv
                            + " line "
                            + line
                            + ", column "
                            + (i + 1)
                            + " ("
                            + columns[i]
                            + "): expected "
                            + expected
                            + ", got '"
                            + record.get(i)
                            + "'");
        }
    }

    private static CategoryChart chart(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = groups(outcomes);
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(Math.max(800, 90 * groups.size()))
                        .height(500)
                        .title("Normalized 100th-percentile score (mean ± std over seeds)")
                        .xAxisTitle("task / optimizer")
                        .yAxisTitle("normalized score")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(45);
        for (boolean ignite : new boolean[] {false, true}) {
            List<String> labels = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            List<Double> stds = new ArrayList<>();
            for (List<Outcome> runs : groups.values()) {
                List<Outcome> these = runs.stream().filter(o -> o.ignite() == ignite).toList();
                labels.add(runs.get(0).task() + "/" + runs.get(0).optimizer());
                if (these.isEmpty()) {
                    means.add(0.0);
                    stds.add(0.0);
                } else {
                    MboExperiment.Spread p = MboExperiment.spread(these, Outcome::p100);
                    means.add(p.mean());
                    stds.add(p.std());
                }
            }
            if (outcomes.stream().anyMatch(o -> o.ignite() == ignite)) {
                chart.addSeries(ignite ? "IGNITE" : "plain", labels, means, stds);
            }
        }
        return chart;
    }

    private static Map<String, List<Outcome>> groups(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            groups.computeIfAbsent(o.task() + "\u0000" + o.optimizer(), k -> new ArrayList<>())
                    .add(o);
        }
        return groups;
    }

    private static String cell(List<Outcome> runs, ToDoubleFunction<Outcome> quantity) {
        if (runs.isEmpty()) {
            return "—";
        }
        MboExperiment.Spread s = MboExperiment.spread(runs, quantity);
        return TableNumbers.format(s.mean(), CELL_DECIMALS)
                + " ± "
                + TableNumbers.format(s.std(), CELL_DECIMALS);
    }
}
