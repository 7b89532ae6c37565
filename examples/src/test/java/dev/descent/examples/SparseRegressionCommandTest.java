package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SparseRegressionCommandTest {

    /** A short run (3 seeds, p = 60) writes its files; SCAD and MCP shrink less than L1. */
    @Test
    void shortRunWritesItsReportAndTheNonconvexPenaltiesShrinkLess(@TempDir Path dir)
            throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status =
                cli.execute(
                        "sparse-regression",
                        "--seeds",
                        "3",
                        "--p",
                        "60",
                        "--path",
                        "15",
                        "--no-progress",
                        "-o",
                        dir.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains("| L1 |", "| SCAD |", "| MCP |");
        assertThat(Files.size(dir.resolve("sparse-regression.png"))).isGreaterThan(10_000);
        Map<String, Double> shrinkage = meanShrinkage(dir.resolve("results.csv"));
        assertThat(shrinkage.get("SCAD")).isGreaterThan(shrinkage.get("L1"));
        assertThat(shrinkage.get("MCP")).isGreaterThan(shrinkage.get("L1"));
        assertThat(shrinkage.get("L1"))
                .as("the lasso pulls the true coefficients to 0")
                .isNegative();
    }

    /**
     * The README's claim at the defaults (n = 100, p = 300, s = 6, 20 seeds): SCAD and MCP have a
     * smaller mean coefficient error and less shrinkage than L1, and recover the exact support more
     * often.
     */
    @Test
    @Tag("slow")
    void defaultRunShowsLessBiasAndBetterRecoveryThanL1(@TempDir Path dir) throws Exception {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("sparse-regression", "--no-progress", "-o", dir.toString()))
                .as(err.toString())
                .isZero();
        List<String[]> rows = rows(dir.resolve("results.csv"));
        Map<String, Double> shrinkage = meanShrinkage(dir.resolve("results.csv"));
        Map<String, Double> error = mean(rows, 5);
        Map<String, Long> exact =
                rows.stream()
                        .filter(r -> r[3].equals("6") && r[4].equals("0"))
                        .collect(Collectors.groupingBy(r -> r[1], Collectors.counting()));
        for (String nonconvex : List.of("SCAD", "MCP")) {
            assertThat(error.get(nonconvex)).isLessThan(error.get("L1"));
            assertThat(shrinkage.get(nonconvex)).isGreaterThan(shrinkage.get("L1"));
            assertThat(exact.getOrDefault(nonconvex, 0L))
                    .isGreaterThan(exact.getOrDefault("L1", 0L));
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork(@TempDir Path dir) {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("sparse-regression", "--rho", "1", "-o", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.execute("sparse-regression", "--snr", "NaN", "-o", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.execute("sparse-regression", "--s", "10", "--p", "5", "-o", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.execute("sparse-regression", "--screen", "lasso", "-o", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--rho must be in [0, 1)", "--screen must be none, sis or mi");
    }

    private static List<String[]> rows(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")).toList();
    }

    private static Map<String, Double> mean(List<String[]> rows, int column) {
        return rows.stream()
                .collect(
                        Collectors.groupingBy(
                                r -> r[1],
                                Collectors.averagingDouble(r -> Double.parseDouble(r[column]))));
    }

    private static Map<String, Double> meanShrinkage(Path csv) throws Exception {
        return mean(rows(csv), 6);
    }
}
