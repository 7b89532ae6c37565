package dev.descent.solve;

/**
 * The variables of a {@link ConvexReluProgram}: {@code v[i]} and {@code w[i]} (each of length d)
 * for every pattern i. The arrays are held, not copied.
 *
 * @param v the positive-output groups, P × d
 * @param w the negative-output groups, P × d
 */
public record ConvexReluSolution(double[][] v, double[][] w) {

    /**
     * Checks that both arrays are present and of the same height.
     *
     * @throws IllegalArgumentException when one is null or the heights differ
     */
    public ConvexReluSolution {
        if (v == null || w == null) {
            throw new IllegalArgumentException("v and w must not be null");
        }
        if (v.length != w.length) {
            throw new IllegalArgumentException(
                    "v and w must have the same number of groups, got "
                            + v.length
                            + " and "
                            + w.length);
        }
    }

    /** The all-zero point for P patterns of dimension d. */
    public static ConvexReluSolution zeros(int patterns, int dimension) {
        return new ConvexReluSolution(
                new double[patterns][dimension], new double[patterns][dimension]);
    }

    /** The number of groups (of v and of w) that are not exactly zero. */
    public int nonzeroGroups() {
        int count = 0;
        for (int i = 0; i < v.length; i++) {
            count += ConvexReluProgram.norm(v[i]) > 0 ? 1 : 0;
            count += ConvexReluProgram.norm(w[i]) > 0 ? 1 : 0;
        }
        return count;
    }
}
