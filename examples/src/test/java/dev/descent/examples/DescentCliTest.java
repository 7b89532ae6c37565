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

/** Drives the command line as a user would, with its output captured. */
class DescentCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCompareCommand() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Usage: descent").containsPattern("compare +Train");
    }

    @Test
    void compareHelpExplainsDefaultsOutputAndLearningRates() {
        assertThat(run("compare", "--help")).isZero();

        assertThat(out.toString())
                .contains("Default: descent-out/compare")
                .contains("results.md", "results.csv", "loss.png")
                .contains("Default: " + CompareCommand.DEFAULT_EPOCHS)
                .contains("Learning rates")
                .containsPattern("sgd +0\\.001 +0\\.05")
                .containsPattern("lion +0\\.0001 +0\\.0003")
                .contains("sgd: Momentum 0.9");
    }

    @Test
    void versionNamesDescentAndDjl() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString()).contains("descent ").contains("DJL 0.36");
    }

    @Test
    void noCommandIsInvalidInput() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString()).contains("Usage: descent");
    }

    @Test
    void compareWritesTheReportsWithFiniteLosses(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("nested/out");

        int status =
                run(
                        "compare",
                        "--epochs",
                        "2",
                        "--optimizers",
                        "adamw,adabelief",
                        "--hidden",
                        "16",
                        "--no-progress",
                        "--output",
                        output.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("optimizer", "val loss", "state/param", "adamw", "adabelief")
                .contains(output.resolve("results.md").toString());
        String md = Files.readString(output.resolve("results.md"));
        assertThat(md)
                .contains("| `adamw` |", "| `adabelief` |", "## Learning rates")
                .contains("| state bytes per parameter |")
                .contains(" | 8.00* | ok |")
                .contains("initial weights: identical in every run")
                .contains(
                        "descent compare --dataset digits --optimizers adamw,adabelief"
                                + " --epochs 2 --batch-size 64 --hidden 16 --seed 42");
        List<String> csv = Files.readAllLines(output.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo(ComparisonReport.CSV_HEADER);
        assertThat(csv).hasSize(1 + 2 * 3); // header + 2 optimizers × epochs 0..2
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",");
            assertThat(Double.parseDouble(cells[3])).isFinite().isPositive();
            assertThat(Double.parseDouble(cells[4])).isFinite().isPositive();
        }
        BufferedImage png = ImageIO.read(output.resolve("loss.png").toFile());
        assertThat(png.getWidth()).isEqualTo(LossChart.WIDTH);
        assertThat(png.getHeight()).isEqualTo(2 * LossChart.PANEL_HEIGHT);
    }

    @Test
    void syntheticDataSetRuns(@TempDir Path dir) {
        int status =
                run(
                        "compare",
                        "--dataset",
                        "synthetic",
                        "--epochs",
                        "1",
                        "--optimizers",
                        "sgd",
                        "--no-progress",
                        "-o",
                        dir.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sgd").contains("ok");
    }

    @Test
    void unknownOptimizerIsRejectedWithTheAllowedNames() {
        assertThat(run("compare", "--optimizers", "adamw,adamz")).isEqualTo(2);

        assertThat(err.toString())
                .contains("--optimizers")
                .contains("unknown optimizer 'adamz'")
                .contains(OptimizerChoice.allNames());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void optimizerListedTwiceIsRejected() {
        assertThat(run("compare", "--optimizers", "sgd,lion,sgd")).isEqualTo(2);

        assertThat(err.toString()).contains("--optimizers").contains("'sgd' is listed twice");
    }

    @Test
    void countsBelowOneAreRejected() {
        for (String option : List.of("--epochs", "--batch-size", "--hidden", "--threads")) {
            StringWriter before = new StringWriter();
            before.write(err.toString());
            assertThat(run("compare", option, "0")).as(option).isEqualTo(2);
            assertThat(err.toString().substring(before.toString().length()))
                    .contains("Invalid value for option '" + option + "': must be >= 1, got 0");
        }
    }

    @Test
    void unknownDataSetAndBadLearningRatesAreRejected() {
        assertThat(run("compare", "--dataset", "mnist")).isEqualTo(2);
        assertThat(run("compare", "--lr", "sgd=-1")).isEqualTo(2);
        assertThat(run("compare", "--lr", "sgd=NaN")).isEqualTo(2);
        assertThat(run("compare", "--lr", "nope=0.1")).isEqualTo(2);

        assertThat(err.toString())
                .contains("--dataset", "unknown data set 'mnist'; allowed: digits, synthetic")
                .contains("--lr", "learning rate must be finite and > 0, got -1")
                .contains("got NaN")
                .contains("unknown optimizer 'nope'");
    }
}
