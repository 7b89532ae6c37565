package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.descent.solve.ConjugateGradient;
import dev.descent.solve.CsrMatrix;
import dev.descent.solve.Laplacian;
import dev.descent.solve.SsorPcg;
import dev.descent.solve.StoppingRule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
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
                        "--rounds and --threads must be >= 1 and --matvec-grid and --sizes >= 2,"
                                + " got 5, 1, 100 and [1]");
    }
}
