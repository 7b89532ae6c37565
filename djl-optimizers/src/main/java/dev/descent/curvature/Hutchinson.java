package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.SplittableRandom;

/**
 * Hutchinson's estimators of the trace and the diagonal of a symmetric operator from products with
 * Rademacher vectors v (entries ±1): {@code E[vᵀAv] = Tr(A)} and {@code E[v ⊙ Av] = diag(A)}.
 *
 * <p>Stopping rule (PyHessian's): after each sample, stop when the running mean changed by less
 * than {@code relativeTolerance} relative to its previous value ({@code |m_k − m_{k−1}| ≤
 * tol·(|m_{k−1}| + 1e-6)}; for the diagonal in Euclidean norm), or when {@code maxSamples} are
 * drawn. Defaults: tolerance 1e-3, 100 samples. Probes come from a seeded {@link SplittableRandom},
 * so the same seed gives the same estimate.
 *
 * <p>Paper: Hutchinson, "A stochastic estimator of the trace of the influence matrix for Laplacian
 * smoothing splines", 1989; practice of Yao et al., "PyHessian", arXiv:1912.07145.
 */
public final class Hutchinson {

    /** The default relative tolerance of the stopping rule. */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    /** The default sample budget. */
    public static final int DEFAULT_MAX_SAMPLES = 100;

    private Hutchinson() {}

    /**
     * Estimates the trace with the default tolerance and budget.
     *
     * @param op the operator
     * @param seed the seed of the probes
     * @return the estimate
     */
    public static Estimate trace(SymmetricOperator op, long seed) {
        return trace(op, seed, DEFAULT_MAX_SAMPLES, DEFAULT_TOLERANCE);
    }

    /**
     * Estimates the trace.
     *
     * @param op the operator
     * @param seed the seed of the probes
     * @param maxSamples the sample budget, {@code >= 1}
     * @param relativeTolerance the stopping tolerance, {@code >= 0} (0: use the whole budget)
     * @return the estimate
     */
    public static Estimate trace(
            SymmetricOperator op, long seed, int maxSamples, double relativeTolerance) {
        check(maxSamples, relativeTolerance);
        SplittableRandom random = new SplittableRandom(seed);
        double sum = 0;
        double sumOfSquares = 0;
        double previous = Double.NaN;
        int n = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            while (n < maxSamples) {
                double sample;
                try (NDScope scope = new NDScope()) {
                    NDArray v = Vectors.rademacher(op, manager, random);
                    sample = Vectors.dot(v, op.apply(v));
                }
                n++;
                sum += sample;
                sumOfSquares += sample * sample;
                double mean = sum / n;
                if (n > 1
                        && Math.abs(mean - previous)
                                <= relativeTolerance * (Math.abs(previous) + 1e-6)) {
                    previous = mean;
                    break;
                }
                previous = mean;
            }
        }
        return new Estimate(previous, standardError(sum, sumOfSquares, n), n);
    }

    /**
     * A diagonal estimate: the mean and the standard error of each element.
     *
     * @param mean the estimated diagonal
     * @param standardError the standard error of each element
     * @param samples the number of probes
     */
    public record Diagonal(NDArray mean, NDArray standardError, int samples) {}

    /**
     * Estimates the diagonal.
     *
     * @param op the operator
     * @param manager the manager that will own the result
     * @param seed the seed of the probes
     * @param maxSamples the sample budget, {@code >= 1}
     * @param relativeTolerance the stopping tolerance on the mean vector, {@code >= 0}
     * @return the estimate
     */
    public static Diagonal diagonal(
            SymmetricOperator op,
            NDManager manager,
            long seed,
            int maxSamples,
            double relativeTolerance) {
        check(maxSamples, relativeTolerance);
        SplittableRandom random = new SplittableRandom(seed);
        NDArray sum = op.zeros(manager);
        NDArray sumOfSquares = op.zeros(manager);
        NDArray previous = null;
        int n = 0;
        while (n < maxSamples) {
            try (NDScope scope = new NDScope()) {
                NDArray v = Vectors.rademacher(op, manager, random);
                NDArray sample = v.mul(op.apply(v));
                sum.addi(sample);
                sumOfSquares.addi(sample.mul(sample));
                n++;
                NDArray mean = sum.div(n);
                boolean converged = false;
                if (previous != null) {
                    double change = Vectors.norm(mean.sub(previous));
                    converged = change <= relativeTolerance * (Vectors.norm(previous) + 1e-6);
                    previous.close();
                }
                previous = mean;
                NDScope.unregister(previous);
                if (converged) {
                    break;
                }
            }
        }
        // standard error per element: sqrt((Σx² − n·m²)/(n − 1)/n)
        NDArray standardError;
        if (n > 1) {
            standardError =
                    sumOfSquares.sub(previous.mul(previous).mul(n)).div((double) (n - 1) * n);
            standardError = standardError.maximum(0).sqrt();
        } else {
            standardError = previous.zerosLike();
        }
        sum.close();
        sumOfSquares.close();
        return new Diagonal(previous, standardError, n);
    }

    private static void check(int maxSamples, double relativeTolerance) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
        }
        if (!(relativeTolerance >= 0)) {
            throw new IllegalArgumentException(
                    "relativeTolerance must be >= 0, got " + relativeTolerance);
        }
    }

    private static double standardError(double sum, double sumOfSquares, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / n);
    }
}
