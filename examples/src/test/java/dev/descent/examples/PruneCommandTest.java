package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code descent prune} in a tiny configuration: the files and their shape. */
class PruneCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void tinyRunWritesTableCsvAndPlot(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("prune");

        int status =
                run(
                        "prune",
                        "--hidden",
                        "8",
                        "--epochs",
                        "1",
                        "--gradients",
                        "4",
                        "--gradient-batch",
                        "4",
                        "--block-size",
                        "16",
                        "--steps",
                        "2",
                        "--sparsities",
                        "0.5,0.9",
                        "-o",
                        output.toString());

        assertThat(status).as(err.toString()).isZero();
        String md = Files.readString(output.resolve(PruneCommand.SUMMARY));
        assertThat(md)
                .contains("MLP 64-8-10 (610 parameters, 592 prunable weights)")
                .contains("| magnitude | M-FAC OBS, one shot | M-FAC OBS, gradual |")
                .contains("| 50% |", "| 90% |");
        List<String> csv = Files.readAllLines(output.resolve(PruneCommand.CSV));
        assertThat(csv).hasSize(1 + 2 * 3);
        assertThat(csv.get(0)).isEqualTo("sparsity,method,accuracy,loss,seconds");
        assertThat(csv.get(1)).startsWith("0.5000,magnitude,");
        assertThat(csv.get(6)).startsWith("0.9000,obs_gradual,");
        BufferedImage png = ImageIO.read(output.resolve(PruneCommand.PNG).toFile());
        assertThat(png.getWidth()).isEqualTo(800);
        // one epoch and 2 sparsities × 3 methods: 7 steps, each past at least one 5% mark
        assertThat(err.toString().lines())
                .hasSize(7)
                .last()
                .asString()
                .startsWith("prune: 100% (7/7 epochs and prunings)");
    }

    @Test
    void aNonFiniteSparsityIsNamedByItsPosition() {
        int status = run("prune", "--sparsities", "0.5,NaN");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--sparsities': value 2 of 2, 'NaN' is not a"
                                + " finite number");
    }

    @Test
    void anInvalidSparsityIsRefusedAsInvalidInput() {
        int status = run("prune", "--sparsities", "1.5");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("sparsity must be in [0, 1], got 1.5");
    }
}
