package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent compare}: its output folder, its progress lines and its table. */
class CompareCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int compare(Path output, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "compare",
                                "--optimizers",
                                "sgd",
                                "--epochs",
                                "1",
                                "--hidden",
                                "8",
                                "-o",
                                output.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void anOutputThatIsAFileIsRefusedBeforeTraining(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "mine");

        assertThat(compare(file, "--no-progress")).isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--output': "
                                + file
                                + " exists and is not a folder");
        assertThat(out.toString()).isEmpty(); // nothing trained, no table
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void anOutputUnderAFileIsRefusedBeforeTraining(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "mine");

        assertThat(compare(file.resolve("out"), "--no-progress")).isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "cannot create the folder "
                                + file.resolve("out")
                                + ": "
                                + file
                                + " is not a folder");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aFolderWhereNoFolderCanBeCreatedIsRefusedWithTheReason() {
        // /proc refuses new entries even to root, where permission bits would not
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");

        assertThat(compare(Path.of("/proc/nope"), "--no-progress")).isEqualTo(2);

        assertThat(err.toString())
                .containsPattern(
                        "Invalid value for option '--output': cannot create the folder /proc/nope"
                                + " in /proc \\(.+\\)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anExistingFolderKeepsOtherFilesAndGetsItsOwnReplaced(@TempDir Path dir)
            throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Files.writeString(dir.resolve(ComparisonReport.MARKDOWN), "old report");

        assertThat(compare(dir, "--no-progress")).as(err.toString()).isZero();

        assertThat(Files.readString(notes)).isEqualTo("keep me");
        assertThat(Files.readString(dir.resolve(ComparisonReport.MARKDOWN)))
                .startsWith("# descent compare");
        try (var files = Files.list(dir)) {
            // no probe file left behind by the check
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "notes.txt",
                            "results.md",
                            "results.csv",
                            "readme-table.md",
                            "loss.png");
        }
    }

    @Test
    void anOwnFileThatIsAFolderIsRefusedBeforeTraining(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve(ComparisonReport.CSV));

        assertThat(compare(dir, "--no-progress")).isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "cannot write the file "
                                + dir.resolve(ComparisonReport.CSV)
                                + ": it is a folder");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theTableIsPrintedEvenWhenWritingFailsAfterTraining(@TempDir Path dir) throws IOException {
        // a link to a folder that does not exist passes the check and fails the write
        Files.createSymbolicLink(
                dir.resolve(ComparisonReport.CSV), dir.resolve("missing/results.csv"));

        assertThat(compare(dir, "--no-progress")).isEqualTo(1);

        assertThat(out.toString()).contains("optimizer", "val loss", "sgd", "ok");
        assertThat(err.toString())
                .contains("compare: error: cannot write the results to " + dir + ": ")
                .contains(dir.resolve(ComparisonReport.CSV) + ": no such file or folder");
    }

    @Test
    void aLinkToAFolderIsAnOutputFolder(@TempDir Path dir) throws IOException {
        Path target = Files.createDirectory(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThat(compare(link, "--no-progress")).as(err.toString()).isZero();

        assertThat(target.resolve(ComparisonReport.MARKDOWN)).isRegularFile();
    }

    @Test
    void progressIsALineEveryFivePercentWhenStderrIsNotATerminal(@TempDir Path dir) {
        assumeTrue(System.console() == null, "stderr must not be a terminal");

        int status =
                run(
                        "compare",
                        "--optimizers",
                        "sgd,lion",
                        "--epochs",
                        "10",
                        "--hidden",
                        "8",
                        "-o",
                        dir.toString());

        assertThat(status).as(err.toString()).isZero();
        List<String> lines = err.toString().lines().toList();
        // 2 optimizers × 10 epochs, one step each: every step crosses one 5% mark
        assertThat(lines)
                .hasSize(20)
                .allMatch(l -> l.matches("compare: \\d+% \\(\\d+/20 epochs\\), .*"));
        assertThat(lines.get(0)).startsWith("compare: 5% (1/20 epochs), ");
        assertThat(lines.get(19)).startsWith("compare: 100% (20/20 epochs), ").endsWith(" elapsed");
        assertThat(err.toString()).doesNotContain("\r");
    }
}
