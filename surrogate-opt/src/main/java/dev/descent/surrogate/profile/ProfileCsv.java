package dev.descent.surrogate.profile;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Writes profiles as CSV, one row per step of each solver's step function:
 *
 * <pre>
 * profile,tau,solver,x,fraction
 * data,0.001,hybrid,0,0
 * data,0.001,hybrid,1.5,0.25
 * ...
 * data,0.001,hybrid,Infinity,0.75
 * </pre>
 *
 * For each profile and solver the first row is x = 0 with fraction 0 for a data profile (x = 1 for
 * a performance profile, with the fraction of instances on which the solver was fastest or tied),
 * then one row at each distinct finite cost with the fraction reached there, and a last row at x =
 * Infinity with the fraction solved within the budget. Numbers use {@link Double#toString}.
 */
public final class ProfileCsv {

    /** The header line. */
    public static final String HEADER = "profile,tau,solver,x,fraction";

    private ProfileCsv() {}

    /**
     * Writes the header and the rows of each profile.
     *
     * @param profiles the profiles, in order
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public static void write(List<Profile> profiles, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (Profile p : profiles) {
            String kind = p.kind().name().toLowerCase(Locale.ROOT);
            for (String solver : p.solvers()) {
                double start = p.kind() == Profile.Kind.DATA ? 0 : 1;
                row(out, kind, p.tau(), solver, start, p.fraction(solver, start));
                double previous = start;
                for (double x : p.steps(solver)) {
                    if (x > previous) {
                        row(out, kind, p.tau(), solver, x, p.fraction(solver, x));
                        previous = x;
                    }
                }
                row(out, kind, p.tau(), solver, Double.POSITIVE_INFINITY, p.solvedFraction(solver));
            }
        }
    }

    private static void row(
            Writer out, String kind, double tau, String solver, double x, double fraction)
            throws IOException {
        out.write(kind + "," + tau + "," + solver + "," + x + "," + fraction + "\n");
    }
}
