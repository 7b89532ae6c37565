package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.surrogate.Solvers;
import dev.descent.surrogate.bench.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code descent surrogate optimize} on the torch-exported peaks network of the benchmark set, and
 * {@code descent surrogate benchmark} with a tiny budget (the CI smoke configuration).
 */
class SurrogateCommandTest {

    /** The problem file the README shows (tests run in the examples module's directory). */
    private static final Path EXAMPLE_PROBLEM = Path.of("problems", "hartmann-constrained.json");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path fixture(String file) throws IOException {
        Path model = dir.resolve(file);
        try (InputStream in = Network.class.getResourceAsStream(Network.Fixture.FOLDER + file)) {
            Files.write(model, in.readAllBytes());
        }
        return model;
    }

    private Path peaks() throws IOException {
        return fixture("peaks_n2_m1.onnx");
    }

    @Test
    void optimizeWritesTheHistoryAndTheConvergencePlot() throws IOException {
        // the README's example: the trained Hartmann network with two output constraints
        Path output = dir.resolve("out");
        int status =
                run(
                        "surrogate",
                        "optimize",
                        "--model",
                        fixture("hartmann_n6_m2.onnx").toString(),
                        "--problem",
                        EXAMPLE_PROBLEM.toString(),
                        "--budget",
                        "60",
                        "--seed",
                        "3",
                        "--output",
                        output.toString(),
                        "--no-progress");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("hybrid: ").contains("best feasible objective:");
        List<String> rows = Files.readAllLines(output.resolve("history.csv"));
        assertThat(rows.get(0))
                .isEqualTo(
                        "index,forward_passes,step,run,accepted,objective,violation,feasible,"
                                + "best_feasible,x0,x1,x2,x3,x4,x5,y0,y1");
        // the start point is evaluated and accepted first; no row spends more than the budget
        assertThat(rows.get(1)).startsWith("0,1,start,0,true,");
        String last = rows.get(rows.size() - 1);
        assertThat(Long.parseLong(last.split(",")[1])).isLessThanOrEqualTo(60);
        double previousBest = Double.NEGATIVE_INFINITY;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            double y0 = Double.parseDouble(cells[15]);
            double y1 = Double.parseDouble(cells[16]);
            boolean feasible = Boolean.parseBoolean(cells[7]);
            assertThat(feasible).isEqualTo(y1 <= 0 && y0 + y1 <= 2.9);
            double best = Double.parseDouble(cells[8]);
            assertThat(best).isGreaterThanOrEqualTo(previousBest);
            previousBest = best;
        }
        byte[] png = Files.readAllBytes(output.resolve("convergence.png"));
        assertThat(png).startsWith(PNG_SIGNATURE);
    }

    @Test
    void optimizeRestartsUntilTheBudgetIsSpentAndReportsTheRestarts() throws IOException {
        // on the README's example the hybrid's radii collapse after about 500 of 2,000 passes
        Path output = dir.resolve("out");
        int status =
                run(
                        "surrogate",
                        "optimize",
                        "--model",
                        fixture("hartmann_n6_m2.onnx").toString(),
                        "--problem",
                        EXAMPLE_PROBLEM.toString(),
                        "--budget",
                        "800",
                        "--seed",
                        "0",
                        "--output",
                        output.toString(),
                        "--no-progress");
        assertThat(status).as(err.toString()).isZero();
        String[] lines = out.toString().split("\\R");
        assertThat(lines[0]).startsWith("hybrid: BUDGET after 800 forward passes");
        assertThat(lines[1])
                .matches("\\d+ restarts? \\(after RADIUS_BELOW_MINIMUM\\) at evaluation .*");
        int restarts = Integer.parseInt(lines[1].substring(0, lines[1].indexOf(' ')));
        String[] at = lines[1].substring(lines[1].indexOf("evaluation ") + 11).split(", ");
        assertThat(at).hasSize(restarts);

        // the run column counts the restarts; each random restart's start point opens its run
        List<String> rows = Files.readAllLines(output.resolve("history.csv"));
        int run = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            int index = Integer.parseInt(cells[0]);
            if (run < restarts && index == Integer.parseInt(at[run])) {
                run++;
                assertThat(cells[2]).isEqualTo("restart");
                assertThat(cells[4]).isEqualTo("true");
            }
            assertThat(Integer.parseInt(cells[3])).as("row %d", index).isEqualTo(run);
        }
        assertThat(run).isEqualTo(restarts);
    }

    @Test
    void aBadProblemFileIsReportedWithItsField() throws IOException {
        Path problem = dir.resolve("bad.json");
        Files.writeString(
                problem,
                "{\"objective\": {\"type\": \"weighted-sum\", \"weights\": [1, 2]},"
                        + " \"start\": [0, 0]}");
        int status =
                run(
                        "surrogate",
                        "optimize",
                        "--model",
                        peaks().toString(),
                        "--problem",
                        problem.toString(),
                        "--no-progress");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString())
                .contains(problem + ": objective.weights has length 2 but the model has 1 outputs");
        assertThat(
                        run(
                                "surrogate",
                                "optimize",
                                "--model",
                                peaks().toString(),
                                "--problem",
                                problem.toString(),
                                "--algorithm",
                                "simplex"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown solver 'simplex'");
    }

    @Test
    void benchmarkSmokeRunWritesProfilesAndSummary() throws IOException {
        Path output = dir.resolve("bench");
        int status =
                run(
                        "surrogate",
                        "benchmark",
                        "--problems",
                        "torch-hartmann-target",
                        "--seeds",
                        "1",
                        "--evals-per-simplex",
                        "10",
                        "--max-evals",
                        "30",
                        "--output",
                        output.toString(),
                        "--no-progress");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("## Fraction of instances solved within the budget");
        List<String> runs = Files.readAllLines(output.resolve("runs.csv"));
        // header + one row per solver (one seed)
        assertThat(runs).hasSize(1 + Solvers.all().size());
        assertThat(Files.readAllLines(output.resolve("profiles.csv")).get(0))
                .isEqualTo("profile,tau,solver,x,fraction");
        assertThat(Files.readAllBytes(output.resolve("data-profiles.png")))
                .startsWith(PNG_SIGNATURE);
        assertThat(Files.readAllBytes(output.resolve("performance-profiles.png")))
                .startsWith(PNG_SIGNATURE);
        assertThat(Files.readString(output.resolve("summary.md")))
                .contains("torch-hartmann-target");
    }
}
