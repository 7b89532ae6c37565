package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import dev.descent.solve.ConjugateGradient;
import dev.descent.solve.CsrMatrix;
import dev.descent.solve.DeepConjugateDirection;
import dev.descent.solve.Laplacian;
import dev.descent.solve.NetworkDirection;
import dev.descent.solve.SolveResult;
import dev.descent.solve.SsorPcg;
import dev.descent.solve.StoppingRule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent bench-solvers} on small grids: its tables, and its argument checks. */
class SolverBenchmarkTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsTheThreeTablesWithTheSolversIterationCounts() {
        StringWriter out = new StringWriter();

        int code =
                run(
                        out,
                        new StringWriter(),
                        "bench-solvers",
                        "--sizes",
                        "6,8",
                        "--tolerances",
                        "1e-4",
                        "--matvec-grid",
                        "5",
                        "--rounds",
                        "1",
                        "--no-progress");

        assertThat(code).isEqualTo(0);
        String text = out.toString();
        assertThat(text)
                .contains("### Matrix-vector product, 5 x 5 Dirichlet Laplacian (n = 25")
                .contains("| host CSR (CsrMatrix.multiply) |")
                .contains("| engine sparse COO, with both copies |")
                .contains("| engine conv2d stencil, x in the engine |")
                .contains("| engine dense matmul, x in the engine |")
                .contains("### SSOR-PCG iterations against ω (tol 1e-04)");
        for (int grid : new int[] {6, 8}) {
            CsrMatrix a = Laplacian.dirichlet(grid, grid);
            double[] b = SolverBenchmark.smoothRightHandSide(a, SolverBenchmark.SEED);
            StoppingRule rule = new StoppingRule(1e-4, 100 * grid * grid);
            int cg = new ConjugateGradient().solve(a, b, rule).iterations();
            int pcg =
                    new SsorPcg(SolverBenchmark.sorOptimalOmega(grid))
                            .solve(a, b, rule)
                            .iterations();
            String size =
                    String.format(
                            Locale.ROOT, "| %d² | %d | 1e-04 | CONVERGED | ", grid, grid * grid);
            assertThat(text).contains("| CG " + size + cg + " |");
            assertThat(text).contains("| SSOR-PCG (ω = ω*_SOR) " + size + pcg + " |");
        }
    }

    /**
     * With --dcdm-model the solve table gets DCDM rows whose counts are those of DCDM run directly
     * with the same saved network (a tiny one, trained for one epoch at 8²), capped at 100.
     */
    @Test
    void dcdmRowsSolveWithTheSavedNetwork(@TempDir Path dir) throws Exception {
        Path params = tinyModel(dir);
        StringWriter out = new StringWriter();

        int code =
                run(
                        out,
                        new StringWriter(),
                        "bench-solvers",
                        "--sizes",
                        "6,8",
                        "--tolerances",
                        "1e-4",
                        "--matvec-grid",
                        "5",
                        "--rounds",
                        "1",
                        "--no-progress",
                        "--dcdm-model",
                        params.toString(),
                        "--dcdm-filters",
                        "2");

        assertThat(code).isEqualTo(0);
        String text = out.toString();
        assertThat(text).contains("100 for DCDM (the reference's)");
        try (Model model = DcdmExperiment.load(params, 2)) {
            for (int grid : new int[] {6, 8}) {
                CsrMatrix a = Laplacian.dirichlet(grid, grid);
                double[] b = SolverBenchmark.smoothRightHandSide(a, SolverBenchmark.SEED);
                SolveResult direct;
                try (NetworkDirection f = new NetworkDirection(model.getBlock(), grid, grid)) {
                    direct = new DeepConjugateDirection(f).solve(a, b, new StoppingRule(1e-4, 100));
                }
                assertThat(text)
                        .contains(
                                String.format(
                                        Locale.ROOT,
                                        "| DCDM | %d² | %d | 1e-04 | %s | %d |",
                                        grid,
                                        grid * grid,
                                        direct.status(),
                                        direct.iterations()));
            }
        }
    }

    @Test
    void aMissingOrMismatchedDcdmModelIsRejectedNamingIt(@TempDir Path dir) throws Exception {
        StringWriter missing = new StringWriter();
        Path absent = dir.resolve("none-0000.params");
        assertThat(
                        run(
                                new StringWriter(),
                                missing,
                                "bench-solvers",
                                "--dcdm-model",
                                absent.toString()))
                .isEqualTo(2);
        assertThat(missing.toString())
                .contains("--dcdm-model: DCDM model " + absent, "expected an existing");

        Path params = tinyModel(dir);
        StringWriter wide = new StringWriter();
        assertThat(
                        run(
                                new StringWriter(),
                                wide,
                                "bench-solvers",
                                "--dcdm-model",
                                params.toString(),
                                "--dcdm-filters",
                                "3"))
                .isEqualTo(2);
        assertThat(wide.toString()).contains("does not load as a DcdmNetwork with 3 filters");

        StringWriter odd = new StringWriter();
        assertThat(
                        run(
                                new StringWriter(),
                                odd,
                                "bench-solvers",
                                "--sizes",
                                "7",
                                "--dcdm-model",
                                params.toString()))
                .isEqualTo(2);
        assertThat(odd.toString()).contains("--sizes must be even with --dcdm-model");
    }

    /** A 2-filter DCDM network trained for one epoch at 8², saved as descent dcdm saves it. */
    private static Path tinyModel(Path dir) throws Exception {
        DcdmExperiment.Settings settings =
                new DcdmExperiment.Settings(8, 2, 20, 20, 1, 10, 1e-3, 1, new int[] {8}, 1);
        try (Model model = DcdmExperiment.train(settings, steps -> {}).model()) {
            model.save(dir, "dcdm");
        }
        return dir.resolve("dcdm-0000.params");
    }

    @Test
    void aToleranceOutsideTheOpenUnitIntervalIsRejectedWithTheValues() {
        StringWriter err = new StringWriter();

        assertThat(run(new StringWriter(), err, "bench-solvers", "--tolerances", "1e-4,1"))
                .isEqualTo(2);

        assertThat(err.toString()).contains("--tolerances must be in (0, 1), got [1.0E-4, 1.0]");
    }

    @Test
    void aGridTooSmallIsRejectedWithTheValues() {
        StringWriter err = new StringWriter();

        assertThat(run(new StringWriter(), err, "bench-solvers", "--sizes", "1")).isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "--rounds, --threads and --dcdm-filters must be >= 1 and --matvec-grid and"
                                + " --sizes >= 2, got 5, 1, 16, 100 and [1]");
    }
}
