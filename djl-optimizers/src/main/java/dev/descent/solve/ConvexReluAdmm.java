package dev.descent.solve;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * ADMM for the convex two-layer ReLU program ({@link ConvexReluProgram}), Algorithm 3.1 of Bai,
 * Gautam and Sojoudi (SIMODS 2022, arXiv 2201.01965) as re-implemented in zachary-shah/admmNN (mode
 * "ADMM", Cholesky solve), with float64 host arithmetic and EJML.
 *
 * <p>Stack the variables as {@code u = (v₁ … v_P, w₁ … w_P)} (length 2Pd), let {@code F u = Σᵢ Dᵢ X
 * (vᵢ − wᵢ)} and {@code G = blkdiag((2D₁ − I)X, …, (2D_P − I)X, (2D₁ − I)X, …)}. With the copy
 * {@code v} of u (group-sparse), the slack {@code s ≥ 0} of {@code G u} and the scaled duals {@code
 * λ} (of u = v) and {@code ν} (of G u = s), one iteration is
 *
 * <pre>
 * u  = A⁻¹ (Fᵀy/ρ + v − λ + Gᵀ(s − ν)),   A = I + FᵀF/ρ + GᵀG   (Cholesky of A once)
 * v  = group soft-threshold of u + λ at β/ρ:  vᵢ = max(0, 1 − (β/ρ)/‖zᵢ‖) zᵢ,  z = u + λ
 * s  = max(G u + ν, 0)                                            (projection on the orthant)
 * λ += (step/ρ)(u − v);   ν += (step/ρ)(G u − s)
 * </pre>
 *
 * and it stops when the reference's three measures are all ≤ {@code tolerance}: the primal residual
 * {@code ‖u − v‖ + ‖G u − s‖}, the u-stationarity {@code ‖Fᵀ(F u − y) + ρ(λ + Gᵀν)‖}, and the
 * v-stationarity {@code ‖β vᵢ/‖vᵢ‖ − ρλᵢ‖} over the groups. Since (2Dᵢ − I)² = I, each diagonal
 * block of GᵀG is XᵀX. The returned point is the group-sparse iterate {@code v}; the histories hold
 * the objective at v and the primal residual, entry 0 at the start (all variables zero).
 *
 * <p>Defaults are the reference's (admm_utils.ADMM_Params, relu_solver.optimize): ρ = 0.01, step =
 * 0.01 (so step/ρ = 1, the usual scaled ADMM), tolerance 1e-3, 100 iterations; β = 1e-3 there is a
 * property of the program ({@link ConvexReluProgram#sample}). The cost of one iteration, after the
 * one-off factorization, is two triangular solves of order 2Pd plus O(nPd) for F and G: with the
 * number of patterns growing with n it is quadratic in n, as the paper states.
 *
 * <p>Deviations from the reference: for a zero group the v-stationarity is measured as {@code
 * max(0, ‖ρλᵢ‖ − β)} (the subgradient condition there; the reference divides 0 by 0, a NaN that
 * never meets the tolerance); the loss is ½‖·‖² in the objective as in the reference's ADMM (its
 * CVXPY baseline drops the ½). A non-finite residual ends the run with {@link
 * SolveStatus#BREAKDOWN} and the last finite iterate.
 */
public final class ConvexReluAdmm {

    /** The reference's ρ. */
    public static final double DEFAULT_RHO = 0.01;

    /** The reference's dual step γ_a. */
    public static final double DEFAULT_STEP = 0.01;

    /** The reference's optimality tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    /** The reference's iteration cap ({@code optimize(max_iter=100)}). */
    public static final int DEFAULT_MAX_ITERATIONS = 100;

    private final double rho;
    private final double step;
    private final double tolerance;
    private final int maxIterations;

    private ConvexReluAdmm(Builder b) {
        this.rho = b.rho;
        this.step = b.step;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
    }

    /** A builder with the reference's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The outcome of a run.
     *
     * @param solution the last (or, after a breakdown, the last finite) group-sparse iterate v
     * @param iterations iterations done
     * @param objectiveHistory the program's objective at v, entries 0 .. iterations
     * @param residualHistory the primal residual ‖u − v‖ + ‖G u − s‖, entries 0 .. iterations
     * @param status CONVERGED (all three measures ≤ tolerance), ITERATION_LIMIT or BREAKDOWN
     */
    public record Result(
            ConvexReluSolution solution,
            int iterations,
            double[] objectiveHistory,
            double[] residualHistory,
            SolveStatus status) {

        /** The objective at the returned point. */
        public double objective() {
            return objectiveHistory[iterations];
        }
    }

    /**
     * Runs ADMM from zero.
     *
     * @param program the program (not modified)
     * @return the result with its status
     */
    public Result solve(ConvexReluProgram program) {
        double[][] x = program.data();
        double[] y = program.targetsView();
        boolean[][] masks = program.masks();
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        int groups = 2 * p;
        int size = groups * d;
        double beta = program.beta();
        double gamma = step / rho;

        LinearSolverDense<DMatrixRMaj> cholesky = factor(program, rho);
        double[] b1 = new double[size];
        applyFt(x, masks, y, b1);
        for (int k = 0; k < size; k++) {
            b1[k] /= rho;
        }

        double[] u = new double[size];
        double[] v = new double[size];
        double[] lambda = new double[size];
        double[] s = new double[groups * n];
        double[] nu = new double[groups * n];
        double[] gu = new double[groups * n];
        double[] work = new double[groups * n];
        double[] rhs = new double[size];
        double[] fu = new double[n];
        double[] grad = new double[size];
        DMatrixRMaj rhsMatrix = DMatrixRMaj.wrap(size, 1, rhs);
        DMatrixRMaj uMatrix = DMatrixRMaj.wrap(size, 1, u);

        double[] objectives = new double[maxIterations + 1];
        double[] residuals = new double[maxIterations + 1];
        objectives[0] = program.objective(toSolution(v, p, d));
        residuals[0] = 0;
        double[] lastFinite = v.clone();
        for (int iteration = 1; iteration <= maxIterations; iteration++) {
            // u-update: the cached system
            for (int k = 0; k < work.length; k++) {
                work[k] = s[k] - nu[k];
            }
            applyGt(x, masks, work, rhs);
            for (int k = 0; k < size; k++) {
                rhs[k] += b1[k] + v[k] - lambda[k];
            }
            cholesky.solve(rhsMatrix, uMatrix);
            // v-update: group soft-thresholding of u + λ at β/ρ
            for (int k = 0; k < size; k++) {
                v[k] = u[k] + lambda[k];
            }
            for (int g = 0; g < groups; g++) {
                groupSoftThreshold(v, g * d, d, beta / rho);
            }
            // s-update: projection of G u + ν on the non-negative orthant
            applyG(x, masks, u, gu);
            for (int k = 0; k < s.length; k++) {
                work[k] = gu[k] + nu[k];
            }
            projectNonNegative(work, s);
            // dual ascent
            double uv = 0;
            for (int k = 0; k < size; k++) {
                double e = u[k] - v[k];
                lambda[k] += gamma * e;
                uv += e * e;
            }
            double gs = 0;
            for (int k = 0; k < s.length; k++) {
                double e = gu[k] - s[k];
                nu[k] += gamma * e;
                gs += e * e;
            }
            double primal = Math.sqrt(uv) + Math.sqrt(gs);
            // u-stationarity: Fᵀ(F u − y) + ρ(λ + Gᵀν)
            applyF(x, masks, u, fu);
            for (int r = 0; r < n; r++) {
                fu[r] -= y[r];
            }
            applyFt(x, masks, fu, grad);
            applyGt(x, masks, nu, rhs);
            double uStationarity = 0;
            for (int k = 0; k < size; k++) {
                double e = grad[k] + rho * (lambda[k] + rhs[k]);
                uStationarity += e * e;
            }
            uStationarity = Math.sqrt(uStationarity);
            double vStationarity = vStationarity(v, lambda, groups, d, beta, rho);

            double objective = program.objective(toSolution(v, p, d));
            if (!Double.isFinite(primal)
                    || !Double.isFinite(uStationarity)
                    || !Double.isFinite(vStationarity)
                    || !Double.isFinite(objective)) {
                return new Result(
                        toSolution(lastFinite, p, d),
                        iteration - 1,
                        Arrays.copyOf(objectives, iteration),
                        Arrays.copyOf(residuals, iteration),
                        SolveStatus.BREAKDOWN);
            }
            System.arraycopy(v, 0, lastFinite, 0, size);
            objectives[iteration] = objective;
            residuals[iteration] = primal;
            if (primal <= tolerance && uStationarity <= tolerance && vStationarity <= tolerance) {
                return new Result(
                        toSolution(v, p, d),
                        iteration,
                        Arrays.copyOf(objectives, iteration + 1),
                        Arrays.copyOf(residuals, iteration + 1),
                        SolveStatus.CONVERGED);
            }
        }
        return new Result(
                toSolution(v, p, d),
                maxIterations,
                objectives,
                residuals,
                SolveStatus.ITERATION_LIMIT);
    }

    /**
     * The proximal map of {@code threshold·‖·‖₂} applied in place to {@code z[offset .. offset +
     * length)}: {@code z ← max(0, 1 − threshold/‖z‖) z} (zero stays zero).
     *
     * @param z the vector holding the group (modified)
     * @param offset where the group starts
     * @param length the group's length
     * @param threshold the threshold, ≥ 0
     */
    public static void groupSoftThreshold(double[] z, int offset, int length, double threshold) {
        double norm = 0;
        for (int j = offset; j < offset + length; j++) {
            norm += z[j] * z[j];
        }
        norm = Math.sqrt(norm);
        double scale = norm > threshold ? 1 - threshold / norm : 0;
        for (int j = offset; j < offset + length; j++) {
            z[j] *= scale;
        }
    }

    /**
     * The Euclidean projection on the non-negative orthant, {@code out = max(z, 0)} elementwise.
     *
     * @param z the point (not modified)
     * @param out where the projection goes, of z's length (modified; may be z)
     */
    public static void projectNonNegative(double[] z, double[] out) {
        for (int k = 0; k < z.length; k++) {
            out[k] = Math.max(z[k], 0);
        }
    }

    /**
     * The multiply-adds of one iteration after the factorization, as this class does them: the two
     * triangular solves of order 2Pd ((2Pd)² together), Gᵀ twice and G once (2Pnd each), F and Fᵀ
     * once each (Pnd each) and the objective's predictions at v (2Pnd): (2Pd)² + 10Pnd.
     *
     * @param n samples
     * @param d columns of X
     * @param p patterns
     * @return the count
     */
    public static long multiplyAddsPerIteration(long n, long d, long p) {
        long order = 2 * p * d;
        return order * order + 10 * p * n * d;
    }

    private static double vStationarity(
            double[] v, double[] lambda, int groups, int d, double beta, double rho) {
        double total = 0;
        for (int g = 0; g < groups; g++) {
            double norm = 0;
            double lambdaNorm = 0;
            for (int j = g * d; j < (g + 1) * d; j++) {
                norm += v[j] * v[j];
                lambdaNorm += lambda[j] * lambda[j];
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int j = g * d; j < (g + 1) * d; j++) {
                    double e = beta * v[j] / norm - rho * lambda[j];
                    total += e * e;
                }
            } else {
                double e = Math.max(0, rho * Math.sqrt(lambdaNorm) - beta);
                total += e * e;
            }
        }
        return Math.sqrt(total);
    }

    /** Cholesky of A = I + FᵀF/ρ + GᵀG, built densely. */
    private static LinearSolverDense<DMatrixRMaj> factor(ConvexReluProgram program, double rho) {
        double[][] x = program.data();
        boolean[][] masks = program.masks();
        int d = x[0].length;
        int p = masks.length;
        int half = p * d;
        DMatrixRMaj a = program.lossGram();
        CommonOps_DDRM.scale(1 / rho, a);
        DMatrixRMaj xtx = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(new DMatrixRMaj(x), new DMatrixRMaj(x), xtx);
        for (int g = 0; g < 2 * p; g++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    a.unsafe_set(
                            g * d + i,
                            g * d + j,
                            a.unsafe_get(g * d + i, g * d + j) + xtx.unsafe_get(i, j));
                }
            }
        }
        for (int i = 0; i < 2 * half; i++) {
            a.unsafe_set(i, i, a.unsafe_get(i, i) + 1);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(2 * half);
        if (!solver.setA(a)) {
            throw new IllegalStateException(
                    "the ADMM matrix I + FᵀF/ρ + GᵀG is not positive definite (rho = " + rho + ")");
        }
        return solver;
    }

    /** out = F u = Σᵢ Dᵢ X (u_{0,i} − u_{1,i}). */
    static void applyF(double[][] x, boolean[][] masks, double[] u, double[] out) {
        int d = x[0].length;
        int p = masks.length;
        Arrays.fill(out, 0);
        for (int i = 0; i < p; i++) {
            int vOff = i * d;
            int wOff = (p + i) * d;
            for (int r = 0; r < x.length; r++) {
                if (masks[i][r]) {
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        sum += x[r][j] * (u[vOff + j] - u[wOff + j]);
                    }
                    out[r] += sum;
                }
            }
        }
    }

    /** out = Fᵀ z: group (0, i) gets Xᵀ Dᵢ z, group (1, i) its negative. */
    static void applyFt(double[][] x, boolean[][] masks, double[] z, double[] out) {
        int d = x[0].length;
        int p = masks.length;
        Arrays.fill(out, 0);
        for (int i = 0; i < p; i++) {
            int vOff = i * d;
            int wOff = (p + i) * d;
            for (int r = 0; r < x.length; r++) {
                if (masks[i][r]) {
                    for (int j = 0; j < d; j++) {
                        out[vOff + j] += x[r][j] * z[r];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                out[wOff + j] = -out[vOff + j];
            }
        }
    }

    /** out = G u: block g = (k, i) is (2Dᵢ − I) X u_g, at out[g·n ..). */
    static void applyG(double[][] x, boolean[][] masks, double[] u, double[] out) {
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        for (int g = 0; g < 2 * p; g++) {
            boolean[] mask = masks[g % p];
            for (int r = 0; r < n; r++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += x[r][j] * u[g * d + j];
                }
                out[g * n + r] = mask[r] ? sum : -sum;
            }
        }
    }

    /** out = Gᵀ z: group g gets Xᵀ (2Dᵢ − I) z_g. */
    static void applyGt(double[][] x, boolean[][] masks, double[] z, double[] out) {
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        Arrays.fill(out, 0);
        for (int g = 0; g < 2 * p; g++) {
            boolean[] mask = masks[g % p];
            for (int r = 0; r < n; r++) {
                double c = mask[r] ? z[g * n + r] : -z[g * n + r];
                for (int j = 0; j < d; j++) {
                    out[g * d + j] += x[r][j] * c;
                }
            }
        }
    }

    static ConvexReluSolution toSolution(double[] u, int p, int d) {
        double[][] v = new double[p][d];
        double[][] w = new double[p][d];
        for (int i = 0; i < p; i++) {
            System.arraycopy(u, i * d, v[i], 0, d);
            System.arraycopy(u, (p + i) * d, w[i], 0, d);
        }
        return new ConvexReluSolution(v, w);
    }

    /** Builder of {@link ConvexReluAdmm}; every setter is optional. */
    public static final class Builder {
        private double rho = DEFAULT_RHO;
        private double step = DEFAULT_STEP;
        private double tolerance = DEFAULT_TOLERANCE;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;

        private Builder() {}

        /** The penalty ρ, finite and &gt; 0 (default {@value #DEFAULT_RHO}). */
        public Builder optRho(double rho) {
            this.rho = rho;
            return this;
        }

        /**
         * The dual step γ_a, finite and &gt; 0; the duals move by step/ρ (default {@value
         * #DEFAULT_STEP}).
         */
        public Builder optStep(double step) {
            this.step = step;
            return this;
        }

        /**
         * The bound on the three optimality measures, finite and &gt; 0 (default {@value
         * #DEFAULT_TOLERANCE}).
         */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** The iteration cap, ≥ 1 (default {@value #DEFAULT_MAX_ITERATIONS}). */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException naming the value out of range
         */
        public ConvexReluAdmm build() {
            positive("rho", rho);
            positive("step", step);
            positive("tolerance", tolerance);
            if (maxIterations < 1) {
                throw new IllegalArgumentException(
                        "maxIterations must be >= 1, got " + maxIterations);
            }
            return new ConvexReluAdmm(this);
        }

        private static void positive(String name, double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
            }
        }
    }
}
