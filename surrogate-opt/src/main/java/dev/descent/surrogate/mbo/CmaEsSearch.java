package dev.descent.surrogate.mbo;

import dev.descent.onnx.Surrogate;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.Well19937c;

/**
 * CMA-ES on a trained surrogate, one run from each of the best designs — the Design-Bench baseline,
 * with Hipparchus' {@link CMAESOptimizer} as the evolution strategy.
 *
 * <p>For each standardized top design {@code x₀}: maximize {@code μ(x)} by CMA-ES with initial step
 * {@code sigma} in every coordinate, the default population {@code 4 + ⌊3 ln n⌋}, at most {@code
 * iterations} generations, no bounds; propose its best point. Seeds: run i uses {@code new
 * Well19937c(seed·1000 + i)}.
 *
 * <p>Reference: brandontrabucco/design-baselines {@code cma_es} (pycma); defaults there: sigma 0.5,
 * 100 iterations, 128 runs from the top-128, an ensemble of 5 bootstrapped 256-wide models. Paper:
 * Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv 1604.00772).
 *
 * <p>Deviations from the reference: one surrogate instead of a bootstrap ensemble; Hipparchus'
 * CMA-ES (its own stopping rules besides the iteration limit) instead of pycma. Where pycma stops
 * on flat fitness, Hipparchus grows σ every flat generation; on a plateau of the surrogate around
 * the best point that ends, after thousands of generations, in a covariance matrix it cannot
 * decompose ("convergence failed"): such a run stops there and proposes the best point it
 * evaluated.
 */
public final class CmaEsSearch implements OfflineOptimizer {

    private final double sigma;
    private final int iterations;

    /**
     * Creates the optimizer.
     *
     * @param sigma the initial step in standardized units, {@code > 0} (reference 0.5)
     * @param iterations the generation limit per run, {@code >= 1} (reference 100)
     */
    public CmaEsSearch(double sigma, int iterations) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.sigma = sigma;
        this.iterations = iterations;
    }

    @Override
    public String name() {
        return "cma-es";
    }

    @Override
    public Proposal propose(OfflineDataset data, SurrogateTraining training, int count, long seed) {
        try (TrainedSurrogate s = training.train(data, seed * 1000)) {
            Standardization scale = s.designScale();
            double[][] starts = OfflineOptimizer.starts(data, scale, count);
            return new Proposal(scale.invert(search(s, starts, seed)), s.sharpness(SHARPNESS_RHO));
        }
    }

    /**
     * Runs one CMA-ES from each start on a surrogate whose output column 0 is the score.
     *
     * @param surrogate the surrogate
     * @param starts the starting points; not modified
     * @param seed the seed of the runs
     * @return the best point of each run
     */
    public double[][] search(Surrogate surrogate, double[][] starts, long seed) {
        int n = starts[0].length;
        int population = 4 + (int) Math.floor(3 * Math.log(n));
        double[] sigmas = new double[n];
        java.util.Arrays.fill(sigmas, sigma);
        double[][] best = new double[starts.length][];
        for (int i = 0; i < starts.length; i++) {
            CMAESOptimizer cma =
                    new CMAESOptimizer(
                            iterations,
                            0,
                            true,
                            0,
                            0,
                            new Well19937c(seed * 1000 + i),
                            false,
                            null);
            PointValuePair[] seen = {null};
            ObjectiveFunction objective =
                    new ObjectiveFunction(
                            x -> {
                                double v = surrogate.evaluate(new double[][] {x})[0][0];
                                if (seen[0] == null || v > seen[0].getValue()) {
                                    seen[0] = new PointValuePair(x, v);
                                }
                                return v;
                            });
            try {
                best[i] =
                        cma.optimize(
                                        new MaxEval(iterations * population + population),
                                        objective,
                                        GoalType.MAXIMIZE,
                                        new InitialGuess(starts[i]),
                                        SimpleBounds.unbounded(n),
                                        new CMAESOptimizer.Sigma(sigmas),
                                        new CMAESOptimizer.PopulationSize(population))
                                .getPoint();
            } catch (MathIllegalStateException e) {
                // the covariance matrix could not be decomposed: stop as on flat fitness
                best[i] = seen[0].getPoint();
            }
        }
        return best;
    }
}
