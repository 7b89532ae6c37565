package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Extreme eigenvalues of a symmetric operator from matrix-vector products.
 *
 * <p><b>Power iteration with deflation</b> (PyHessian's practice): for the i-th eigenvalue start
 * from a seeded Gaussian vector; repeat {@code v ← v − Σ_j (vᵀu_j)u_j} (deflating the eigenvectors
 * already found), {@code λ = vᵀAv}, {@code v ← Av/‖Av‖} until {@code |λ_k − λ_{k−1}| ≤
 * tol·(|λ_{k−1}| + 1e-6)} (default 1e-3) or 100 iterations. Finds the eigenvalues largest in
 * magnitude.
 *
 * <p><b>Lanczos with full reorthogonalization</b>: m steps build an orthonormal basis Q and a
 * tridiagonal T = QᵀAQ ({@code w = Aq_j − β_{j−1}q_{j−1}}, {@code α_j = wᵀq_j}, w orthogonalized
 * twice against every previous q, {@code β_j = ‖w‖}); the eigenvalues of T (Ritz values, computed
 * on the host with EJML) approximate the extreme eigenvalues of A, and T's eigenvectors' first
 * components give the quadrature weights of {@link SpectralDensity}. Stops early when {@code β_j}
 * falls below 1e-10·|α|max (an invariant subspace was found).
 *
 * <p>Paper: Lanczos 1950; Golub and Van Loan, "Matrix Computations", §10.1; Yao et al.,
 * "PyHessian", arXiv:1912.07145.
 */
public final class Eigenvalues {

    private Eigenvalues() {}

    /**
     * Eigenpairs found by power iteration.
     *
     * @param values the eigenvalues, in the order found (decreasing magnitude)
     * @param vectors the unit eigenvectors, owned by the caller's manager
     * @param iterations the iterations each took
     */
    public record Power(double[] values, List<NDArray> vectors, int[] iterations) {}

    /**
     * The top-k eigenvalues (by magnitude) by power iteration with deflation.
     *
     * @param op the operator
     * @param k how many, {@code 1 <= k <= dimension}
     * @param manager the manager that will own the eigenvectors
     * @param seed the seed of the starting vectors
     * @param tolerance the relative change that stops an iteration, {@code >= 0}
     * @param maxIterations the iteration budget per eigenvalue, {@code >= 1}
     * @return the eigenpairs
     */
    public static Power power(
            SymmetricOperator op,
            int k,
            NDManager manager,
            long seed,
            double tolerance,
            int maxIterations) {
        checkCount("k", k, op);
        if (!(tolerance >= 0) || maxIterations < 1) {
            throw new IllegalArgumentException(
                    "tolerance must be >= 0 and maxIterations >= 1, got "
                            + tolerance
                            + " and "
                            + maxIterations);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[k];
        int[] iterations = new int[k];
        List<NDArray> vectors = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            try (NDScope scope = new NDScope()) {
                NDArray v = Vectors.gaussian(op, manager, random);
                v = v.div(Vectors.norm(v));
                double lambda = Double.NaN;
                int it = 0;
                while (it < maxIterations) {
                    it++;
                    v = orthogonalize(v, vectors);
                    NDArray av = op.apply(v);
                    double next = Vectors.dot(v, av);
                    double n = Vectors.norm(av);
                    v = n == 0 ? v : av.div(n);
                    boolean done =
                            !Double.isNaN(lambda)
                                    && Math.abs(next - lambda)
                                            <= tolerance * (Math.abs(lambda) + 1e-6);
                    lambda = next;
                    if (done || n == 0) {
                        break;
                    }
                }
                values[i] = lambda;
                iterations[i] = it;
                NDScope.unregister(v);
                vectors.add(v);
            }
        }
        return new Power(values, vectors, iterations);
    }

    /**
     * The tridiagonal matrix of a Lanczos run and its eigendecomposition.
     *
     * @param alpha the diagonal α_1..α_m
     * @param beta the off-diagonal β_1..β_{m−1}
     * @param ritzValues the eigenvalues of T, ascending
     * @param firstComponents the first component of each (unit) eigenvector of T, in the same order
     */
    public record Lanczos(
            double[] alpha, double[] beta, double[] ritzValues, double[] firstComponents) {

        /**
         * Returns the k largest Ritz values, descending.
         *
         * @param k how many, at most the number of steps
         * @return the values
         */
        public double[] top(int k) {
            int m = ritzValues.length;
            double[] top = new double[Math.min(k, m)];
            for (int i = 0; i < top.length; i++) {
                top[i] = ritzValues[m - 1 - i];
            }
            return top;
        }
    }

    /**
     * Runs m steps of Lanczos with full reorthogonalization from a seeded Rademacher start.
     *
     * @param op the operator
     * @param steps m, {@code 1 <= m <= dimension}
     * @param seed the seed of the start vector
     * @return the tridiagonal matrix and its Ritz values
     */
    public static Lanczos lanczos(SymmetricOperator op, int steps, long seed) {
        checkCount("steps", steps, op);
        SplittableRandom random = new SplittableRandom(seed);
        double[] alpha = new double[steps];
        double[] beta = new double[steps];
        int m = 0;
        try (NDManager manager = NDManager.newBaseManager();
                NDScope scope = new NDScope()) {
            List<NDArray> basis = new ArrayList<>();
            NDArray q = Vectors.rademacher(op, manager, random);
            q = q.div(Vectors.norm(q));
            double largest = 0;
            for (int j = 0; j < steps; j++) {
                basis.add(q);
                NDArray w = op.apply(q);
                if (j > 0) {
                    w = w.sub(basis.get(j - 1).mul(beta[j - 1]));
                }
                alpha[j] = Vectors.dot(w, q);
                largest = Math.max(largest, Math.abs(alpha[j]));
                w = orthogonalize(orthogonalize(w, basis), basis);
                m = j + 1;
                beta[j] = Vectors.norm(w);
                if (j == steps - 1 || beta[j] <= 1e-10 * Math.max(largest, 1e-300)) {
                    break;
                }
                q = w.div(beta[j]);
            }
        }
        double[] a = java.util.Arrays.copyOf(alpha, m);
        double[] b = java.util.Arrays.copyOf(beta, Math.max(0, m - 1));
        return tridiagonalEigen(a, b);
    }

    /** Eigen-decomposes the tridiagonal (α, β) with EJML, eigenvalues ascending. */
    static Lanczos tridiagonalEigen(double[] alpha, double[] beta) {
        int m = alpha.length;
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, alpha[i]);
            if (i + 1 < m) {
                t.set(i, i + 1, beta[i]);
                t.set(i + 1, i, beta[i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(t)) {
            throw new IllegalStateException("eigendecomposition of the Lanczos matrix failed");
        }
        Integer[] order = new Integer[m];
        double[] values = new double[m];
        double[] first = new double[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double[] sorted = new double[m];
        for (int i = 0; i < m; i++) {
            sorted[i] = values[order[i]];
            DMatrixRMaj vector = eig.getEigenVector(order[i]);
            double norm = org.ejml.dense.row.NormOps_DDRM.normF(vector);
            first[i] = vector.get(0) / norm;
        }
        return new Lanczos(alpha, beta, sorted, first);
    }

    private static NDArray orthogonalize(NDArray v, List<NDArray> basis) {
        NDArray result = v;
        for (NDArray u : basis) {
            result = result.sub(u.mul(Vectors.dot(result, u)));
        }
        return result;
    }

    private static void checkCount(String name, int count, SymmetricOperator op) {
        if (count < 1 || count > op.dimension()) {
            throw new IllegalArgumentException(
                    name + " must be in [1, " + op.dimension() + "], got " + count);
        }
    }
}
