package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code descent bench-state} and {@code descent bench-frugal}: argument checks and tiny runs. */
class StateMemoryBenchmarkTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void badOptionsAreRejectedWithTheValues() {
        assertThat(run("bench-state", "--width", "2")).isEqualTo(2);
        assertThat(run("bench-frugal", "--shapes", "8x")).isEqualTo(2);
        assertThat(run("bench-frugal", "--rounds", "0")).isEqualTo(2);

        assertThat(err.toString())
                .contains("--width must be >= 4 and --steps >= 1, got 2 and 3")
                .contains("--shapes takes ROWSxCOLS with both >= 1, got '8x'")
                .contains(
                        "--steps, --rounds and --threads must be >= 1 and --warmup >= 0, got 20,"
                                + " 0, 2 and 5");
    }

    @Test
    void stateTableGivesAdamWEightBytesAndFrugalBlocksAQuarterOnEqualMatrices() {
        assertThat(run("bench-state", "--width", "8", "--steps", "1")).isZero();

        // columns: MLP, 8 equal square matrices (2 of them active), the 4W x W pair
        assertThat(out.toString())
                .contains("| adamw | 8.00 (1.000×) | 8.00 (1.000×) | 8.00 (1.000×) |")
                .contains("| djl-adam (fused) | 8.00 (1.000×) (stated) |")
                .containsPattern(
                        "\\| frugal \\(blocks\\) \\| [0-9.]+ \\([0-9.]+×\\) \\| 2.00 \\(0.250×\\) \\|");
    }

    @Test
    void frugalBenchmarkPrintsOneRowPerOptimizer() {
        assertThat(
                        run(
                                "bench-frugal",
                                "--shapes",
                                "8x4",
                                "--steps",
                                "1",
                                "--warmup",
                                "0",
                                "--rounds",
                                "1"))
                .isZero();

        assertThat(out.toString())
                .containsPattern(
                        "\\| 8x4 \\| djl-adamw \\(fused\\) \\| .* \\| 8.00 \\(stated\\) \\|")
                .containsPattern("\\| 8x4 \\| adamw \\| .* \\| 8.00 \\|")
                .containsPattern("\\| 8x4 \\| frugal \\(blocks\\) \\| .* \\| 2.00 \\|")
                .contains("| 8x4 | frugal (svd) |");
    }
}
