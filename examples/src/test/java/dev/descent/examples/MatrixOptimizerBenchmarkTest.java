package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.optim.Descent;
import dev.descent.optim.Muon;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code descent bench-matrix}: argument checks, the FLOP models, and a run too small to measure
 * anything that shows every entry in the table; and Muon's split of the compare network.
 */
class MatrixOptimizerBenchmarkTest {

    @Test
    void refusesBadArguments() {
        assertThat(run(new StringWriter(), "bench-matrix", "--rounds", "0")).isEqualTo(2);
        assertThat(run(new StringWriter(), "bench-matrix", "--shapes", "8x")).isEqualTo(2);
        assertThat(run(new StringWriter(), "bench-matrix", "--shapes", "0x8")).isEqualTo(2);
    }

    @Test
    void flopModelsCountTheProductsOfEachAlgorithm() {
        // Newton–Schulz on the wide orientation: 5·(4k²l + 2k³), the same for a matrix and its
        // transpose
        assertThat(MatrixOptimizerBenchmark.ns5(2, 3)).isEqualTo(5 * (4 * 4 * 3 + 2 * 8));
        assertThat(MatrixOptimizerBenchmark.ns5(3, 2))
                .isEqualTo(MatrixOptimizerBenchmark.ns5(2, 3));
        // PSGD-Kron on a square n×n: preconditioning 8n³, a fit 18n³
        assertThat(MatrixOptimizerBenchmark.kronPrecondition(10, 10)).isEqualTo(8000);
        assertThat(MatrixOptimizerBenchmark.kronFit(10, 10)).isEqualTo(18000);
    }

    @Test
    void tinyRunListsEveryEntry() {
        StringWriter out = new StringWriter();
        assertThat(
                        run(
                                out,
                                "bench-matrix",
                                "--shapes",
                                "8x6",
                                "--steps",
                                "1",
                                "--warmup",
                                "0",
                                "--rounds",
                                "1"))
                .isEqualTo(0);
        for (MatrixOptimizerBenchmark.Entry e : MatrixOptimizerBenchmark.entries()) {
            assertThat(out.toString()).contains("| 8x6 | " + e.name() + " |");
        }
    }

    @Test
    void muonInCompareSendsTheHiddenWeightToNewtonSchulzAndTheRestToAdamW() {
        int hidden = 8;
        Muon muon = Descent.muon().build();
        ClassificationData.Split data = DigitsDataset.load().split(0.8, 42);
        ClassifierTraining.train(
                "muon", 0.02, muon, data, new ClassifierTraining.Setup(hidden, 1, 64, 42), n -> {});
        // momentum (4 bytes per element) for the 64×8 hidden weight; AdamW's two moments
        // (8 bytes) for its bias, the 8×10 output weight and its bias
        long expected = 4L * 64 * hidden + 8L * (hidden + hidden * 10 + 10);
        assertThat(muon.stateBytes()).isEqualTo(expected);
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }
}
