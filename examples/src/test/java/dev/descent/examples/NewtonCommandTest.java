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

class NewtonCommandTest {

    @Test
    void shortRunWritesItsReportAndTheRegularizedMethodReachesTheTarget(@TempDir Path dir)
            throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute("newton", "--max-iterations", "20", "-o", dir.toString());
        assertThat(status).as(err.toString()).isZero();
        String report = Files.readString(dir.resolve("results.md"));
        // the regularized method's own run goes to ‖∇f‖ < 1e-11, so it always reaches 1e-8
        assertThat(report)
                .containsPattern(
                        "logistic regression .* \\| gradient-regularized Newton \\| \\d+ \\|")
                .containsPattern(
                        "softmax regression .* \\| gradient-regularized Newton \\| \\d+ \\|");
        assertThat(Files.size(dir.resolve("newton.png"))).isGreaterThan(10_000);
        assertThat(Files.readAllLines(dir.resolve("results.csv")).get(0))
                .isEqualTo("problem,method,iteration,seconds,suboptimality");
        // progress over the iteration budgets: 2 problems × (200 for f* + 20 Newton + 20 GD)
        List<String> progress = err.toString().lines().toList();
        assertThat(progress).isNotEmpty().allMatch(l -> l.startsWith("newton: "));
        assertThat(progress.get(progress.size() - 1))
                .startsWith("newton: 100% (480/480 iterations)");
    }

    @Test
    void nonFiniteNumbersAndAFileAsOutputAreRefusedBeforeAnyWork(@TempDir Path dir)
            throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        Path file = Files.writeString(dir.resolve("file"), "");

        assertThat(cli.execute("newton", "--l2", "NaN")).isEqualTo(2);
        assertThat(cli.execute("newton", "--tolerance", "Infinity")).isEqualTo(2);
        assertThat(cli.execute("newton", "-o", file.toString())).isEqualTo(2);

        assertThat(err.toString())
                .contains("Invalid value for option '--l2': 'NaN' is not a finite number")
                .contains("Invalid value for option '--tolerance': 'Infinity' is not a finite")
                .contains(
                        "Invalid value for option '--output': "
                                + file
                                + " exists and is not a folder");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badOptionsAreRefused() {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("newton", "--l2", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--l2 and --tolerance must be > 0");
    }
}
