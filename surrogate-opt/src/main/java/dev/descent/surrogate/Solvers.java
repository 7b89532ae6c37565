package dev.descent.surrogate;

import dev.descent.surrogate.attack.AttackSearch;
import dev.descent.surrogate.baseline.BobyqaSolver;
import dev.descent.surrogate.baseline.CmaEsSolver;
import dev.descent.surrogate.baseline.ProjectedGradientAscent;
import dev.descent.surrogate.baseline.RandomLineSearch;
import dev.descent.surrogate.dsm.CoveringDirectSearch;
import dev.descent.surrogate.hybrid.Alternation;
import dev.descent.surrogate.hybrid.HybridSearch;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every solver of the module with its reference defaults, by {@link SurrogateSolver#name()}: {@code
 * hybrid}, {@code hybrid-always-dsm}, {@code cdsm}, {@code attacks}, {@code random-line-search},
 * {@code gradient-ascent}, {@code cma-es}, {@code bobyqa}.
 */
public final class Solvers {

    private Solvers() {}

    /**
     * Returns one instance of each solver with its defaults.
     *
     * @return the solvers, the hybrid first
     */
    public static List<SurrogateSolver> all() {
        return List.of(
                HybridSearch.builder().build(),
                named(
                        "hybrid-always-dsm",
                        HybridSearch.builder().optAlternation(Alternation.ALWAYS_DSM).build()),
                CoveringDirectSearch.builder().build(),
                AttackSearch.defaults(),
                RandomLineSearch.defaults(),
                ProjectedGradientAscent.defaults(),
                new CmaEsSolver(),
                BobyqaSolver.defaults());
    }

    /**
     * Returns the solver of that name with its defaults.
     *
     * @param name a name listed in the class doc
     * @return the solver
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SurrogateSolver byName(String name) {
        List<SurrogateSolver> all = all();
        for (SurrogateSolver s : all) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown solver '"
                        + name
                        + "', known: "
                        + all.stream()
                                .map(SurrogateSolver::name)
                                .collect(Collectors.joining(", ")));
    }

    /**
     * Returns a solver under another name (for variants of one class in tables).
     *
     * @param name the new name
     * @param solver the solver
     * @return the renamed solver
     */
    public static SurrogateSolver named(String name, SurrogateSolver solver) {
        return new SurrogateSolver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SurrogateResult solve(SurrogateProblem problem, Limits limits, long seed) {
                SurrogateResult r = solver.solve(problem, limits, seed);
                return new SurrogateResult(
                        name,
                        r.status(),
                        r.best(),
                        r.bestFeasible(),
                        r.history(),
                        r.forwardPasses(),
                        r.iterations(),
                        r.elapsed());
            }
        };
    }
}
