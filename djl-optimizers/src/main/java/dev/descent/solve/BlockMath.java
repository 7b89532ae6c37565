package dev.descent.solve;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Small dense linear algebra of the block updates and rules (EJML). */
final class BlockMath {

    private BlockMath() {}

    /** λ_max of a symmetric matrix. */
    static double lambdaMax(double[][] h) {
        int n = h.length;
        if (n == 1) {
            return h[0][0];
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(new DMatrixRMaj(h))) {
            throw new ArithmeticException("symmetric eigendecomposition failed");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, eig.getEigenvalue(i).getReal());
        }
        return max;
    }

    /** pinv(h) g (Moore–Penrose, by SVD). */
    static double[] pinvTimes(double[][] h, double[] g) {
        DMatrixRMaj inv = new DMatrixRMaj(h.length, h.length);
        CommonOps_DDRM.pinv(new DMatrixRMaj(h), inv);
        return times(inv, g);
    }

    /** (h + shift·I)⁻¹, or null where it is singular. */
    static DMatrixRMaj shiftedInverse(double[][] h, double shift) {
        DMatrixRMaj m = new DMatrixRMaj(h);
        for (int i = 0; i < h.length; i++) {
            m.add(i, i, shift);
        }
        return CommonOps_DDRM.invert(m) ? m : null;
    }

    static double[] times(DMatrixRMaj m, double[] g) {
        double[] y = new double[m.numRows];
        for (int i = 0; i < m.numRows; i++) {
            double s = 0;
            for (int j = 0; j < m.numCols; j++) {
                s += m.get(i, j) * g[j];
            }
            y[i] = s;
        }
        return y;
    }

    /**
     * λ_max of the global bound H by power iteration from the all-ones vector, until the Rayleigh
     * quotient changes by less than 1e-12 relative (at most 5000 products).
     */
    static double boundLambdaMax(BlockObjective f) {
        int n = f.dimension();
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 5000; it++) {
            double[] w = f.boundTimes(v);
            double rayleigh = 0;
            double norm = 0;
            for (int i = 0; i < n; i++) {
                rayleigh += v[i] * w[i];
                norm += w[i] * w[i];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
            if (Math.abs(rayleigh - lambda) <= 1e-12 * Math.abs(rayleigh)) {
                return rayleigh;
            }
            lambda = rayleigh;
        }
        return lambda;
    }

    static double[] gather(double[] v, int[] block) {
        double[] out = new double[block.length];
        for (int i = 0; i < block.length; i++) {
            out[i] = v[block[i]];
        }
        return out;
    }
}
