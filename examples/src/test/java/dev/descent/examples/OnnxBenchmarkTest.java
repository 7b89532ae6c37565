package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code descent bench-onnx}: argument checks, and a run too short to measure anything that shows
 * the default fixture paths resolve from {@code examples/} (Maven's working directory here).
 */
class OnnxBenchmarkTest {

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
        assertThat(run("bench-onnx", "--rounds", "0")).isEqualTo(2);
        assertThat(run("bench-onnx", "--batches", "1,0")).isEqualTo(2);
        assertThat(run("bench-onnx", "--mlp", "no/such.onnx")).isEqualTo(2);

        assertThat(err.toString())
                .contains("--target-ms, --rounds and --threads must be >= 1, got 200, 0 and 1")
                .contains("--batches must be sizes >= 1, got [1, 0]")
                .contains("--mlp: model file not found: no/such.onnx");
    }

    @Test
    void aShortRunPrintsOneRowPerModelAndBatch() {
        assertThat(run("bench-onnx", "--batches", "1,3", "--target-ms", "1", "--rounds", "1"))
                .isZero();

        assertThat(out.toString())
                .contains("| model | batch | ONNX Runtime rows/s")
                .containsPattern("\\| MLP \\| 1 \\|")
                .containsPattern("\\| MLP \\| 3 \\|")
                .containsPattern("\\| CNN \\| 1 \\|")
                .containsPattern("\\| CNN \\| 3 \\|")
                .contains("input [batch, 1, 8, 8]");
    }
}
