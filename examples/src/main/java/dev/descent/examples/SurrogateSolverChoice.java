package dev.descent.examples;

import dev.descent.surrogate.SurrogateSolver;
import dev.descent.surrogate.dsm.CoveringDirectSearch;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The solvers {@code descent surrogate optimize} and {@code descent surrogate benchmark} can run,
 * each at its library defaults (see each solver's Javadoc).
 */
enum SurrogateSolverChoice {
    /** Covering direct search alone. */
    CDSM(
            "cdsm",
            "covering direct search (cDSM) alone",
            () -> CoveringDirectSearch.builder().build());

    private final String cliName;
    private final String description;
    private final Supplier<SurrogateSolver> factory;

    SurrogateSolverChoice(String cliName, String description, Supplier<SurrogateSolver> factory) {
        this.cliName = cliName;
        this.description = description;
        this.factory = factory;
    }

    /**
     * Returns the name on the command line.
     *
     * @return e.g. {@code hybrid}
     */
    String cliName() {
        return cliName;
    }

    /**
     * Returns what the solver is.
     *
     * @return one line
     */
    String description() {
        return description;
    }

    /**
     * Creates a fresh solver.
     *
     * @return the solver
     */
    SurrogateSolver create() {
        return factory.get();
    }

    /**
     * Parses a command-line name.
     *
     * @param name the name, case-insensitive
     * @return the choice
     * @throws IllegalArgumentException listing the names if none matches
     */
    static SurrogateSolverChoice parse(String name) {
        for (SurrogateSolverChoice c : values()) {
            if (c.cliName.equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown algorithm '" + name + "'; expected one of " + names());
    }

    /**
     * Returns every name, comma-separated.
     *
     * @return the names
     */
    static String names() {
        return Arrays.stream(values()).map(c -> c.cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
