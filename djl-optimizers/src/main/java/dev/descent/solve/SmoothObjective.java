package dev.descent.solve;

/**
 * The smooth part {@code f} of a composite problem {@code min f(x) + P(x)} ({@link
 * ProximalGradient}, {@link ProximalConjugateGradient}), on the host in float64.
 */
public interface SmoothObjective {

    /**
     * The number of unknowns.
     *
     * @return the dimension of x
     */
    int dimension();

    /**
     * Evaluates {@code f(x)} and writes {@code ∇f(x)}.
     *
     * @param x the point, of length {@link #dimension()} (not modified)
     * @param gradient receives {@code ∇f(x)} (modified), of length {@link #dimension()}
     * @return {@code f(x)}
     */
    double valueAndGradient(double[] x, double[] gradient);
}
