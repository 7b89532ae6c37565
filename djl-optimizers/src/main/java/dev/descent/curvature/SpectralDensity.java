package dev.descent.curvature;

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature: for each of {@code
 * probes} seeded Rademacher starts, m Lanczos steps give nodes θ_k (Ritz values) and weights τ_k
 * (squared first components of T's eigenvectors); the density is the average of {@code Σ_k τ_k·N(t;
 * θ_k, σ²)} over probes (Gaussian broadening of width σ).
 *
 * <p>Paper: Ghorbani, Krishnan, Xiao, "An Investigation into Neural Net Optimization via Hessian
 * Eigenvalue Density", arXiv:1901.10159; Yao et al., "PyHessian", arXiv:1912.07145 (100 steps).
 *
 * @param nodes the Ritz values of every probe
 * @param weights their quadrature weights (each probe's sum to 1)
 * @param probes the number of probes
 */
public record SpectralDensity(double[] nodes, double[] weights, int probes) {

    /**
     * Runs stochastic Lanczos quadrature.
     *
     * @param op the operator
     * @param steps Lanczos steps per probe (PyHessian: 100), at most the dimension
     * @param probes the number of probes, {@code >= 1}
     * @param seed the seed of the first probe (probe i uses seed + i)
     * @return the quadrature
     */
    public static SpectralDensity estimate(SymmetricOperator op, int steps, int probes, long seed) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be >= 1, got " + probes);
        }
        java.util.List<Double> nodes = new java.util.ArrayList<>();
        java.util.List<Double> weights = new java.util.ArrayList<>();
        for (int p = 0; p < probes; p++) {
            Eigenvalues.Lanczos run = Eigenvalues.lanczos(op, steps, seed + p);
            for (int k = 0; k < run.ritzValues().length; k++) {
                nodes.add(run.ritzValues()[k]);
                weights.add(run.firstComponents()[k] * run.firstComponents()[k]);
            }
        }
        return new SpectralDensity(
                nodes.stream().mapToDouble(Double::doubleValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(),
                probes);
    }

    /**
     * Evaluates the broadened density.
     *
     * @param t where
     * @param sigma the broadening width, {@code > 0}
     * @return the density at t (it integrates to 1 over the real line)
     */
    public double density(double t, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        double sum = 0;
        for (int k = 0; k < nodes.length; k++) {
            double z = (t - nodes[k]) / sigma;
            sum += weights[k] * Math.exp(-0.5 * z * z);
        }
        return sum / (probes * sigma * Math.sqrt(2 * Math.PI));
    }
}
