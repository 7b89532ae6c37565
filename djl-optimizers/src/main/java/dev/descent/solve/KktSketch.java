package dev.descent.solve;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Randomized iterative solvers for a square system {@code K Δ = b} (the Newton–KKT system of {@link
 * ExactAugmentedLagrangian}), with the residual {@code r = K Δ − b} kept up to date, so that a
 * solve can be continued from where it stopped.
 *
 * <ul>
 *   <li>Gaussian vector sketch: {@code S ~ N(0, I)}, {@code Δ ← Δ − (Sᵀr / ‖KᵀS‖²) KᵀS} — the
 *       projection of Δ onto the solutions of the sketched equation {@code SᵀKΔ = Sᵀb}.
 *   <li>Randomized Kaczmarz: a row i drawn uniformly (as the reference does, not by row norm),
 *       {@code Δ ← Δ − (r_i / ‖K_i‖²) K_iᵀ}.
 * </ul>
 *
 * <p>Both converge linearly in expectation to {@code K⁻¹b} for a nonsingular K. The random draws
 * come from the {@link Random} given, so a seeded generator gives the same steps.
 */
final class KktSketch {

    private final DMatrixRMaj k;
    private final DMatrixRMaj b;
    private final DMatrixRMaj delta;
    private final DMatrixRMaj residual;
    private final double[] rowNormsSquared;
    private final DMatrixRMaj sketch;
    private final DMatrixRMaj kts;
    private int steps;

    /**
     * Starts a solve at Δ = 0.
     *
     * @param k the square matrix (not modified, not copied)
     * @param b the right-hand side, a column (not modified, not copied)
     * @param referenceStart whether to start with r = +b, as the reference's code does (its first
     *     step then moves away from the solution), instead of the true residual r = KΔ − b = −b
     */
    KktSketch(DMatrixRMaj k, DMatrixRMaj b, boolean referenceStart) {
        int size = k.numRows;
        this.k = k;
        this.b = b;
        delta = new DMatrixRMaj(size, 1);
        residual = b.copy();
        if (!referenceStart) {
            CommonOps_DDRM.scale(-1, residual);
        }
        rowNormsSquared = new double[size];
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int j = 0; j < size; j++) {
                s += k.get(i, j) * k.get(i, j);
            }
            rowNormsSquared[i] = s;
        }
        sketch = new DMatrixRMaj(size, 1);
        kts = new DMatrixRMaj(size, 1);
    }

    /** One Gaussian-vector-sketch step, then r ← KΔ − b. */
    void gaussianStep(Random random) {
        for (int i = 0; i < sketch.numRows; i++) {
            sketch.set(i, 0, random.nextGaussian());
        }
        CommonOps_DDRM.multTransA(k, sketch, kts);
        double denominator = CommonOps_DDRM.dot(kts, kts);
        if (denominator > 0) {
            double coefficient = CommonOps_DDRM.dot(sketch, residual) / denominator;
            CommonOps_DDRM.addEquals(delta, -coefficient, kts);
        }
        updateResidual();
    }

    /** One randomized-Kaczmarz step on a uniformly drawn row, then r ← KΔ − b. */
    void kaczmarzStep(Random random) {
        int i = random.nextInt(k.numRows);
        if (rowNormsSquared[i] > 0) {
            double coefficient = residual.get(i, 0) / rowNormsSquared[i];
            for (int j = 0; j < k.numCols; j++) {
                delta.add(j, 0, -coefficient * k.get(i, j));
            }
        }
        updateResidual();
    }

    private void updateResidual() {
        CommonOps_DDRM.mult(k, delta, residual);
        CommonOps_DDRM.subtractEquals(residual, b);
        steps++;
    }

    /** The current iterate (the solver's own column). */
    DMatrixRMaj delta() {
        return delta;
    }

    /** ‖r‖ for the current residual (r = +b before the first step in the reference start). */
    double residualNorm() {
        return Math.sqrt(CommonOps_DDRM.dot(residual, residual));
    }

    /** Steps taken so far. */
    int steps() {
        return steps;
    }

    /**
     * Solves K Δ = b directly (LU with partial pivoting).
     *
     * @param k the matrix (not modified)
     * @param b the right-hand side (not modified)
     * @return Δ, or null when the factorization fails or gives a non-finite Δ (K singular)
     */
    static DMatrixRMaj exactSolve(DMatrixRMaj k, DMatrixRMaj b) {
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(k.numRows);
        DMatrixRMaj copy = k.copy();
        if (!lu.setA(copy)) {
            return null;
        }
        DMatrixRMaj solution = new DMatrixRMaj(k.numRows, 1);
        lu.solve(b.copy(), solution);
        for (double v : solution.data) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        return solution;
    }
}
