package dev.descent.solve;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/** Direct float64 solves by EJML (dense LU, sparse Cholesky) and the test systems. */
final class References {

    private References() {}

    /** A as EJML's dense matrix. */
    static DMatrixRMaj dense(CsrMatrix a) {
        return new DMatrixRMaj(a.toDense());
    }

    /** A as EJML's compressed sparse column matrix. */
    static DMatrixSparseCSC sparse(CsrMatrix a) {
        int[] start = a.rowPointers();
        int[] columns = a.columnIndices();
        double[] values = a.values();
        DMatrixSparseTriplet t = new DMatrixSparseTriplet(a.rows(), a.cols(), values.length);
        for (int i = 0; i < a.rows(); i++) {
            for (int k = start[i]; k < start[i + 1]; k++) {
                t.addItem(i, columns[k], values[k]);
            }
        }
        return DConvertMatrixStruct.convert(t, (DMatrixSparseCSC) null);
    }

    /** x = A⁻¹ b by EJML's dense LU with partial pivoting. */
    static double[] denseSolve(CsrMatrix a, double[] b) {
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(a.rows());
        if (!lu.setA(dense(a))) {
            throw new IllegalStateException("LU failed");
        }
        DMatrixRMaj x = new DMatrixRMaj(a.rows(), 1);
        lu.solve(DMatrixRMaj.wrap(b.length, 1, b.clone()), x);
        return x.data;
    }

    /** x = A⁻¹ b by EJML's sparse Cholesky (A symmetric positive definite). */
    static double[] choleskySolve(CsrMatrix a, double[] b) {
        LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> cholesky =
                LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
        if (!cholesky.setA(sparse(a))) {
            throw new IllegalStateException("Cholesky failed");
        }
        DMatrixRMaj x = new DMatrixRMaj(a.rows(), 1);
        cholesky.solve(DMatrixRMaj.wrap(b.length, 1, b.clone()), x);
        return x.data;
    }

    /** A vector of independent standard normal entries from a fixed seed. */
    static double[] normal(int n, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** ‖u − v‖. */
    static double distance(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += (u[i] - v[i]) * (u[i] - v[i]);
        }
        return Math.sqrt(s);
    }

    /** ‖b − A x‖. */
    static double residualNorm(CsrMatrix a, double[] b, double[] x) {
        return Residuals.norm(ConjugateGradient.residual(a, b, x));
    }

    /**
     * A random sparse symmetric matrix, strictly diagonally dominant with margin 0.1 (so positive
     * definite with λ_min ≥ 0.1 by Gershgorin), about {@code 2·pairs} off-diagonal entries.
     */
    static CsrMatrix dominant(int n, int pairs, long seed) {
        Random random = new Random(seed);
        int[] r = new int[2 * pairs + n];
        int[] c = new int[2 * pairs + n];
        double[] v = new double[2 * pairs + n];
        double[] rowSum = new double[n];
        int k = 0;
        for (int p = 0; p < pairs; p++) {
            int i = random.nextInt(n);
            int j = random.nextInt(n);
            if (i == j) {
                continue;
            }
            double value = random.nextGaussian();
            r[k] = i;
            c[k] = j;
            v[k++] = value;
            r[k] = j;
            c[k] = i;
            v[k++] = value;
            rowSum[i] += Math.abs(value);
            rowSum[j] += Math.abs(value);
        }
        for (int i = 0; i < n; i++) {
            r[k] = i;
            c[k] = i;
            v[k++] = rowSum[i] + 0.1 + random.nextDouble();
        }
        return CsrMatrix.fromTriplets(
                n, n, Arrays.copyOf(r, k), Arrays.copyOf(c, k), Arrays.copyOf(v, k));
    }
}
