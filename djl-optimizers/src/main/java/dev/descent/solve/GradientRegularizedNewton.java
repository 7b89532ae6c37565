package dev.descent.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.curvature.HostArrays;
import dev.descent.curvature.SymmetricOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The gradient-regularized Newton method of Semenov, Jaggi and Doikov ("Gradient-Normalized
 * Smoothness for Optimization with Approximate Hessians", 2025; reference code
 * epfml/grad-norm-smooth, {@code grad_norm_smooth}), with B = I.
 *
 * <p>Iteration k, from x with f = f(x), g = ∇f(x) and H the curvature at x — the exact Hessian by
 * default, or any {@link SymmetricOperator} built at x ({@link Builder#optCurvature}: a
 * Gauss–Newton or Fisher approximation, which is the paper's point):
 *
 * <pre>
 * repeat (at most 40 times):
 *   λ = ‖g‖ / (γ + ε)                       ε = 1e-8
 *   Δ = −(H + λI)⁻¹ g
 *   if f(x) − f(x + Δ) ≥ ‖∇f(x + Δ)‖² / (8λ):  γ ← max(2γ, γ_min); stop searching
 *   else:                                      γ ← γ/2
 * x ← x + Δ                                    (the last Δ tried, as the reference does)
 * </pre>
 *
 * <p>Defaults are the reference's: γ₀ = 1, γ_min = 1e-9, ε = 1e-8. The linear system is solved
 * densely (d Hessian-vector products build H, then a Cholesky solve on the host with EJML) for
 * small d, or matrix-free by conjugate gradients on Hessian-vector products (stopped at relative
 * residual {@code cgTolerance} or on negative curvature). It stops when f − f* &lt; {@code
 * tolerance} (if f* is given), when ‖g‖ &lt; {@code gradientTolerance}, or after {@code
 * maxIterations}.
 *
 * <p>Deviations from the reference: a failed Cholesky factorization ends the run with status {@link
 * Status#LINEAR_ALGEBRA_FAILED} instead of taking an undefined step.
 */
public final class GradientRegularizedNewton {

    /** How the regularized system is solved. */
    public enum LinearSolver {
        /** Build H from d products and factor it on the host (small d). */
        DENSE,
        /** Conjugate gradients on products (any d). */
        CONJUGATE_GRADIENT
    }

    /** Why a run ended. */
    public enum Status {
        /** f − f* fell below the tolerance. */
        TARGET_REACHED,
        /** ‖∇f‖ fell below the gradient tolerance. */
        GRADIENT_SMALL,
        /** The iteration budget ran out. */
        ITERATIONS_EXCEEDED,
        /** The regularized matrix could not be factored. */
        LINEAR_ALGEBRA_FAILED
    }

    /**
     * The state after an iteration.
     *
     * @param iteration k (0 for the start)
     * @param value f(x_k)
     * @param gradientNorm ‖∇f(x_k)‖
     * @param gamma γ_k
     * @param seconds wall time since the start
     * @param linearSolves regularized systems solved so far
     */
    public record Iterate(
            int iteration,
            double value,
            double gradientNorm,
            double gamma,
            double seconds,
            int linearSolves) {}

    /**
     * The outcome of a run.
     *
     * @param x the last iterate (owned by the manager of the starting point)
     * @param status why it ended
     * @param history every iterate
     */
    public record Result(NDArray x, Status status, List<Iterate> history) {}

    private final double gamma0;
    private final double gammaMin;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double targetValue;
    private final double tolerance;
    private final LinearSolver solver;
    private final double cgTolerance;
    private final Function<NDArray, SymmetricOperator> curvature;

    private GradientRegularizedNewton(Builder b) {
        gamma0 = b.gamma0;
        gammaMin = b.gammaMin;
        maxIterations = b.maxIterations;
        gradientTolerance = b.gradientTolerance;
        targetValue = b.targetValue;
        tolerance = b.tolerance;
        solver = b.solver;
        cgTolerance = b.cgTolerance;
        curvature = b.curvature;
    }

    /**
     * Returns a builder with the reference defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Minimizes f from x0 with the exact Hessian.
     *
     * @param x0 the start, a 1-D float64 vector (not modified)
     * @param f maps a point to a scalar, differentiable twice
     * @return the result
     */
    public Result minimize(NDArray x0, Function<NDArray, NDArray> f) {
        return minimize(x0, f, iterate -> {});
    }

    /**
     * Minimizes f from x0 with the exact Hessian, telling a listener of every iterate as it is
     * reached (e.g. to report progress).
     *
     * @param x0 the start, a 1-D float64 vector (not modified)
     * @param f maps a point to a scalar, differentiable twice
     * @param listener told of each iterate, the start (iteration 0) included, in order; the same
     *     records as {@link Result#history()}
     * @return the result
     */
    public Result minimize(NDArray x0, Function<NDArray, NDArray> f, Consumer<Iterate> listener) {
        if (x0.getShape().dimension() != 1) {
            throw new IllegalArgumentException(
                    "x0 must be a 1-D vector, got shape " + x0.getShape());
        }
        NDManager manager = x0.getManager();
        long start = System.nanoTime();
        List<Iterate> history = new ArrayList<>();
        NDArray x = x0.duplicate();
        double gamma = gamma0;
        int solves = 0;
        HessianVectorProduct point = exact(x, f);
        double value = point.value();
        NDArray g = point.gradient(manager);
        double gNorm = norm(g);
        Status status = Status.ITERATIONS_EXCEEDED;
        for (int k = 0; ; k++) {
            Iterate iterate =
                    new Iterate(k, value, gNorm, gamma, (System.nanoTime() - start) / 1e9, solves);
            history.add(iterate);
            listener.accept(iterate);
            if (!Double.isNaN(targetValue) && value - targetValue < tolerance) {
                status = Status.TARGET_REACHED;
                break;
            }
            if (gNorm < gradientTolerance) {
                status = Status.GRADIENT_SMALL;
                break;
            }
            if (k == maxIterations) {
                break;
            }
            SymmetricOperator h = curvature == null ? point : curvature.apply(x);
            if (h.dimension() != point.dimension()) {
                throw new IllegalArgumentException(
                        "curvature operator has dimension "
                                + h.dimension()
                                + ", expected "
                                + point.dimension());
            }
            DMatrixRMaj dense = solver == LinearSolver.DENSE ? denseMatrix(h) : null;
            NDArray delta = null;
            double newValue = value;
            NDArray newGradient = null;
            for (int attempt = 0; attempt < 40; attempt++) {
                double lambda = gNorm / (gamma + 1e-8);
                if (delta != null) {
                    delta.close();
                    newGradient.close();
                }
                delta =
                        dense != null
                                ? solveDense(dense, g, lambda)
                                : conjugateGradient(h, g, lambda);
                solves++;
                if (delta == null) {
                    status = Status.LINEAR_ALGEBRA_FAILED;
                    break;
                }
                try (NDArray trial = x.add(delta);
                        HessianVectorProduct first =
                                HessianVectorProduct.ofFunction(
                                        new NDList(trial),
                                        args -> f.apply(args.head()),
                                        HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
                    newValue = first.value();
                    newGradient = first.gradient(manager);
                }
                double newNormSquared = norm(newGradient) * norm(newGradient);
                if (value - newValue >= newNormSquared / (8 * lambda)) {
                    gamma = Math.max(gamma * 2, gammaMin);
                    break;
                }
                gamma *= 0.5;
            }
            if (h != point && h instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            if (status == Status.LINEAR_ALGEBRA_FAILED) {
                break;
            }
            x.addi(delta);
            delta.close();
            g.close();
            g = newGradient;
            gNorm = norm(g);
            value = newValue;
            point.close();
            point = exact(x, f);
        }
        point.close();
        g.close();
        return new Result(x, status, history);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the curvature operator", e);
        }
    }

    private static HessianVectorProduct exact(NDArray x, Function<NDArray, NDArray> f) {
        return HessianVectorProduct.ofFunction(
                new NDList(x), args -> f.apply(args.head()), HessianVectorProduct.Method.EXACT);
    }

    private static double norm(NDArray v) {
        try (NDArray n = v.norm()) {
            return HostArrays.scalar(n);
        }
    }

    /** H column by column from d products with unit vectors. */
    private static DMatrixRMaj denseMatrix(SymmetricOperator h) {
        int d = Math.toIntExact(h.dimension());
        DMatrixRMaj matrix = new DMatrixRMaj(d, d);
        try (NDManager scope = NDManager.newBaseManager()) {
            for (int j = 0; j < d; j++) {
                NDArray e = h.zeros(scope);
                e.set(new ai.djl.ndarray.index.NDIndex(j), 1);
                double[] column = HostArrays.toDoubles(h.apply(e));
                for (int i = 0; i < d; i++) {
                    matrix.set(i, j, column[i]);
                }
            }
        }
        return matrix;
    }

    /** Solves (H + λI)Δ = −g by Cholesky; null when H + λI is not positive definite. */
    private static NDArray solveDense(DMatrixRMaj h, NDArray g, double lambda) {
        int d = h.numRows;
        DMatrixRMaj a = h.copy();
        for (int i = 0; i < d; i++) {
            a.add(i, i, lambda);
        }
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(d);
        if (!cholesky.setA(a)) {
            return null;
        }
        double[] rhs = HostArrays.toDoubles(g);
        DMatrixRMaj b = new DMatrixRMaj(d, 1);
        for (int i = 0; i < d; i++) {
            b.set(i, 0, -rhs[i]);
        }
        DMatrixRMaj solution = new DMatrixRMaj(d, 1);
        cholesky.solve(b, solution);
        return HostArrays.fromHost(solution.getData(), g.getShape(), g);
    }

    /**
     * Conjugate gradients on (H + λI)Δ = −g from Δ = 0, to relative residual cgTolerance, at most
     * 2d iterations; stops at the current iterate on non-positive curvature.
     */
    private NDArray conjugateGradient(SymmetricOperator h, NDArray g, double lambda) {
        try (NDScope scope = new NDScope()) {
            NDArray x = g.zerosLike();
            NDArray r = g.neg();
            NDArray p = r.duplicate();
            double rr = dot(r, r);
            double stop = cgTolerance * cgTolerance * rr;
            long limit = 2 * h.dimension();
            for (long i = 0; i < limit && rr > stop; i++) {
                NDArray ap = h.apply(p).addi(p.mul(lambda));
                double curvature = dot(p, ap);
                if (curvature <= 0) {
                    break;
                }
                double alpha = rr / curvature;
                x.addi(p.mul(alpha));
                r.subi(ap.muli(alpha));
                double next = dot(r, r);
                p = r.add(p.muli(next / rr));
                rr = next;
            }
            NDScope.unregister(x);
            return x;
        }
    }

    private static double dot(NDArray a, NDArray b) {
        try (NDArray d = a.dot(b)) {
            return HostArrays.scalar(d);
        }
    }

    /** Builds {@link GradientRegularizedNewton}; defaults are the reference's. */
    public static final class Builder {
        private double gamma0 = 1.0;
        private double gammaMin = 1e-9;
        private int maxIterations = 1000;
        private double gradientTolerance = 0;
        private double targetValue = Double.NaN;
        private double tolerance = 1e-8;
        private LinearSolver solver = LinearSolver.DENSE;
        private double cgTolerance = 1e-10;
        private Function<NDArray, SymmetricOperator> curvature;

        Builder() {}

        /**
         * Uses an approximate curvature instead of the exact Hessian: given the current point,
         * return an operator of the same dimension, e.g. {@code
         * GaussNewtonVectorProduct.ofParameters(...)} or {@code EmpiricalFisher.ofParameters(...)}
         * for a model whose parameters are that point.
         *
         * @param curvature builds H at a point (the point is not to be modified); an operator that
         *     is {@link AutoCloseable} is closed after its iteration
         * @return this builder
         */
        public Builder optCurvature(Function<NDArray, SymmetricOperator> curvature) {
            this.curvature = curvature;
            return this;
        }

        /**
         * Sets γ₀, finite and {@code > 0} (default 1).
         *
         * @param gamma0 γ₀
         * @return this builder
         */
        public Builder optGamma0(double gamma0) {
            this.gamma0 = gamma0;
            return this;
        }

        /**
         * Sets γ_min, finite and {@code > 0} (default 1e-9).
         *
         * @param gammaMin γ_min
         * @return this builder
         */
        public Builder optGammaMin(double gammaMin) {
            this.gammaMin = gammaMin;
            return this;
        }

        /**
         * Sets the iteration budget, {@code >= 0} (default 1000).
         *
         * @param maxIterations the budget
         * @return this builder
         */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Stops when ‖∇f‖ falls below this, {@code >= 0} (default 0: never).
         *
         * @param gradientTolerance the tolerance
         * @return this builder
         */
        public Builder optGradientTolerance(double gradientTolerance) {
            this.gradientTolerance = gradientTolerance;
            return this;
        }

        /**
         * Stops when f − f* falls below the tolerance (default 1e-8).
         *
         * @param targetValue f*
         * @param tolerance the tolerance, {@code > 0}
         * @return this builder
         */
        public Builder optTarget(double targetValue, double tolerance) {
            this.targetValue = targetValue;
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Sets the linear solver (default dense) and the relative residual of conjugate gradients,
         * in (0, 1) (default 1e-10).
         *
         * @param solver the solver
         * @param cgTolerance the relative residual
         * @return this builder
         */
        public Builder optLinearSolver(LinearSolver solver, double cgTolerance) {
            this.solver = solver;
            this.cgTolerance = cgTolerance;
            return this;
        }

        /**
         * Builds the solver after validating every option.
         *
         * @return the solver
         * @throws IllegalArgumentException naming the first invalid value and its range
         */
        public GradientRegularizedNewton build() {
            positive("gamma0", gamma0);
            positive("gammaMin", gammaMin);
            if (maxIterations < 0) {
                throw new IllegalArgumentException(
                        "maxIterations must be >= 0, got " + maxIterations);
            }
            if (!(gradientTolerance >= 0)) {
                throw new IllegalArgumentException(
                        "gradientTolerance must be >= 0, got " + gradientTolerance);
            }
            positive("tolerance", tolerance);
            if (solver == null) {
                throw new IllegalArgumentException("solver must not be null");
            }
            if (!(cgTolerance > 0 && cgTolerance < 1)) {
                throw new IllegalArgumentException(
                        "cgTolerance must be in (0, 1), got " + cgTolerance);
            }
            return new GradientRegularizedNewton(this);
        }

        private static void positive(String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
            }
        }
    }
}
