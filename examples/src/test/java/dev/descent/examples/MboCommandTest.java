package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MboCommandTest {

    /** A table cell as {@link TableNumbers} writes it with 3 decimals. */
    private static final String CELL = "(-?\\d+\\.\\d{3}|-?\\d\\.\\d{2}e[+-]\\d{2}|0)";

    private static final String[] SHORT = {
        "--seeds",
        "2",
        "--hidden",
        "8",
        "--epochs",
        "1",
        "--count",
        "8",
        "--ascent-steps",
        "5",
        "--cma-iterations",
        "1",
        "--coms-particle-steps",
        "1",
        "--ensemble",
        "2",
        "--no-progress"
    };

    private static String[] args(Path dir, String... first) {
        String[] all = new String[first.length + SHORT.length + 2];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(SHORT, 0, all, first.length, SHORT.length);
        all[all.length - 2] = "-o";
        all[all.length - 1] = dir.toString();
        return all;
    }

    @Test
    void shortTableWritesBothTrainingsPerTaskAndOptimizer(@TempDir Path dir) throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int status =
                cli.execute(
                        args(
                                dir,
                                "mbo",
                                "table",
                                "--tasks",
                                "nk",
                                "--optimizers",
                                "ens-min,cma-es"));
        assertThat(status).as(err.toString()).isZero();
        String report = Files.readString(dir.resolve("results.md"));
        assertThat(report)
                .containsPattern(
                        "\\| nk-8x4-k2 \\| cma-es \\| 2 \\| " + CELL + " ± " + CELL + " \\|")
                .containsPattern("\\| nk-8x4-k2 \\| ens-min \\| 2 \\|");
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv.get(0))
                .isEqualTo("task,optimizer,ignite,seed,p100,p80,p50,sharpness,seconds");
        // 2 optimizers x {plain, IGNITE} x 2 seeds
        assertThat(csv).hasSize(1 + 8);
        assertThat(Files.size(dir.resolve("mbo.png"))).isGreaterThan(10_000);

        Path merged = dir.resolve("merged");
        assertThat(
                        cli.execute(
                                "mbo",
                                "report",
                                dir.resolve("results.csv").toString(),
                                "-o",
                                merged.toString()))
                .as(err.toString())
                .isZero();
        assertThat(Files.readAllLines(merged.resolve("results.csv"))).isEqualTo(csv);
        assertThat(Files.readString(merged.resolve("results.md")))
                .endsWith(MboReport.table(MboReport.read(dir.resolve("results.csv"))));
    }

    @Test
    void runUsesOnlyTheChosenTraining(@TempDir Path dir) throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int status =
                cli.execute(
                        args(
                                dir,
                                "mbo",
                                "run",
                                "--task",
                                "rosenbrock",
                                "--optimizer",
                                "grad",
                                "--ignite"));
        assertThat(status).as(err.toString()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.subList(1, 3)).allMatch(line -> line.startsWith("rosenbrock-32,grad,true,"));
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains("| rosenbrock-32 | grad | 2 | — |");
    }

    @Test
    void reportNamesTheLineAndColumnOfABadValue(@TempDir Path dir) throws Exception {
        Path csv =
                Files.writeString(
                        dir.resolve("results.csv"),
                        MboReport.CSV_HEADER
                                + "\nnk,grad,false,0,0.5,0.4,0.3,0.01,1.0"
                                + "\nnk,grad,false,1,0.5,abc,0.3,0.01,1.0\n");
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("mbo", "report", csv.toString(), "-o", dir.resolve("m").toString()))
                .isEqualTo(2);

        assertThat(err.toString())
                .contains(csv + " line 3, column 6 (p80): expected a number, got 'abc'");
    }

    @Test
    void badOptionsAreRefused() {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("mbo", "run", "--task", "tfbind", "--optimizer", "grad"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown task 'tfbind'");
        assertThat(cli.execute("mbo", "table", "--seeds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--seeds must be >= 1, got 0");
        assertThat(cli.execute("mbo", "table", "--ignite-dual-rate", "Infinity")).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--ignite-dual-rate': 'Infinity' is not a finite"
                                + " number");
    }
}
