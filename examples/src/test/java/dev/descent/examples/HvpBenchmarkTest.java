package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code descent bench-hvp}'s argument checks (the benchmark itself is run by hand). */
class HvpBenchmarkTest {

    @Test
    void tooFewTraceSamplesAreRejectedWithTheValues() {
        StringWriter err = new StringWriter();
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));

        assertThat(cli.execute("bench-hvp", "--trace-samples", "1")).isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "--repeats, --rounds and --threads must be >= 1 and --trace-samples >= 2,"
                                + " got 10, 5, 1 and 1");
    }
}
