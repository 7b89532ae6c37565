package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvexReluCommandTest {

    /** Recovered network against the convex optimum: ADMM's small cone violation, no more. */
    private static final double RECOVERY = 1e-3;

    @Test
    void theConvexOptimumIsBelowEveryAdamStartOnASmallSet() {
        // n = 20 on 1-D inputs: at most 2n − 1 patterns, nearly all found from 400 draws
        ConvexReluExperiment.Setup setup =
                new ConvexReluExperiment.Setup(20, 1, 1e-3, 40, 2, 0.01, 5_000, 10, 600, 2e-2);
        ConvexReluExperiment.Outcome o = ConvexReluExperiment.run(setup);
        double optimum = o.optimum().objective();
        assertThat(o.optimum().gapBound()).isLessThan(1e-8);
        assertThat(Math.abs(o.networkLoss() - optimum) / optimum).isLessThan(RECOVERY);
        assertThat(o.adamLosses()).hasSize(10);
        for (double adam : o.adamLosses()) {
            // the convex optimum is the global one over the sampled patterns: Adam on the same
            // width cannot go below it by more than the barrier's gap bound
            assertThat(adam).isGreaterThanOrEqualTo(optimum - o.optimum().gapBound());
            assertThat(adam).isGreaterThanOrEqualTo(o.networkLoss() * (1 - RECOVERY));
        }
        // the same setup gives the same Adam losses (seeded starts)
        ConvexReluExperiment.Setup one =
                new ConvexReluExperiment.Setup(20, 1, 1e-3, 40, 2, 0.01, 10, 1, 50, 2e-2);
        assertThat(ConvexReluExperiment.run(one).adamLosses())
                .isEqualTo(ConvexReluExperiment.run(one).adamLosses());
    }

    @Test
    void shortRunWritesItsReportCsvAndChart(@TempDir Path dir) throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status =
                cli.execute(
                        "convex-relu",
                        "--samples",
                        "12",
                        "--patterns",
                        "20",
                        "--admm-iterations",
                        "200",
                        "--starts",
                        "2",
                        "--adam-steps",
                        "20",
                        "-o",
                        dir.toString());
        assertThat(status).as(err.toString()).isZero();
        String report = Files.readString(dir.resolve("results.md"));
        assertThat(out.toString()).isEqualTo(report);
        assertThat(report)
                .containsPattern(
                        "\\| convex optimum \\(barrier, gap bound [0-9.e-]+\\) \\| [0-9.]+ \\|")
                .containsPattern(
                        "\\| ADMM objective \\(200 iterations, rho 0.01, ITERATION_LIMIT\\) \\|")
                .contains("| Adam start 2 (20 steps) |")
                .containsPattern("Adam starts at or below the recovered network: \\d of 2");
        List<String> csv = Files.readAllLines(dir.resolve("objective.csv"));
        assertThat(csv.get(0)).isEqualTo("iteration,objective,relative_gap,primal_residual");
        assertThat(csv).hasSize(202);
        assertThat(Files.size(dir.resolve("convex-relu.png"))).isGreaterThan(10_000);
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork(@TempDir Path dir) {
        CommandLine cli = DescentCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("convex-relu", "--beta", "NaN", "-o", dir.toString())).isEqualTo(2);
        assertThat(cli.execute("convex-relu", "--inputs", "3", "-o", dir.toString())).isEqualTo(2);
        assertThat(cli.execute("convex-relu", "--beta", "0", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("Invalid value for option '--beta': 'NaN' is not a finite number")
                .contains("--inputs 1 or 2")
                .contains("got 40, 3,");
        assertThat(dir.resolve("results.md")).doesNotExist();
    }

    @Test
    @Tag("slow")
    void theDefaultRunRecoversTheOptimumAndBeatsEveryAdamStart() {
        ConvexReluExperiment.Outcome o =
                ConvexReluExperiment.run(ConvexReluExperiment.Setup.defaults());
        double optimum = o.optimum().objective();
        assertThat(Math.abs(o.networkLoss() - optimum) / optimum).isLessThan(1e-4);
        for (double adam : o.adamLosses()) {
            assertThat(adam).isGreaterThan(o.networkLoss());
        }
    }
}
