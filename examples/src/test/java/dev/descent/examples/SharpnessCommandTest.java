package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.curvature.SharpnessMonitor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent sharpness} in a short configuration: the files and their shape. */
class SharpnessCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shortRunWritesSummaryCsvAndPlot(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("nested/sharpness");

        int status =
                run(
                        "sharpness",
                        "--steps",
                        "6",
                        "--interval",
                        "3",
                        "--samples",
                        "40",
                        "--batch-size",
                        "8",
                        "--hidden",
                        "8",
                        "--lanczos-steps",
                        "4",
                        "--trace-samples",
                        "2",
                        "-o",
                        output.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Verdict:").contains(output.toString());
        String md = Files.readString(output.resolve(SharpnessCommand.SUMMARY));
        assertThat(md).contains("η = 0.08", "2/η = 25.00", "| gd |", "| sgd |");
        List<String> csv = Files.readAllLines(output.resolve(SharpnessCommand.CSV));
        assertThat(csv.get(0)).isEqualTo("run," + SharpnessMonitor.CSV_HEADER);
        // steps 0, 3 and 6 for each run
        assertThat(csv).hasSize(1 + 2 * 3);
        assertThat(csv.subList(1, 4)).allMatch(row -> row.startsWith("gd,"));
        assertThat(csv.subList(4, 7)).allMatch(row -> row.startsWith("sgd,"));
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",");
            assertThat(Double.parseDouble(cells[2])).as(row).isFinite(); // λ_max
            // 2/η, with η held as a float by DJL's Tracker: relative error below 1e-7
            assertThat(Double.parseDouble(cells[8])).as(row).isCloseTo(25.0, within(1e-5));
        }
        BufferedImage png = ImageIO.read(output.resolve(SharpnessChart.FILE).toFile());
        assertThat(png.getWidth()).isEqualTo(SharpnessChart.WIDTH);
        assertThat(png.getHeight()).isEqualTo(2 * SharpnessChart.PANEL_HEIGHT);
        // 2 runs × 6 updates, each past at least one 5% mark
        assertThat(err.toString().lines())
                .hasSize(12)
                .last()
                .asString()
                .startsWith("sharpness: 100% (12/12 updates)");
    }

    @Test
    void anInfiniteLearningRateIsRefused() {
        assertThat(run("sharpness", "--lr", "Infinity")).isEqualTo(2);

        assertThat(err.toString())
                .contains("Invalid value for option '--lr': 'Infinity' is not a finite number");
    }

    @Test
    void batchNotSmallerThanTheSubsetIsRejected() {
        assertThat(run("sharpness", "--samples", "40", "--batch-size", "40")).isEqualTo(2);

        assertThat(err.toString()).contains("batchSize must be in [1, 40), got 40");
    }
}
