package dev.descent.solve;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * AdaSketch-Newton: Newton's method on the exact augmented Lagrangian with the Newton–KKT system
 * solved inexactly by a randomized sketch, for {@code min f(x) s.t. c(x) = 0} (Hong, Na, Mahoney
 * and Kolar, "Constrained Optimization via Exact Augmented Lagrangian and Randomized Iterative
 * Sketching", ICML 2023, arXiv 2305.18379; reference code IlgeeHong/AdaSketch-Newton, {@code
 * CUTEst/AdaSketchNewtonGV} and {@code AdaSketchNewtonRK}).
 *
 * <p>The merit function is the exact augmented Lagrangian
 *
 * <pre>
 * L_η(x, λ) = f + cᵀλ + (η₁/2)‖c‖² + (η₂/2)‖∇ₓL‖²,      ∇ₓL = ∇f + Gᵀλ,  G = ∂c/∂x
 * ∇L_η = (∇ₓL + η₂·∇²ₓL·∇ₓL + η₁·Gᵀc,  c + η₂·G·∇ₓL)
 * </pre>
 *
 * <p>Iteration k, at (x, λ) with H = ∇²ₓL:
 *
 * <pre>
 * stop if ‖(∇ₓL, c)‖ ≤ tolerance
 * ξ_G = λ_min(GGᵀ);  stop with SINGULAR_JACOBIAN if ξ_G &lt; singularityThreshold
 * Z = last n − m columns of Q from QR(Gᵀ)
 * B = H + (ξ_B + ‖H‖_F)·I  if m &lt; n and λ_min(ZᵀHZ) &lt; 1e-6,  else B = H
 * ψ = 20·max(‖B‖_F², 1)/(min(ξ_G, 1)·min(ξ_B, 1)),   Υ = max(‖G‖_F, ‖H‖_F, 1)
 * δ_trial = (½ − β)·η₂ / ((1 + η₁ + η₂)·Υ²·ψ²);        δ ← max(min(δ, δ_trial), 1e-6)
 * K = [[B, Gᵀ], [G, 0]],  b = −(∇ₓL, c);  Δ = 0
 * repeat:
 *   sketch steps on KΔ = b until ‖K‖_F·ψ·‖KΔ − b‖ ≤ δ·‖b‖   (at most maxSketchSteps per pass)
 *   if η₁ &gt; 1e8 or η₂ &lt; 1e-8: accept Δ
 *   else if ∇L_ηᵀΔ &gt; −(η₂/2)‖b‖²:  η₁ ← ν²η₁, η₂ ← η₂/ν, δ ← max(min(δ/ν⁴, δ_trial), 1e-6)
 *                                    (δ_trial recomputed; the sketch continues from Δ)
 *   else accept Δ
 * α = 1, halved until L_η(x + αΔx, λ + αΔλ) ≤ L_η(x, λ) + α·β·∇L_ηᵀΔ
 * (x, λ) ← (x, λ) + α·(Δx, Δλ)
 * </pre>
 *
 * <p>The sketches ({@link KktSolver}): a Gaussian vector sketch {@code Δ ← Δ − (Sᵀr/‖KᵀS‖²)KᵀS}, S
 * ~ N(0, I), or randomized Kaczmarz on a uniformly drawn row, with r = KΔ − b; {@link
 * KktSolver#EXACT} solves KΔ = b by LU instead (the same method with an exact Newton step). η₁, η₂
 * and δ persist across iterations, as in the reference. The draws come from {@code new
 * Random(seed)}: the same seed gives the same run.
 *
 * <p>Defaults are the reference's ({@code CUTEst/Parameter/Param.jl}): η₁ = 1, η₂ = 0.1, δ = 0.1,
 * ξ_B = 0.1, β = 0.1, ν = 1.5, tolerance 1e-4 on ‖(∇ₓL, c)‖₂, at most 10⁴ iterations and 10⁵ sketch
 * steps per pass, the singularity threshold 1e-2 on ξ_G, θ = 1 in the accuracy condition.
 *
 * <p>Derivatives come from {@link EqualityConstrainedProblem}: DJL autograd for ∇f and G, exact
 * Hessian-vector products for ∇²ₓL; the linear algebra is float64 on the host (EJML).
 *
 * <p>Deviations from the reference:
 *
 * <ul>
 *   <li>The merit gradient uses ∇²ₓL, as in the paper; the reference's code uses the objective's
 *       Hessian ∇²f there (exact only for linear constraints), and starts the sketch with the
 *       residual r = +b although Δ = 0 (its first step moves away from the solution). Both are
 *       available with {@link Builder#optReferenceQuirks}.
 *   <li>Armijo backtracking stops after {@code maxBacktracks} halvings with {@link
 *       Status#LINE_SEARCH_FAILED} (the reference loops without a bound); a trial point whose merit
 *       is not finite counts as a failed trial.
 *   <li>Instead of returning NaN, a run that ends early returns a typed {@link Status}, a message,
 *       and the iterate with the smallest KKT residual seen.
 * </ul>
 */
public final class ExactAugmentedLagrangian {

    /** How the Newton–KKT system is solved. */
    public enum KktSolver {
        /** Gaussian vector sketch (the reference's AdaSketch-Newton-GV). */
        GAUSSIAN_SKETCH,
        /** Randomized Kaczmarz, rows drawn uniformly (AdaSketch-Newton-RK). */
        RANDOMIZED_KACZMARZ,
        /** A direct LU solve: the exact (unsketched) Newton variant. */
        EXACT
    }

    /** Why a run ended. */
    public enum Status {
        /** ‖(∇ₓL, c)‖ reached the tolerance. */
        CONVERGED,
        /** The iteration cap was reached first. */
        ITERATION_LIMIT,
        /**
         * λ_min(GGᵀ) fell below the singularity threshold: the constraint Jacobian is (nearly) rank
         * deficient, as for dependent or inconsistent constraints, and the KKT matrix is (nearly)
         * singular. The reference aborts such a run as "singular".
         */
        SINGULAR_JACOBIAN,
        /** No step length in maxBacktracks halvings gave Armijo decrease of the merit function. */
        LINE_SEARCH_FAILED,
        /** f, c or a derivative was not finite at an accepted iterate. */
        NON_FINITE
    }

    /**
     * The state at an iterate.
     *
     * @param iteration k (0 for the start)
     * @param value f(x_k)
     * @param kktResidual ‖(∇ₓL, c)‖₂ at (x_k, λ_k)
     * @param constraintNorm ‖c(x_k)‖₂
     * @param stepSize the α that led here (0 at the start)
     * @param sketchSteps sketch steps of the iteration that led here (0 at the start and for {@link
     *     KktSolver#EXACT})
     * @param eta1 η₁ after the iteration that led here
     * @param eta2 η₂ after it
     * @param delta δ after it
     * @param slope ∇L_ηᵀΔ of the step that led here, at the η of the descent test (0 at the start)
     */
    public record Iterate(
            int iteration,
            double value,
            double kktResidual,
            double constraintNorm,
            double stepSize,
            int sketchSteps,
            double eta1,
            double eta2,
            double delta,
            double slope) {}

    /**
     * The outcome of a run.
     *
     * @param x the iterate with the smallest KKT residual seen (the last one when converged)
     * @param multipliers its λ
     * @param status why the run ended
     * @param message what happened, with the numbers (e.g. ξ_G for a singular Jacobian)
     * @param iterations outer iterations done
     * @param history every iterate, the start included
     */
    public record Result(
            double[] x,
            double[] multipliers,
            Status status,
            String message,
            int iterations,
            List<Iterate> history) {

        /** f at the returned iterate. */
        public double value() {
            return best().value();
        }

        /** The KKT residual at the returned iterate. */
        public double kktResidual() {
            return best().kktResidual();
        }

        /** Sketch steps over the whole run. */
        public long totalSketchSteps() {
            long total = 0;
            for (Iterate it : history) {
                total += it.sketchSteps();
            }
            return total;
        }

        private Iterate best() {
            Iterate best = history.get(0);
            for (Iterate it : history) {
                if (it.kktResidual() < best.kktResidual()) {
                    best = it;
                }
            }
            return best;
        }
    }

    private final KktSolver kktSolver;
    private final double eta1Start;
    private final double eta2Start;
    private final double deltaStart;
    private final double xiB;
    private final double beta;
    private final double nu;
    private final double tolerance;
    private final int maxIterations;
    private final int maxSketchSteps;
    private final int maxBacktracks;
    private final double singularityThreshold;
    private final boolean referenceQuirks;
    private final long seed;

    private static final double DELTA_FLOOR = 1e-6;
    private static final double ETA1_CAP = 1e8;
    private static final double ETA2_FLOOR = 1e-8;
    private static final double REDUCED_HESSIAN_FLOOR = 1e-6;

    private ExactAugmentedLagrangian(Builder b) {
        kktSolver = b.kktSolver;
        eta1Start = b.eta1;
        eta2Start = b.eta2;
        deltaStart = b.delta;
        xiB = b.xiB;
        beta = b.beta;
        nu = b.nu;
        tolerance = b.tolerance;
        maxIterations = b.maxIterations;
        maxSketchSteps = b.maxSketchSteps;
        maxBacktracks = b.maxBacktracks;
        singularityThreshold = b.singularityThreshold;
        referenceQuirks = b.referenceQuirks;
        seed = b.seed;
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
     * Solves the problem from its start (x₀, λ₀), with temporaries on a CPU PyTorch manager.
     *
     * @param problem the problem
     * @return the result
     * @throws IllegalArgumentException if f, c or their derivatives are not finite at the start
     */
    public Result solve(EqualityConstrainedProblem problem) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            return solve(problem, problem.start(), problem.startMultipliers(), manager);
        }
    }

    /**
     * Solves the problem from (x₀, λ₀).
     *
     * @param problem the problem
     * @param x0 the start, length n, finite (not modified)
     * @param lambda0 the start multipliers, length m, finite (not modified)
     * @param manager a PyTorch-engine manager for temporaries (left open)
     * @return the result
     * @throws IllegalArgumentException for wrong lengths, non-finite starts, or f, c or derivatives
     *     that are not finite at the start
     */
    public Result solve(
            EqualityConstrainedProblem problem, double[] x0, double[] lambda0, NDManager manager) {
        Objects.requireNonNull(problem, "problem");
        int n = problem.dimension();
        int m = problem.constraintCount();
        Objects.requireNonNull(x0, "x0");
        Residuals.requireFinite(problem.name(), "x0", x0);
        Objects.requireNonNull(lambda0, "λ0");
        Residuals.requireFinite(problem.name(), "λ0", lambda0);
        double[] x = x0.clone();
        double[] lambda = lambda0.clone();
        EqualityConstrainedProblem.Derivatives d = problem.derivatives(x, lambda, manager);
        if (!d.isFinite()) {
            throw new IllegalArgumentException(
                    problem.name()
                            + ": f, c or their derivatives are not finite at the start x0 (f = "
                            + d.value()
                            + ")");
        }
        Random random = new Random(seed);
        double eta1 = eta1Start;
        double eta2 = eta2Start;
        double delta = deltaStart;
        List<Iterate> history = new ArrayList<>();
        history.add(
                new Iterate(
                        0,
                        d.value(),
                        d.kktResidual(),
                        Residuals.norm(d.constraintValues()),
                        0,
                        0,
                        eta1,
                        eta2,
                        delta,
                        0));
        double[] bestX = x.clone();
        double[] bestLambda = lambda.clone();
        double bestKkt = d.kktResidual();
        Status status = null;
        String message = null;
        int k = 0;
        while (status == null) {
            double kkt = d.kktResidual();
            if (kkt <= tolerance) {
                status = Status.CONVERGED;
                message = String.format("KKT residual %.3e <= %.1e", kkt, tolerance);
                break;
            }
            if (k >= maxIterations) {
                status = Status.ITERATION_LIMIT;
                message = "reached " + maxIterations + " iterations, KKT residual " + kkt;
                break;
            }
            DMatrixRMaj g = d.jacobian();
            DMatrixRMaj h = d.lagrangianHessian();
            double xiG = minEigenvalue(multTransB(g, g));
            if (!(xiG >= singularityThreshold)) {
                status = Status.SINGULAR_JACOBIAN;
                message =
                        String.format(
                                "singular constraint Jacobian at iteration %d: λ_min(GGᵀ) = %.3e <"
                                        + " %.1e (dependent or inconsistent constraints)",
                                k, xiG, singularityThreshold);
                break;
            }
            double hNorm = NormOps_DDRM.normF(h);
            double shift = 0;
            if (m < n && minEigenvalue(reducedHessian(g, h)) < REDUCED_HESSIAN_FLOOR) {
                shift = xiB + hNorm;
            }
            DMatrixRMaj bMatrix = h.copy();
            for (int i = 0; i < n; i++) {
                bMatrix.add(i, i, shift);
            }
            double bNorm = NormOps_DDRM.normF(bMatrix);
            double psi = 20 * Math.max(bNorm * bNorm, 1) / (Math.min(xiG, 1) * Math.min(xiB, 1));
            double upsilon = Math.max(Math.max(NormOps_DDRM.normF(g), hNorm), 1);
            delta = Math.max(Math.min(delta, deltaTrial(eta1, eta2, upsilon, psi)), DELTA_FLOOR);

            DMatrixRMaj kkt2 = kktMatrix(bMatrix, g);
            DMatrixRMaj rhs = new DMatrixRMaj(n + m, 1);
            for (int i = 0; i < n; i++) {
                rhs.set(i, 0, -d.lagrangianGradient()[i]);
            }
            for (int i = 0; i < m; i++) {
                rhs.set(n + i, 0, -d.constraintValues()[i]);
            }
            double rhsNorm = NormOps_DDRM.normF(rhs);
            double kNorm = NormOps_DDRM.normF(kkt2);
            DMatrixRMaj meritCurvature =
                    referenceQuirks
                            ? problem.derivatives(x, new double[m], manager).lagrangianHessian()
                            : h;

            KktSketch sketch =
                    kktSolver == KktSolver.EXACT ? null : new KktSketch(kkt2, rhs, referenceQuirks);
            DMatrixRMaj direction =
                    kktSolver == KktSolver.EXACT ? KktSketch.exactSolve(kkt2, rhs) : null;
            if (kktSolver == KktSolver.EXACT && direction == null) {
                status = Status.SINGULAR_JACOBIAN;
                message = "the KKT matrix is singular to working precision at iteration " + k;
                break;
            }
            double[] meritGradient;
            double slope;
            while (true) {
                if (sketch != null) {
                    double threshold = delta * rhsNorm;
                    int pass = 0;
                    while (kNorm * psi * sketch.residualNorm() > threshold
                            && pass < maxSketchSteps) {
                        if (kktSolver == KktSolver.GAUSSIAN_SKETCH) {
                            sketch.gaussianStep(random);
                        } else {
                            sketch.kaczmarzStep(random);
                        }
                        pass++;
                    }
                    direction = sketch.delta();
                }
                meritGradient = meritGradient(d, meritCurvature, eta1, eta2);
                slope = ConjugateGradient.dot(meritGradient, direction.data);
                if (eta1 > ETA1_CAP || eta2 < ETA2_FLOOR) {
                    break;
                }
                if (slope > -(eta2 / 2) * rhsNorm * rhsNorm) {
                    eta1 *= nu * nu;
                    eta2 /= nu;
                    delta =
                            Math.max(
                                    Math.min(
                                            delta / Math.pow(nu, 4),
                                            deltaTrial(eta1, eta2, upsilon, psi)),
                                    DELTA_FLOOR);
                } else {
                    break;
                }
            }

            double merit =
                    merit(
                            d.value(),
                            d.constraintValues(),
                            d.lagrangianGradient(),
                            lambda,
                            eta1,
                            eta2);
            double alpha = 1;
            double[] trialX = new double[n];
            double[] trialLambda = new double[m];
            int halvings = 0;
            while (true) {
                for (int i = 0; i < n; i++) {
                    trialX[i] = x[i] + alpha * direction.get(i, 0);
                }
                for (int i = 0; i < m; i++) {
                    trialLambda[i] = lambda[i] + alpha * direction.get(n + i, 0);
                }
                EqualityConstrainedProblem.FirstOrder trial =
                        problem.firstOrder(trialX, trialLambda, manager);
                if (trial.isFinite()) {
                    double trialMerit =
                            merit(
                                    trial.value(),
                                    trial.constraintValues(),
                                    trial.lagrangianGradient(),
                                    trialLambda,
                                    eta1,
                                    eta2);
                    if (trialMerit <= merit + alpha * beta * slope) {
                        break;
                    }
                }
                if (halvings == maxBacktracks) {
                    break;
                }
                alpha *= 0.5;
                halvings++;
            }
            if (halvings == maxBacktracks) {
                status = Status.LINE_SEARCH_FAILED;
                message =
                        String.format(
                                "no Armijo decrease of the merit function in %d halvings at"
                                        + " iteration %d (directional derivative %.3e)",
                                maxBacktracks, k, slope);
                break;
            }
            x = trialX.clone();
            lambda = trialLambda.clone();
            k++;
            try {
                d = problem.derivatives(x, lambda, manager);
            } catch (IllegalStateException e) {
                status = Status.NON_FINITE;
                message =
                        "f, c or a derivative is not finite at iteration "
                                + k
                                + ": "
                                + e.getMessage();
                break;
            }
            history.add(
                    new Iterate(
                            k,
                            d.value(),
                            d.kktResidual(),
                            Residuals.norm(d.constraintValues()),
                            alpha,
                            sketch == null ? 0 : sketch.steps(),
                            eta1,
                            eta2,
                            delta,
                            slope));
            if (!d.isFinite() || !Double.isFinite(d.kktResidual())) {
                status = Status.NON_FINITE;
                message = "f, c or a derivative is not finite at iteration " + k;
                break;
            }
            if (d.kktResidual() < bestKkt) {
                bestKkt = d.kktResidual();
                bestX = x.clone();
                bestLambda = lambda.clone();
            }
        }
        List<Iterate> finite = new ArrayList<>();
        for (Iterate it : history) {
            if (Double.isFinite(it.kktResidual())) {
                finite.add(it);
            }
        }
        return new Result(bestX, bestLambda, status, message, k, List.copyOf(finite));
    }

    private double deltaTrial(double eta1, double eta2, double upsilon, double psi) {
        return (0.5 - beta) * eta2 / ((1 + eta1 + eta2) * upsilon * upsilon * psi * psi);
    }

    /** L_η = f + cᵀλ + (η₁/2)‖c‖² + (η₂/2)‖∇ₓL‖². */
    static double merit(
            double f, double[] c, double[] gradL, double[] lambda, double eta1, double eta2) {
        double cc = ConjugateGradient.dot(c, c);
        return f
                + ConjugateGradient.dot(c, lambda)
                + 0.5 * eta1 * cc
                + 0.5 * eta2 * ConjugateGradient.dot(gradL, gradL);
    }

    /** ∇L_η = (∇ₓL + η₂·M·∇ₓL + η₁·Gᵀc, c + η₂·G·∇ₓL), M = ∇²ₓL (or ∇²f in reference mode). */
    static double[] meritGradient(
            EqualityConstrainedProblem.Derivatives d,
            DMatrixRMaj curvature,
            double eta1,
            double eta2) {
        DMatrixRMaj g = d.jacobian();
        int m = g.numRows;
        int n = g.numCols;
        double[] gradL = d.lagrangianGradient();
        double[] c = d.constraintValues();
        double[] result = new double[n + m];
        for (int i = 0; i < n; i++) {
            double mg = 0;
            for (int j = 0; j < n; j++) {
                mg += curvature.get(i, j) * gradL[j];
            }
            double gc = 0;
            for (int r = 0; r < m; r++) {
                gc += g.get(r, i) * c[r];
            }
            result[i] = gradL[i] + eta2 * mg + eta1 * gc;
        }
        for (int r = 0; r < m; r++) {
            double gg = 0;
            for (int j = 0; j < n; j++) {
                gg += g.get(r, j) * gradL[j];
            }
            result[n + r] = c[r] + eta2 * gg;
        }
        return result;
    }

    /** [[B, Gᵀ], [G, 0]]. */
    static DMatrixRMaj kktMatrix(DMatrixRMaj b, DMatrixRMaj g) {
        int n = b.numRows;
        int m = g.numRows;
        DMatrixRMaj k = new DMatrixRMaj(n + m, n + m);
        CommonOps_DDRM.insert(b, k, 0, 0);
        CommonOps_DDRM.insert(CommonOps_DDRM.transpose(g, null), k, 0, n);
        CommonOps_DDRM.insert(g, k, n, 0);
        return k;
    }

    /** ZᵀHZ with Z the last n − m columns of the full Q of QR(Gᵀ), a basis of ker G. */
    private static DMatrixRMaj reducedHessian(DMatrixRMaj g, DMatrixRMaj h) {
        int m = g.numRows;
        int n = g.numCols;
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, m);
        if (!qr.decompose(CommonOps_DDRM.transpose(g, null))) {
            throw new IllegalStateException("QR of the constraint Jacobian failed");
        }
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj z = CommonOps_DDRM.extract(q, 0, n, m, n);
        DMatrixRMaj hz = new DMatrixRMaj(n, n - m);
        CommonOps_DDRM.mult(h, z, hz);
        DMatrixRMaj reduced = new DMatrixRMaj(n - m, n - m);
        CommonOps_DDRM.multTransA(z, hz, reduced);
        return reduced;
    }

    private static DMatrixRMaj multTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, c);
        return c;
    }

    /** The smallest eigenvalue of a symmetric matrix (symmetrized first); NaN if it fails. */
    static double minEigenvalue(DMatrixRMaj symmetric) {
        int size = symmetric.numRows;
        DMatrixRMaj s = new DMatrixRMaj(size, size);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                s.set(i, j, 0.5 * (symmetric.get(i, j) + symmetric.get(j, i)));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(size, false, true);
        if (!eig.decompose(s)) {
            return Double.NaN;
        }
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, eig.getEigenvalue(i).getReal());
        }
        return min;
    }

    /** Builds {@link ExactAugmentedLagrangian}; defaults are the reference's. */
    public static final class Builder {
        private KktSolver kktSolver = KktSolver.GAUSSIAN_SKETCH;
        private double eta1 = 1.0;
        private double eta2 = 0.1;
        private double delta = 0.1;
        private double xiB = 0.1;
        private double beta = 0.1;
        private double nu = 1.5;
        private double tolerance = 1e-4;
        private int maxIterations = 10_000;
        private int maxSketchSteps = 100_000;
        private int maxBacktracks = 60;
        private double singularityThreshold = 1e-2;
        private boolean referenceQuirks;
        private long seed = 2023;

        Builder() {}

        /**
         * Sets how the Newton–KKT system is solved (default {@link KktSolver#GAUSSIAN_SKETCH}).
         *
         * @param kktSolver the solver
         * @return this builder
         */
        public Builder optKktSolver(KktSolver kktSolver) {
            this.kktSolver = Objects.requireNonNull(kktSolver, "kktSolver");
            return this;
        }

        /**
         * Sets the initial η₁ &gt; 0 (default 1).
         *
         * @param eta1 η₁
         * @return this builder
         */
        public Builder optEta1(double eta1) {
            this.eta1 = eta1;
            return this;
        }

        /**
         * Sets the initial η₂ &gt; 0 (default 0.1).
         *
         * @param eta2 η₂
         * @return this builder
         */
        public Builder optEta2(double eta2) {
            this.eta2 = eta2;
            return this;
        }

        /**
         * Sets the initial accuracy δ in (0, 1] (default 0.1).
         *
         * @param delta δ
         * @return this builder
         */
        public Builder optDelta(double delta) {
            this.delta = delta;
            return this;
        }

        /**
         * Sets ξ_B &gt; 0, the extra Hessian shift (default 0.1).
         *
         * @param xiB ξ_B
         * @return this builder
         */
        public Builder optXiB(double xiB) {
            this.xiB = xiB;
            return this;
        }

        /**
         * Sets the Armijo constant β in (0, ½) (default 0.1).
         *
         * @param beta β
         * @return this builder
         */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Sets the penalty growth factor ν &gt; 1 (default 1.5).
         *
         * @param nu ν
         * @return this builder
         */
        public Builder optNu(double nu) {
            this.nu = nu;
            return this;
        }

        /**
         * Sets the KKT tolerance &gt; 0 on ‖(∇ₓL, c)‖₂ (default 1e-4).
         *
         * @param tolerance the tolerance
         * @return this builder
         */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Sets the iteration cap ≥ 0 (default 10⁴).
         *
         * @param maxIterations the cap
         * @return this builder
         */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Sets the cap ≥ 1 on sketch steps per pass of the accuracy loop (default 10⁵).
         *
         * @param maxSketchSteps the cap
         * @return this builder
         */
        public Builder optMaxSketchSteps(int maxSketchSteps) {
            this.maxSketchSteps = maxSketchSteps;
            return this;
        }

        /**
         * Sets the cap ≥ 1 on Armijo halvings (default 60).
         *
         * @param maxBacktracks the cap
         * @return this builder
         */
        public Builder optMaxBacktracks(int maxBacktracks) {
            this.maxBacktracks = maxBacktracks;
            return this;
        }

        /**
         * Sets the threshold &gt; 0 on λ_min(GGᵀ) below which a run stops as singular (default
         * 1e-2, the reference's).
         *
         * @param singularityThreshold the threshold
         * @return this builder
         */
        public Builder optSingularityThreshold(double singularityThreshold) {
            this.singularityThreshold = singularityThreshold;
            return this;
        }

        /**
         * Reproduces the reference code's two departures from the paper: ∇²f instead of ∇²ₓL in the
         * merit gradient, and the sketch started with r = +b (default false).
         *
         * @param referenceQuirks whether to reproduce them
         * @return this builder
         */
        public Builder optReferenceQuirks(boolean referenceQuirks) {
            this.referenceQuirks = referenceQuirks;
            return this;
        }

        /**
         * Sets the seed of the sketches' random draws (default 2023, the reference's).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the solver
         * @throws IllegalArgumentException naming the first value out of range
         */
        public ExactAugmentedLagrangian build() {
            positive("eta1", eta1);
            positive("eta2", eta2);
            if (!(delta > 0 && delta <= 1)) {
                throw new IllegalArgumentException("delta must be in (0, 1], got " + delta);
            }
            positive("xiB", xiB);
            if (!(beta > 0 && beta < 0.5)) {
                throw new IllegalArgumentException("beta must be in (0, 0.5), got " + beta);
            }
            if (!(nu > 1) || !Double.isFinite(nu)) {
                throw new IllegalArgumentException("nu must be finite and > 1, got " + nu);
            }
            positive("tolerance", tolerance);
            positive("singularityThreshold", singularityThreshold);
            if (maxIterations < 0) {
                throw new IllegalArgumentException(
                        "maxIterations must be >= 0, got " + maxIterations);
            }
            if (maxSketchSteps < 1) {
                throw new IllegalArgumentException(
                        "maxSketchSteps must be >= 1, got " + maxSketchSteps);
            }
            if (maxBacktracks < 1) {
                throw new IllegalArgumentException(
                        "maxBacktracks must be >= 1, got " + maxBacktracks);
            }
            return new ExactAugmentedLagrangian(this);
        }

        private static void positive(String name, double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
            }
        }
    }
}
