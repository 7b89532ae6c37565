package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.solve.ShiftedLaplacianSequence.OffsetLaw;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Learning-to-Relax reproduction. Reference means: {@code reference/relax_numpy.csv}, an
 * independent numpy re-run of the reference's setting (4000 instances per law, mean and standard
 * deviation of the SOR count of every arm and of ω*; made by {@code relax_numpy.py} beside it, see
 * its docstring).
 */
class RelaxExperimentTest {

    /** The short high-variance run (T = 300, seed 13) both default tests read, made once. */
    private static final class ShortRun {
        static final RelaxExperiment.Outcome HIGH =
                RelaxExperiment.sequence(OffsetLaw.HIGH_VARIANCE, 300, 13, () -> {});
    }

    /** One row of the numpy reference: mean and sample standard deviation over its instances. */
    private record Reference(int instances, double mean, double deviation) {}

    private static Map<String, Reference> reference() throws IOException {
        Map<String, Reference> rows = new HashMap<>();
        try (InputStream in =
                RelaxExperimentTest.class.getResourceAsStream("/reference/relax_numpy.csv")) {
            assertThat(in).as("reference/relax_numpy.csv on the test classpath").isNotNull();
            List<String> lines =
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                rows.put(
                        f[0] + " " + f[1],
                        new Reference(
                                Integer.parseInt(f[2]),
                                Double.parseDouble(f[3]),
                                Double.parseDouble(f[4])));
            }
        }
        return rows;
    }

    /**
     * Every arm's mean and ω*'s mean of a short high-variance run (T = 300) against the numpy
     * re-run: within 3 standard errors of the difference of two independent means, 3 √(σ²/300 +
     * σ²/N) with σ and N from the numpy file. (At T = 300 the heavy-tailed arms cannot meet the
     * issue's 5%: σ = 700 at ω = 1 gives a standard error of 7% on the Java mean alone; the 5% band
     * is checked at T = 5000 in the slow test.)
     */
    @Test
    void shortRunMeansAgreeWithTheNumpyRerun() throws IOException {
        Map<String, Reference> ref = reference();
        RelaxExperiment.Outcome o = ShortRun.HIGH;
        for (double omega : RelaxExperiment.ARMS) {
            Reference r = ref.get(String.format(Locale.ROOT, "high %.2f", omega));
            assertWithinStandardErrors(o.armMean(omega), r, 300, "ω = " + omega);
        }
        assertWithinStandardErrors(o.total(OPTIMAL) / 300.0, ref.get("high opt"), 300, "ω*");
    }

    private static void assertWithinStandardErrors(
            double mean, Reference r, int instances, String what) {
        double se =
                Math.sqrt(
                        r.deviation() * r.deviation() / instances
                                + r.deviation() * r.deviation() / r.instances());
        assertThat(mean).as(what).isCloseTo(r.mean(), within(3 * se));
    }

    private static final String TSALLIS = RelaxExperiment.TSALLIS;
    private static final String CHEB = RelaxExperiment.CHEB;
    private static final String OPTIMAL = RelaxExperiment.OPTIMAL;

    /**
     * A short high-variance run (T = 300): the orderings ω* &lt; best fixed ω &lt; Tsallis-INF &lt;
     * ω = 1 and ChebCB &lt; Tsallis-INF.
     */
    @Test
    void shortRunKeepsTheOrderings() {
        RelaxExperiment.Outcome o = ShortRun.HIGH;
        long best = o.armTotals()[o.bestArm()];
        assertThat(o.total(OPTIMAL)).isLessThan(best);
        assertThat(best).isLessThan(o.total(TSALLIS));
        assertThat(o.total(TSALLIS)).isLessThan(o.armTotals()[0]);
        assertThat(o.total(CHEB)).isLessThan(o.total(TSALLIS));
        assertThat(RelaxExperiment.ARMS[o.bestArm()]).isBetween(1.7, 1.85);
    }

    /**
     * The heat task's SSOR-PCG rule is MATLAB pcg's ‖b − Ax‖ / ‖b‖ &lt; 1e-8 from the warm start:
     * on a step at κ ≈ 10 (t = 0.75) the returned state meets it on the true residual, and it takes
     * no more iterations than the stricter ‖r‖ / ‖r₀‖ &lt; 1e-8 from the same start.
     */
    @Test
    void heatSsorPcgStopsOnTheResidualRelativeToB() {
        dev.descent.solve.HeatEquation2d pde = new dev.descent.solve.HeatEquation2d(16, 1e-3);
        for (int t = 0; t < 750; t++) {
            dev.descent.solve.HeatEquation2d.Step s = pde.step();
            pde.advance(
                    new dev.descent.solve.ConjugateGradient()
                            .solve(s.matrix(), s.rhs(), pde.state(), RelaxExperiment.RULE)
                            .solution());
        }
        dev.descent.solve.HeatEquation2d.Step s = pde.step();
        double[] x0 = pde.state();
        dev.descent.solve.SolveResult r = RelaxExperiment.HeatSolver.SSOR_PCG.solve(1.4, s, x0);
        double[] ax = s.matrix().multiply(r.solution());
        double res = 0;
        double nb = 0;
        for (int i = 0; i < ax.length; i++) {
            res += (s.rhs()[i] - ax[i]) * (s.rhs()[i] - ax[i]);
            nb += s.rhs()[i] * s.rhs()[i];
        }
        assertThat(Math.sqrt(res / nb)).isLessThan(1e-8);
        int strict =
                new dev.descent.solve.SsorPcg(1.4)
                        .solve(s.matrix(), s.rhs(), x0, RelaxExperiment.RULE)
                        .iterations();
        assertThat(r.iterations()).isPositive().isLessThanOrEqualTo(strict);
    }

    /** The command end to end on a tiny run: report and chart written, one row per arm. */
    @Test
    void commandWritesItsReport(@TempDir Path dir) throws Exception {
        CommandLine cli = DescentCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status =
                cli.execute(
                        "relax",
                        "--instances",
                        "20",
                        "--heat-steps",
                        "20",
                        "--heat-nx",
                        "8",
                        "--no-progress",
                        "-o",
                        dir.toString());
        assertThat(status).as(err.toString()).isZero();
        String report = Files.readString(dir.resolve("results.md"));
        assertThat(report)
                .contains(
                        "## high variance, T = 20",
                        "## low variance, T = 20",
                        "## heat equation, SSOR-PCG, nx = 8, T = 20",
                        "## heat equation, SOR, nx = 8, T = 20")
                .containsPattern(
                        "\\| best fixed ω = 1\\.\\d\\d \\(hindsight\\) \\| \\d+ \\| 1\\.000 \\|")
                .containsPattern("\\| ChebCB \\| \\d+ \\| \\d\\.\\d{3} \\|")
                .contains("| 1.95 |");
        assertThat(Files.size(dir.resolve("relax.png"))).isGreaterThan(10_000);
        assertThat(cli.execute("relax", "--instances", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--instances must be >= 1");
    }

    /**
     * The full reproduction (T = 5000 per law, about 10 minutes on one core): the claims.
     * The per-ω means of the issue (high variance ω = 1.0, 1.8, ω*; low variance ω = 1.6, ω*)
     * within 5% of the 4000-instance numpy means; the standard error of that difference is
     * √(σ²/5000 + σ²/4000), at most 2.5% (ω = 1.0, σ ≈ 700 for a mean near 600), so 5% is the
     * issue's band and at least two standard errors. Tsallis-INF's total within 20% of the best
     * fixed ω; ChebCB's total closer to the instance-optimal total than the best fixed ω's.
     */
    @Test
    @Tag("slow")
    void fullReproductionMeetsTheClaims() throws IOException {
        Map<String, Reference> ref = reference();
        RelaxExperiment.Outcome high =
                RelaxExperiment.sequence(OffsetLaw.HIGH_VARIANCE, 5000, 13, () -> {});
        RelaxExperiment.Outcome low =
                RelaxExperiment.sequence(OffsetLaw.LOW_VARIANCE, 5000, 13, () -> {});
        assertWithinFivePercent(high.armMean(1.0), ref.get("high 1.00"), "high, ω = 1.0");
        assertWithinFivePercent(high.armMean(1.8), ref.get("high 1.80"), "high, ω = 1.8");
        assertWithinFivePercent(high.total(OPTIMAL) / 5000.0, ref.get("high opt"), "high, ω*");
        assertWithinFivePercent(low.armMean(1.6), ref.get("low 1.60"), "low, ω = 1.6");
        assertWithinFivePercent(low.total(OPTIMAL) / 5000.0, ref.get("low opt"), "low, ω*");
        for (RelaxExperiment.Outcome o : new RelaxExperiment.Outcome[] {high, low}) {
            long best = o.armTotals()[o.bestArm()];
            assertThat((double) o.total(TSALLIS)).as(o.setting()).isLessThanOrEqualTo(1.2 * best);
            assertThat(o.total(CHEB) - o.total(OPTIMAL))
                    .as(o.setting())
                    .isLessThan(best - o.total(OPTIMAL));
        }
    }

    private static void assertWithinFivePercent(double mean, Reference r, String what) {
        assertThat(mean).as(what).isCloseTo(r.mean(), within(0.05 * r.mean()));
    }
}
