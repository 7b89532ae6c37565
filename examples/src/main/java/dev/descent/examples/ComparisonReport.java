package dev.descent.examples;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link OptimizerComparison.Result}: an aligned table for the terminal, {@code
 * results.md} (settings, results, learning rates), {@code results.csv} (per-epoch curves) and
 * {@code readme-table.md} (the results in README.md's form).
 */
public final class ComparisonReport {

    /** The Markdown report's file name. */
    public static final String MARKDOWN = "results.md";

    /**
     * The file holding the results table in the README's form ({@link #readmeTable}), to paste into
     * README.md as it is.
     */
    public static final String README_TABLE = "readme-table.md";

    /** The per-epoch curves' file name. */
    public static final String CSV = "results.csv";

    /** The files {@link #write} writes into the output folder. */
    public static final List<String> FILES = List.of(MARKDOWN, CSV, README_TABLE, LossChart.FILE);

    /** The header of {@link #CSV}. */
    public static final String CSV_HEADER =
            "optimizer,learning_rate,epoch,train_loss,validation_loss,validation_accuracy,elapsed_s";

    private static final String COMPUTED_MARK = "*";
    private static final String COMPUTED_NOTE =
            "* computed as 2 × parameter bytes (first and second moment): DJL's AdamW does not"
                    + " report its state.";

    private static final int MAX_PLAIN_RATE_LENGTH = 10;

    private ComparisonReport() {}

    /**
     * Returns the results as a table with aligned columns, for the terminal.
     *
     * @param result the comparison
     * @return the table, lines separated by {@code \n}, ending with a newline
     */
    public static String table(OptimizerComparison.Result result) {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                new String[] {
                    "optimizer",
                    "lr",
                    "train loss",
                    "val loss",
                    "val acc",
                    "time (s)",
                    "state (bytes)",
                    "state/param",
                    "status"
                });
        for (OptimizerRun run : result.runs()) {
            rows.add(cells(run));
        }
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                // Names and the status left-aligned, numbers right-aligned.
                boolean left = c == 0 || c == columns - 1;
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(left ? row[c] + pad : pad + row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                out.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
            }
        }
        if (result.runs().stream().anyMatch(OptimizerRun::stateBytesComputed)) {
            out.append(COMPUTED_NOTE).append('\n');
        }
        return out.toString();
    }

    private static String[] cells(OptimizerRun run) {
        // A blank where others have the mark keeps the digits aligned.
        String state =
                String.format(Locale.ROOT, "%,d", run.stateBytes())
                        + (run.stateBytesComputed() ? COMPUTED_MARK : " ");
        String perParameter =
                String.format(Locale.ROOT, "%.2f", run.stateBytesPerParameter())
                        + (run.stateBytesComputed() ? COMPUTED_MARK : " ");
        String time = String.format(Locale.ROOT, "%.1f", run.wallSeconds());
        if (run.diverged()) {
            int at = run.last().epoch() + 1;
            return new String[] {
                run.name(),
                rate(run.learningRate()),
                "-",
                "-",
                "-",
                time,
                state,
                perParameter,
                "diverged in epoch " + at
            };
        }
        EpochRecord last = run.last();
        return new String[] {
            run.name(),
            rate(run.learningRate()),
            loss(last.trainLoss()),
            loss(last.validationLoss()),
            percent(last.validationAccuracy()),
            time,
            state,
            perParameter,
            "ok"
        };
    }

    /**
     * Returns the Markdown report: settings, the results table and the learning-rate table.
     *
     * @param result the comparison
     * @return the document
     */
    public static String markdown(OptimizerComparison.Result result) {
        OptimizerComparison.Settings settings = result.settings();
        ClassifierTraining.Setup setup = settings.setup();
        OptimizerRun first = result.runs().get(0);
        StringBuilder md = new StringBuilder();
        md.append("# descent compare\n\n");
        md.append("Each optimizer trains the same model on the same data, from the same initial")
                .append(" weights and with the same mini-batch order.\n\n");
        md.append("## Settings\n\n");
        md.append("- command: `").append(command(settings)).append("`\n");
        md.append("- data set: `")
                .append(settings.dataset().cliName())
                .append("` (")
                .append(settings.dataset().description())
                .append("), split ")
                .append(String.format(Locale.ROOT, "%,d", result.trainRows()))
                .append(" for training / ")
                .append(String.format(Locale.ROOT, "%,d", result.validationRows()))
                .append(" for validation by a shuffle seeded with ")
                .append(setup.seed())
                .append("\n");
        md.append("- model: perceptron ")
                .append(result.featureCount())
                .append(" → ")
                .append(setup.hidden())
                .append(" (ReLU) → ")
                .append(result.classCount())
                .append(", ")
                .append(String.format(Locale.ROOT, "%,d", first.parameterCount()))
                .append(" parameters, softmax cross-entropy\n");
        md.append("- training: ")
                .append(setup.epochs())
                .append(" epochs, batch size ")
                .append(setup.batchSize())
                .append(", seed ")
                .append(setup.seed())
                .append(", DJL ")
                .append(Engine.getDjlVersion())
                .append(" on the ")
                .append(ClassifierTraining.ENGINE)
                .append(" engine (CPU, ")
                .append(settings.threads())
                .append(settings.threads() == 1 ? " thread" : " threads")
                .append(")\n");
        md.append("- losses: mean over the whole training / validation set after the last epoch")
                .append(" (after the last finite one for a diverged run)\n");
        if (result.sameInitialLoss()) {
            md.append("- initial weights: identical in every run (initial training loss ")
                    .append(loss(first.initial().trainLoss()))
                    .append(" in each)\n");
        } else {
            md.append("- **warning: the initial training losses differ between runs** (")
                    .append(
                            result.runs().stream()
                                    .map(r -> r.name() + " " + r.initial().trainLoss())
                                    .collect(Collectors.joining(", ")))
                    .append("): the runs did not start from the same weights\n");
        }
        md.append("\n## Results\n\n");
        md.append("| optimizer | learning rate | final train loss | final validation loss |")
                .append(" validation accuracy | wall time (s) | optimizer state (bytes) |")
                .append(" state bytes per parameter | status |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (OptimizerRun run : result.runs()) {
            String[] c = cells(run);
            md.append("| `")
                    .append(c[0])
                    .append("` | ")
                    .append(String.join(" | ", List.of(c).subList(1, c.length)))
                    .append(" |\n");
        }
        if (result.runs().stream().anyMatch(OptimizerRun::stateBytesComputed)) {
            md.append("\n\\").append(COMPUTED_NOTE).append('\n');
        }
        List<OptimizerRun> diverged =
                result.runs().stream().filter(OptimizerRun::diverged).toList();
        if (!diverged.isEmpty()) {
            md.append("\nDiverged:\n\n");
            for (OptimizerRun run : diverged) {
                md.append("- `").append(run.name()).append("`: ").append(run.divergence());
                md.append('\n');
            }
        }
        md.append("\nWall time covers building the model, training and evaluating both sets")
                .append(" after every epoch; the first run also carries the JVM's warm-up.\n");
        md.append("\n## Learning rates\n\n");
        md.append(learningRateMarkdown(settings));
        md.append("\n## Files\n\n");
        md.append("- `")
                .append(CSV)
                .append("`: per optimizer and epoch (0 = initial weights), both losses, the")
                .append(" validation accuracy and the elapsed time\n");
        md.append("- `").append(README_TABLE).append("`: the results as README.md's table\n");
        md.append("- `")
                .append(LossChart.FILE)
                .append("`: training and validation loss per epoch, log scale\n\n");
        md.append("![loss curves](").append(LossChart.FILE).append(")\n");
        return md.toString();
    }

    private static String learningRateMarkdown(OptimizerComparison.Settings settings) {
        StringBuilder md = new StringBuilder();
        md.append("| optimizer | built as | reference default | used here | why it differs |\n");
        md.append("|---|---|---:|---:|---|\n");
        for (OptimizerChoice choice : settings.optimizers()) {
            double used = settings.learningRate(choice);
            String why = choice.deviation();
            if (settings.learningRates().containsKey(choice)) {
                why = "set with `--lr`";
            }
            md.append("| `")
                    .append(choice.cliName())
                    .append("` | ")
                    .append(choice.settings())
                    .append(" | ")
                    .append(rate(choice.referenceLearningRate()))
                    .append(" | ")
                    .append(rate(used))
                    .append(" | ")
                    .append(why.isEmpty() ? "—" : why)
                    .append(" |\n");
        }
        return md.toString();
    }

    /**
     * Returns the results as the README's table: optimizer, learning rate, final validation loss,
     * validation accuracy and state bytes per parameter. DJL's AdamW, the baseline, is marked
     * "(DJL)".
     *
     * @param result the comparison
     * @return the Markdown table, ending with a newline
     */
    public static String readmeTable(OptimizerComparison.Result result) {
        StringBuilder md = new StringBuilder();
        md.append("| optimizer | lr | final validation loss | validation accuracy |")
                .append(" state bytes / parameter |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (OptimizerRun run : result.runs()) {
            String name =
                    run.name().equals(OptimizerChoice.ADAMW.cliName())
                            ? run.name() + " (DJL)"
                            : run.name();
            boolean ok = !run.diverged();
            md.append("| ")
                    .append(name)
                    .append(" | ")
                    .append(rate(run.learningRate()))
                    .append(" | ")
                    .append(ok ? loss(run.last().validationLoss()) : "diverged")
                    .append(" | ")
                    .append(ok ? percent(run.last().validationAccuracy()) : "-")
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", run.stateBytesPerParameter()))
                    .append(" |\n");
        }
        return md.toString();
    }

    /**
     * Returns the per-epoch curves as CSV: one row per optimizer and evaluated epoch.
     *
     * @param result the comparison
     * @return the document, with {@link #CSV_HEADER} first
     */
    public static String csv(OptimizerComparison.Result result) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (OptimizerRun run : result.runs()) {
            for (EpochRecord e : run.curve()) {
                csv.append(run.name())
                        .append(',')
                        .append(rate(run.learningRate()))
                        .append(',')
                        .append(e.epoch())
                        .append(',')
                        .append(e.trainLoss())
                        .append(',')
                        .append(e.validationLoss())
                        .append(',')
                        .append(e.validationAccuracy())
                        .append(',')
                        .append(String.format(Locale.ROOT, "%.3f", e.elapsedSeconds()))
                        .append('\n');
            }
        }
        return csv.toString();
    }

    /**
     * Writes {@code results.md}, {@code results.csv}, {@code readme-table.md} and {@code loss.png}
     * into a folder, creating it when needed.
     *
     * @param result the comparison
     * @param folder the output folder
     * @return the files written
     * @throws UncheckedIOException when a file cannot be written
     */
    public static List<Path> write(OptimizerComparison.Result result, Path folder) {
        try {
            Files.createDirectories(folder);
            Path md = folder.resolve(MARKDOWN);
            Path csv = folder.resolve(CSV);
            Path readme = folder.resolve(README_TABLE);
            Path png = folder.resolve(LossChart.FILE);
            Files.writeString(md, markdown(result), StandardCharsets.UTF_8);
            Files.writeString(csv, csv(result), StandardCharsets.UTF_8);
            Files.writeString(readme, readmeTable(result), StandardCharsets.UTF_8);
            LossChart.write(result, png);
            return List.of(md, csv, readme, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + folder, e);
        }
    }

    /**
     * Returns the command line that repeats a comparison.
     *
     * @param settings the settings
     * @return the command
     */
    static String command(OptimizerComparison.Settings settings) {
        ClassifierTraining.Setup setup = settings.setup();
        StringBuilder cmd = new StringBuilder("descent compare");
        cmd.append(" --dataset ").append(settings.dataset().cliName());
        cmd.append(" --optimizers ")
                .append(
                        settings.optimizers().stream()
                                .map(OptimizerChoice::cliName)
                                .collect(Collectors.joining(",")));
        cmd.append(" --epochs ").append(setup.epochs());
        cmd.append(" --batch-size ").append(setup.batchSize());
        cmd.append(" --hidden ").append(setup.hidden());
        cmd.append(" --seed ").append(setup.seed());
        cmd.append(" --threads ").append(settings.threads());
        for (OptimizerChoice choice : settings.optimizers()) {
            Double lr = settings.learningRates().get(choice);
            if (lr != null) {
                cmd.append(" --lr ").append(choice.cliName()).append('=').append(rate(lr));
            }
        }
        return cmd.toString();
    }

    /**
     * Formats a learning rate without trailing zeros, and without exponent unless it is very large
     * or small: {@code 0.0003}, {@code 1}, {@code 1E+30}.
     *
     * @param lr the learning rate
     * @return the text
     */
    static String rate(double lr) {
        BigDecimal value = new BigDecimal(Double.toString(lr)).stripTrailingZeros();
        String plain = value.toPlainString();
        return plain.length() <= MAX_PLAIN_RATE_LENGTH ? plain : value.toString();
    }

    private static String loss(double value) {
        return TableNumbers.format(value);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    /**
     * Returns the learning-rate table as plain text, for help screens: the reference default and
     * the rate {@code descent compare} uses for every optimizer, then the reason for each change.
     *
     * @return lines without line separators
     */
    public static List<String> learningRateText() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"optimizer", "reference", "used here", ""});
        for (OptimizerChoice c : OptimizerChoice.values()) {
            String note = c.deviation().isEmpty() ? "" : "changed, see below";
            if (c == OptimizerChoice.ADAMW) {
                note = "baseline (DJL's AdamW, decay 0.01)";
            }
            rows.add(
                    new String[] {
                        c.cliName(), rate(c.referenceLearningRate()), rate(c.learningRate()), note
                    });
        }
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            String line =
                    String.format(
                            Locale.ROOT,
                            "  %-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s  %s",
                            (Object[]) row);
            lines.add(line.stripTrailing());
        }
        for (OptimizerChoice c : OptimizerChoice.values()) {
            if (!c.deviation().isEmpty()) {
                lines.add("");
                lines.add(c.cliName() + ": " + c.deviation());
            }
        }
        return lines;
    }
}
