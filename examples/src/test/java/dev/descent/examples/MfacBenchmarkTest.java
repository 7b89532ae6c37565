package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code descent bench-mfac}: the fit, a tiny run, and its argument checks. */
class MfacBenchmarkTest {

    /** A least-squares fit of an exact power law: rounding only. */
    private static final double FIT_TOL = 1e-12;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theSlopeOfAPowerLawIsItsExponent() {
        double[] x = {16, 32, 64, 128};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.3 * Math.pow(x[i], 3);
        }
        assertThat(MfacBenchmark.slope(x, y)).isCloseTo(3, within(FIT_TOL));
    }

    @Test
    void aTinyRunPrintsEveryCellAndSkipsTheOversizedOne() {
        int status =
                run(
                        "bench-mfac",
                        "--dims",
                        "1000,10000",
                        "--ms",
                        "4,8",
                        "--small-ms",
                        "4,8",
                        "--small-d",
                        "100",
                        "--max-gib",
                        "0.0002",
                        "--repeats",
                        "1");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("| 1,000 | 4 |", "| 1,000 | 8 |", "| 10,000 | 4 |")
                .contains("| 10,000 | 8 | 0 | skipped | | | | | |")
                .contains("per 10× d", "per 2× m", "The m×m work alone, at d = 100");
    }

    @Test
    void badOptionsAreRejectedWithTheValues() {
        assertThat(run("bench-mfac", "--ms", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--ms values must be >= 1, got 0");
    }
}
