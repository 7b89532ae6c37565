package dev.descent.solve;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Ritz pairs of a symmetric sparse matrix from m steps of Lanczos, in float64 on the host: the
 * basis of DCDM's training data ({@link DcdmTrainingData}).
 *
 * <pre>
 * w₁ = A g / ‖A g‖,  g ~ N(0, I)          (started in range(A), as the reference does)
 * for j = 1..m:  u = A w_j;  α_j = w_jᵀ u;  u −= α_j w_j + β_{j−1} w_{j−1}
 *                u −= W (Wᵀ u), twice      (full reorthogonalization against w₁..w_j)
 *                β_j = ‖u‖;  w_{j+1} = u / β_j   (stop early when β_j ≤ 1e-10·max|α|)
 * T = tridiag(β, α, β) = S Θ Sᵀ (EJML),  Ritz vectors V = W S,  values Θ ascending
 * </pre>
 *
 * A Krylov space holds one copy of each distinct eigenvalue, so on a square grid (whose Laplacian
 * has λ_ij = λ_ji) Lanczos stops at or before the number of distinct eigenvalues. The Lanczos code
 * of {@code dev.descent.curvature.Eigenvalues} works on engine vectors and keeps only Ritz values;
 * DCDM needs the vectors, and its matrix is a host {@link CsrMatrix}.
 *
 * <p>Reference: ayano721/2023_DCDM, {@code lanczos_iteration_with_normalization_correction} (one
 * Gram–Schmidt pass against all earlier vectors, numpy {@code eigh} of T); the second pass here is
 * the usual "twice is enough" for orthogonality to working precision.
 *
 * @param values Ritz values θ, ascending
 * @param vectors the Ritz vectors, {@code vectors[i]} of unit norm for {@code values[i]}
 */
public record RitzVectors(double[] values, double[][] vectors) {

    /** Relative size of β below which the Krylov space is taken to be invariant. */
    static final double INVARIANT_TOLERANCE = 1e-10;

    /**
     * Runs Lanczos.
     *
     * @param a a symmetric matrix, not modified
     * @param steps m, in [1, n]
     * @param seed seed of the Gaussian start g
     * @return the Ritz pairs (fewer than m when the Krylov space became invariant)
     * @throws IllegalArgumentException if A is not square and symmetric or m is out of range
     */
    public static RitzVectors lanczos(CsrMatrix a, int steps, long seed) {
        a.requireSquare("Lanczos");
        if (!a.isSymmetric(1e-12)) {
            throw new IllegalArgumentException("Lanczos needs a symmetric matrix; A is not");
        }
        int n = a.rows();
        if (steps < 1 || steps > n) {
            throw new IllegalArgumentException("steps must be in [1, " + n + "], got " + steps);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = random.nextGaussian();
        }
        double[] w = a.multiply(g);
        scale(w, 1 / Residuals.norm(w));
        double[][] basis = new double[steps][];
        double[] alpha = new double[steps];
        double[] beta = new double[steps];
        double largest = 0;
        int m = 0;
        for (int j = 0; j < steps; j++) {
            basis[j] = w;
            m = j + 1;
            double[] u = a.multiply(w);
            alpha[j] = ConjugateGradient.dot(w, u);
            largest = Math.max(largest, Math.abs(alpha[j]));
            for (int i = 0; i < n; i++) {
                u[i] -= alpha[j] * w[i] + (j > 0 ? beta[j - 1] * basis[j - 1][i] : 0);
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k <= j; k++) {
                    double c = ConjugateGradient.dot(u, basis[k]);
                    for (int i = 0; i < n; i++) {
                        u[i] -= c * basis[k][i];
                    }
                }
            }
            beta[j] = Residuals.norm(u);
            if (j == steps - 1 || beta[j] <= INVARIANT_TOLERANCE * largest) {
                break;
            }
            scale(u, 1 / beta[j]);
            w = u;
        }
        return fromTridiagonal(Arrays.copyOf(basis, m), alpha, beta, m);
    }

    private static RitzVectors fromTridiagonal(
            double[][] basis, double[] alpha, double[] beta, int m) {
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
        double[] theta = new double[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
            theta[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, (x, y) -> Double.compare(theta[x], theta[y]));
        int n = basis[0].length;
        double[] values = new double[m];
        double[][] vectors = new double[m][];
        for (int i = 0; i < m; i++) {
            values[i] = theta[order[i]];
            DMatrixRMaj s = eig.getEigenVector(order[i]);
            double[] v = new double[n];
            for (int k = 0; k < m; k++) {
                double c = s.get(k);
                double[] wk = basis[k];
                for (int e = 0; e < n; e++) {
                    v[e] += c * wk[e];
                }
            }
            scale(v, 1 / Residuals.norm(v));
            vectors[i] = v;
        }
        return new RitzVectors(values, vectors);
    }

    private static void scale(double[] v, double c) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= c;
        }
    }

    /** The number of Ritz pairs. */
    public int size() {
        return values.length;
    }
}
