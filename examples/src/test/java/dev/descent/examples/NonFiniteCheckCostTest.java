package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code descent bench --nan-check-only}: a run too small to measure, with every row. */
class NonFiniteCheckCostTest {

    @Test
    void tinyRunListsEveryModelAndOptimizer() {
        StringWriter out = new StringWriter();
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(
                        cli.execute(
                                "bench",
                                "--nan-check-only",
                                "--steps",
                                "1",
                                "--warmup",
                                "0",
                                "--rounds",
                                "1"))
                .isEqualTo(0);
        for (String model :
                new String[] {"32 x Linear(16): 64 tensors", "4 x Linear(1024): 8 tensors"}) {
            for (String optimizer : new String[] {"sgd", "adabelief"}) {
                assertThat(out.toString()).contains("| " + model + " | " + optimizer + " |");
            }
        }
    }
}
