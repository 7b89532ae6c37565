package dev.descent.examples;

import dev.descent.surrogate.bench.SurrogateBenchmark;
import dev.descent.surrogate.profile.ConvergenceTable;
import dev.descent.surrogate.profile.ProblemRecord;
import dev.descent.surrogate.profile.Profile;
import dev.descent.surrogate.profile.ProfileCsv;
import dev.descent.surrogate.profile.Trace;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes what {@code descent surrogate benchmark} measured: {@code runs.csv} (one row per solver,
 * problem and seed), {@code profiles.csv} (see {@link ProfileCsv}), {@code data-profiles.png},
 * {@code performance-profiles.png} and {@code summary.md}.
 */
final class SurrogateBenchmarkReport {

    /** The tolerances of the profiles. */
    static final double[] TAUS = {1e-1, 1e-3, 1e-5};

    /** Budgets, in simplex gradients, at which the summary reads the data profiles. */
    static final double[] KAPPAS = {10, 50};

    /** The files {@link #write} writes into its directory. */
    static final List<String> FILES =
            List.of(
                    "runs.csv",
                    "profiles.csv",
                    "data-profiles.png",
                    "performance-profiles.png",
                    "summary.md");

    private SurrogateBenchmarkReport() {}

    /**
     * Writes every file into a directory (created if needed).
     *
     * @param result the benchmark
     * @param command the command line that produced it, for the summary
     * @param dir the directory
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    static List<Path> write(SurrogateBenchmark.Result result, String command, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        ConvergenceTable table = result.table();
        List<Profile> data = new ArrayList<>();
        List<Profile> performance = new ArrayList<>();
        for (double tau : TAUS) {
            data.add(table.dataProfile(tau));
            performance.add(table.performanceProfile(tau));
        }
        List<Path> files = new ArrayList<>();
        Path runs = dir.resolve("runs.csv");
        try (Writer w = Files.newBufferedWriter(runs, StandardCharsets.UTF_8)) {
            writeRuns(table, w);
        }
        files.add(runs);
        Path profiles = dir.resolve("profiles.csv");
        try (Writer w = Files.newBufferedWriter(profiles, StandardCharsets.UTF_8)) {
            List<Profile> all = new ArrayList<>(data);
            all.addAll(performance);
            ProfileCsv.write(all, w);
        }
        files.add(profiles);
        String title = table.problems().size() + " problems × " + table.seeds().size() + " seeds";
        Path dataPng = dir.resolve("data-profiles.png");
        // every data profile ends at the largest budget, in simplex gradients
        double largestKappa = 0;
        for (SurrogateBenchmark.ProblemSummary p : result.problems()) {
            largestKappa =
                    Math.max(largestKappa, (double) p.budget() / (p.record().dimension() + 1));
        }
        ProfileChart.write(data, title, largestKappa, dataPng);
        files.add(dataPng);
        Path performancePng = dir.resolve("performance-profiles.png");
        ProfileChart.write(performance, title, Double.NaN, performancePng);
        files.add(performancePng);
        Path summary = dir.resolve("summary.md");
        Files.writeString(summary, summary(result, command), StandardCharsets.UTF_8);
        files.add(summary);
        return files;
    }

    private static void writeRuns(ConvergenceTable table, Writer w) throws IOException {
        StringBuilder header = new StringBuilder("solver,problem,seed,evaluations,final_best");
        for (double tau : TAUS) {
            header.append(",evaluations_to_solve_").append(tau);
        }
        w.write(header.append('\n').toString());
        for (ProblemRecord p : table.problems()) {
            for (long seed : table.seeds()) {
                for (String s : table.solvers()) {
                    Trace t = table.trace(s, p.name(), seed);
                    StringBuilder row = new StringBuilder();
                    row.append(s)
                            .append(',')
                            .append(p.name())
                            .append(',')
                            .append(seed)
                            .append(',')
                            .append(t.best().length)
                            .append(',')
                            .append(t.finalBest());
                    for (double tau : TAUS) {
                        row.append(',').append(table.evaluationsToSolve(s, p.name(), seed, tau));
                    }
                    w.write(row.append('\n').toString());
                }
            }
        }
    }

    /**
     * Returns the Markdown summary.
     *
     * @param result the benchmark
     * @param command the command line
     * @return the Markdown text
     */
    static String summary(SurrogateBenchmark.Result result, String command) {
        ConvergenceTable table = result.table();
        SurrogateBenchmark.Settings settings = result.settings();
        StringBuilder md = new StringBuilder("# Surrogate optimization benchmark\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "%d problems × %d seeds = %d instances; budget per problem min(%d, %d·(n +"
                                + " 1)) surrogate forward passes (gradients included); solvers:"
                                + " %s.%n%n",
                        table.problems().size(),
                        table.seeds().size(),
                        table.instanceCount(),
                        settings.maxEvaluations(),
                        settings.evaluationsPerSimplex(),
                        String.join(", ", table.solvers())));
        md.append(
                "A run solves an instance at tolerance τ once its best feasible value f satisfies"
                        + " f ≥ f_L − τ·max(0, f_L − f(x₀)), f_L the larger of the problem's f*"
                        + " and the best value any solver found on it (Moré & Wild, for"
                        + " maximization).\n\n");
        List<String> solvers = table.solvers();
        md.append("## Fraction of instances solved within the budget\n\n");
        md.append(header("solver", TAUS, "τ = "));
        for (String s : solvers) {
            md.append("| ").append(s);
            for (double tau : TAUS) {
                md.append(percent(table.dataProfile(tau).solvedFraction(s)));
            }
            md.append(" |\n");
        }
        for (double kappa : KAPPAS) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%n## Fraction solved within κ = %.0f simplex gradients (%.0f·(n + 1)"
                                    + " evaluations)%n%n",
                            kappa,
                            kappa));
            md.append(header("solver", TAUS, "τ = "));
            for (String s : solvers) {
                md.append("| ").append(s);
                for (double tau : TAUS) {
                    md.append(percent(table.dataProfile(tau).fraction(s, kappa)));
                }
                md.append(" |\n");
            }
        }
        md.append("\n## Fastest or tied for fastest (performance profile at α = 1)\n\n");
        md.append(header("solver", TAUS, "τ = "));
        for (String s : solvers) {
            md.append("| ").append(s);
            for (double tau : TAUS) {
                md.append(percent(table.performanceProfile(tau).fraction(s, 1)));
            }
            md.append(" |\n");
        }
        String first = solvers.get(0);
        if (solvers.size() > 1) {
            md.append("\n## ")
                    .append(first)
                    .append(" against each other solver, instance by instance\n\n");
            md.append(
                    "fewer / more / equal evaluations to solve (an unsolved instance counts as"
                            + " infinitely many; instances neither solved are left out)\n\n");
            md.append(header("against", TAUS, "τ = "));
            for (String s : solvers.subList(1, solvers.size())) {
                md.append("| ").append(s);
                for (double tau : TAUS) {
                    int fewer = 0;
                    int more = 0;
                    int equal = 0;
                    for (ProblemRecord p : table.problems()) {
                        for (long seed : table.seeds()) {
                            double a = table.evaluationsToSolve(first, p.name(), seed, tau);
                            double b = table.evaluationsToSolve(s, p.name(), seed, tau);
                            if (Double.isInfinite(a) && Double.isInfinite(b)) {
                                continue;
                            }
                            if (a < b) {
                                fewer++;
                            } else if (a > b) {
                                more++;
                            } else {
                                equal++;
                            }
                        }
                    }
                    md.append(" | ")
                            .append(fewer)
                            .append(" / ")
                            .append(more)
                            .append(" / ")
                            .append(equal);
                }
                md.append(" |\n");
            }
        }
        md.append("\n## Problems\n\n");
        md.append("| problem | n | budget | f(x₀) | f* | f_L |");
        for (String s : solvers) {
            md.append(' ').append(s).append(" |");
        }
        md.append("\n|---|---|---|---|---|---|");
        md.append("---|".repeat(solvers.size()));
        md.append('\n');
        for (SurrogateBenchmark.ProblemSummary ps : result.problems()) {
            ProblemRecord p = ps.record();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %.5g | %s | %.6g |",
                            p.name(),
                            p.dimension(),
                            ps.budget(),
                            p.startValue(),
                            Double.isNaN(p.knownOptimum())
                                    ? "none found"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.6g (%s)",
                                            p.knownOptimum(),
                                            ps.optimumKind()
                                                            == dev.descent.surrogate.bench
                                                                    .BenchmarkProblem.Optimum
                                                                    .EXACT_ZERO
                                                    ? "exact"
                                                    : "estimated"),
                            table.reference(p.name())));
            for (String s : solvers) {
                double sum = 0;
                int feasible = 0;
                for (long seed : table.seeds()) {
                    double f = table.trace(s, p.name(), seed).finalBest();
                    if (Double.isFinite(f)) {
                        sum += f;
                        feasible++;
                    }
                }
                md.append(
                        feasible == 0
                                ? " - |"
                                : String.format(Locale.ROOT, " %.6g |", sum / feasible));
            }
            md.append('\n');
        }
        md.append(
                "\nSolver columns: the final best feasible value, mean over the seeds that found"
                        + " a feasible point.\n");
        return md.toString();
    }

    private static String header(String first, double[] taus, String prefix) {
        StringBuilder h = new StringBuilder("| ").append(first);
        for (double tau : taus) {
            h.append(" | ").append(prefix).append(String.format(Locale.ROOT, "%.0e", tau));
        }
        h.append(" |\n|---");
        h.append("|---".repeat(taus.length));
        return h.append("|\n").toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, " | %.0f%%", 100 * fraction);
    }
}
