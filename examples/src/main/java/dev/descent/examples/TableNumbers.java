package dev.descent.examples;

import java.util.Locale;

/**
 * How the result tables of the {@code descent} commands print a measured number (a loss, a score, a
 * time): with a fixed number of decimals while that keeps at least two significant digits, and in
 * scientific notation otherwise, so that a loss of 1e-5 reads {@code 1.000e-05}, not {@code
 * 0.0000}.
 *
 * <ul>
 *   <li>{@code 10^(1 − decimals) ≤ |x| < 10^6}: {@code decimals} places, e.g. {@code 0.1234},
 *       {@code 1234.5000} (4 decimals);
 *   <li>any other non-zero finite x: scientific with {@code decimals − 1} places in the mantissa,
 *       e.g. {@code 1.000e-05}, {@code 2.500e+07};
 *   <li>{@code 0}, {@code NaN}, {@code Infinity}, {@code -Infinity}: as such.
 * </ul>
 */
final class TableNumbers {

    /** The decimals of losses and scores in the tables. */
    static final int DECIMALS = 4;

    private static final double LARGE = 1e6;

    private TableNumbers() {}

    /**
     * Formats a number with {@link #DECIMALS} decimals (see the class comment).
     *
     * @param x the number
     * @return the text
     */
    static String format(double x) {
        return format(x, DECIMALS);
    }

    /**
     * Formats a number (see the class comment).
     *
     * @param x the number
     * @param decimals the decimals of the fixed notation, {@code >= 1}
     * @return the text
     */
    static String format(double x, int decimals) {
        if (decimals < 1) {
            throw new IllegalArgumentException("decimals must be >= 1, got " + decimals);
        }
        if (x == 0) {
            return "0";
        }
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        double magnitude = Math.abs(x);
        if (magnitude >= Math.pow(10, 1 - decimals) && magnitude < LARGE) {
            return String.format(Locale.ROOT, "%." + decimals + "f", x);
        }
        return String.format(Locale.ROOT, "%." + (decimals - 1) + "e", x);
    }
}
