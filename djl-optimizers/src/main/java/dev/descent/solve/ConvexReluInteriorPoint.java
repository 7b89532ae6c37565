package dev.descent.solve;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * A log-barrier interior-point method for the convex two-layer ReLU program ({@link
 * ConvexReluProgram}), written independently of {@link ConvexReluAdmm} to give its optimum to high
 * accuracy on small problems (the "generic convex solve" the ADMM is checked against).
 *
 * <p>The group norms are moved into second-order cones: with one bound {@code t_g} per group {@code
 * u_g} (the vᵢ, then the wᵢ), the program is
 *
 * <pre>
 * minimize f₀ = ½‖F u − y‖² + β Σ_g t_g   s.t.  G_g u_g ≥ 0,  ‖u_g‖ ≤ t_g
 * </pre>
 *
 * and the barrier method of Boyd and Vandenberghe (Convex Optimization, §11.3) minimizes {@code τ
 * f₀ − Σ log(G u) − Σ_g log(t_g² − ‖u_g‖²)} by damped Newton steps (dense Hessian, EJML Cholesky;
 * backtracking halves the step until the point is strictly feasible and the Armijo condition with α
 * = 0.01 holds), stops centring when the Newton decrement λ²/2 ≤ {@value
 * #CENTRING_TOLERANCE}·max(1, |φ|) for the barrier objective φ (relative: at τ ≈ 1e12 φ is large
 * and an absolute bound lies below its float64 resolution), or when a step lowers φ by less than
 * 1e-14·|φ|, then multiplies τ by μ = {@value #MU}. When round-off makes a Hessian fail Cholesky,
 * it is retried with the diagonal raised by 1e-14·max diag (then ×100, twice more), a damped Newton
 * step. The barrier's parameter is ν = (rows used)·2P + 2·2P, and f₀ at the centre exceeds the
 * optimum by at most ν/τ; the run ends when ν/τ ≤ {@code gap}. Rows of X that are all zero
 * constrain nothing and are skipped.
 *
 * <p>The start is {@code u_g = hᵢ/‖hᵢ‖} for the generator hᵢ of the group's pattern and {@code t_g
 * = 2}, which is strictly feasible when no row of X is orthogonal to hᵢ (else an {@link
 * IllegalStateException} names the pattern).
 */
public final class ConvexReluInteriorPoint {

    /** The factor τ grows by between centring phases. */
    public static final double MU = 10;

    /** The centring stops at λ²/2 below this times max(1, |barrier objective|). */
    public static final double CENTRING_TOLERANCE = 1e-12;

    /**
     * A Newton step that lowers the barrier objective by less than this (relative) ends centring.
     */
    private static final double RESOLUTION = 1e-14;

    private static final int MAX_NEWTON_STEPS_PER_CENTRING = 200;
    private static final double SHIFT = 1e-14;
    private static final double ARMIJO = 0.01;

    /**
     * The outcome of a barrier run.
     *
     * @param solution the last centre (strictly feasible)
     * @param objective the program's objective there
     * @param gapBound ν/τ of the last completed centring, a bound on objective − optimum (the point
     *     returned after a breakdown has had further Newton steps at the next τ)
     * @param newtonSteps Newton steps done in all
     * @param status CONVERGED when ν/τ ≤ the requested gap; BREAKDOWN when a Newton system could
     *     not be factored (at large τ the Hessian's scales part beyond float64) or a centring did
     *     not converge: the last iterate is returned, strictly feasible, with the bound reached
     *     before
     */
    public record Result(
            ConvexReluSolution solution,
            double objective,
            double gapBound,
            int newtonSteps,
            SolveStatus status) {}

    private ConvexReluInteriorPoint() {}

    /**
     * Solves the program to the duality-gap bound {@code gap}.
     *
     * @param program the program (not modified)
     * @param gap the absolute bound ν/τ to reach, finite and &gt; 0
     * @return the result
     * @throws IllegalArgumentException when gap is not finite and &gt; 0
     * @throws IllegalStateException when the start is not strictly feasible
     */
    public static Result solve(ConvexReluProgram program, double gap) {
        if (!(gap > 0) || !Double.isFinite(gap)) {
            throw new IllegalArgumentException("gap must be finite and > 0, got " + gap);
        }
        double[][] x = program.data();
        double[] y = program.targetsView();
        boolean[][] masks = program.masks();
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        int groups = 2 * p;
        int uSize = groups * d;
        int size = uSize + groups;
        double beta = program.beta();
        boolean[] used = new boolean[n];
        int rowsUsed = 0;
        for (int r = 0; r < n; r++) {
            used[r] = ConvexReluProgram.norm(x[r]) > 0;
            rowsUsed += used[r] ? 1 : 0;
        }
        double barrierParameter = (double) rowsUsed * groups + 2.0 * groups;

        double[] z = new double[size];
        for (int g = 0; g < groups; g++) {
            double[] h = program.generator(g % p);
            double norm = ConvexReluProgram.norm(h);
            for (int j = 0; j < d; j++) {
                z[g * d + j] = h[j] / norm;
            }
            z[uSize + g] = 2;
        }
        double[] c = new double[groups * n];
        ConvexReluAdmm.applyG(x, masks, z, c);
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < n; r++) {
                if (used[r] && !(c[g * n + r] > 0)) {
                    throw new IllegalStateException(
                            "pattern "
                                    + (g % p)
                                    + ": its generator lies on the hyperplane of row "
                                    + r
                                    + ", no strictly feasible start");
                }
            }
        }
        DMatrixRMaj fHessian = program.lossGram();
        double tau = 1;
        double completedGap = Double.POSITIVE_INFINITY;
        int steps = 0;
        DMatrixRMaj hessian = new DMatrixRMaj(size, size);
        DMatrixRMaj gradient = new DMatrixRMaj(size, 1);
        DMatrixRMaj direction = new DMatrixRMaj(size, 1);
        double[] trial = new double[size];
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(size);
        while (true) {
            boolean centred = false;
            for (int k = 0; k < MAX_NEWTON_STEPS_PER_CENTRING; k++) {
                double value = barrierObjective(x, masks, used, y, z, tau, beta);
                derivatives(x, masks, used, y, z, tau, beta, fHessian, gradient, hessian);
                if (!factorShifted(cholesky, hessian)) {
                    return finish(program, z, completedGap, steps, SolveStatus.BREAKDOWN);
                }
                cholesky.solve(gradient, direction);
                CommonOps_DDRM.scale(-1, direction);
                double decrement = -CommonOps_DDRM.dot(gradient, direction);
                if (!(decrement >= 0) || !Double.isFinite(decrement)) {
                    return finish(program, z, completedGap, steps, SolveStatus.BREAKDOWN);
                }
                if (decrement / 2 <= CENTRING_TOLERANCE * Math.max(1, Math.abs(value))) {
                    centred = true;
                    break;
                }
                double stepLength = 1;
                double trialValue = value;
                boolean accepted = false;
                while (stepLength > 1e-14) {
                    for (int i = 0; i < size; i++) {
                        trial[i] = z[i] + stepLength * direction.data[i];
                    }
                    trialValue = barrierObjective(x, masks, used, y, trial, tau, beta);
                    if (trialValue <= value - ARMIJO * stepLength * decrement) {
                        accepted = true;
                        break;
                    }
                    stepLength /= 2;
                }
                steps++;
                if (!accepted) {
                    // no decrease left at float64 resolution: the centre is as good as it gets
                    centred = true;
                    break;
                }
                System.arraycopy(trial, 0, z, 0, size);
                if (value - trialValue <= RESOLUTION * Math.abs(value)) {
                    centred = true;
                    break;
                }
            }
            if (!centred) {
                return finish(program, z, completedGap, steps, SolveStatus.BREAKDOWN);
            }
            completedGap = barrierParameter / tau;
            if (barrierParameter / tau <= gap) {
                return finish(program, z, barrierParameter / tau, steps, SolveStatus.CONVERGED);
            }
            tau *= MU;
        }
    }

    /**
     * Cholesky of the Hessian; when round-off makes it fail, retried with the diagonal raised by
     * {@value #SHIFT}·max diag, then ×100 up to twice (a damped but still descending Newton step).
     */
    private static boolean factorShifted(
            LinearSolverDense<DMatrixRMaj> cholesky, DMatrixRMaj hessian) {
        DMatrixRMaj copy = hessian.copy();
        if (cholesky.setA(copy)) {
            return true;
        }
        double largest = 0;
        for (int i = 0; i < hessian.numRows; i++) {
            largest = Math.max(largest, hessian.unsafe_get(i, i));
        }
        double shift = SHIFT * largest;
        for (int attempt = 0; attempt < 3; attempt++, shift *= 100) {
            copy.setTo(hessian);
            for (int i = 0; i < hessian.numRows; i++) {
                copy.unsafe_set(i, i, copy.unsafe_get(i, i) + shift);
            }
            if (cholesky.setA(copy)) {
                return true;
            }
        }
        return false;
    }

    private static Result finish(
            ConvexReluProgram program, double[] z, double gapBound, int steps, SolveStatus status) {
        int p = program.patterns();
        int d = program.dimension();
        ConvexReluSolution solution = ConvexReluAdmm.toSolution(z, p, d);
        return new Result(solution, program.objective(solution), gapBound, steps, status);
    }

    /** τ f₀ + barrier, +∞ outside the interior. */
    private static double barrierObjective(
            double[][] x,
            boolean[][] masks,
            boolean[] used,
            double[] y,
            double[] z,
            double tau,
            double beta) {
        int n = x.length;
        int d = x[0].length;
        int groups = 2 * masks.length;
        int uSize = groups * d;
        double barrier = 0;
        for (int g = 0; g < groups; g++) {
            boolean[] mask = masks[g % masks.length];
            for (int r = 0; r < n; r++) {
                if (!used[r]) {
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += x[r][j] * z[g * d + j];
                }
                double cg = mask[r] ? sum : -sum;
                if (!(cg > 0)) {
                    return Double.POSITIVE_INFINITY;
                }
                barrier -= Math.log(cg);
            }
            double t = z[uSize + g];
            double uu = 0;
            for (int j = 0; j < d; j++) {
                uu += z[g * d + j] * z[g * d + j];
            }
            double psi = t * t - uu;
            if (!(t > 0) || !(psi > 0)) {
                return Double.POSITIVE_INFINITY;
            }
            barrier -= Math.log(psi);
        }
        double[] fu = new double[n];
        ConvexReluAdmm.applyF(x, masks, z, fu);
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double e = fu[r] - y[r];
            loss += e * e;
        }
        double tSum = 0;
        for (int g = 0; g < groups; g++) {
            tSum += z[uSize + g];
        }
        return tau * (0.5 * loss + beta * tSum) + barrier;
    }

    /** The gradient and Hessian of τ f₀ + barrier at z. */
    private static void derivatives(
            double[][] x,
            boolean[][] masks,
            boolean[] used,
            double[] y,
            double[] z,
            double tau,
            double beta,
            DMatrixRMaj fHessian,
            DMatrixRMaj gradient,
            DMatrixRMaj hessian) {
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        int groups = 2 * p;
        int uSize = groups * d;
        double[] grad = gradient.data;
        Arrays.fill(grad, 0);
        hessian.zero();
        // τ f₀
        double[] fu = new double[n];
        ConvexReluAdmm.applyF(x, masks, z, fu);
        for (int r = 0; r < n; r++) {
            fu[r] -= y[r];
        }
        double[] ftr = new double[uSize];
        ConvexReluAdmm.applyFt(x, masks, fu, ftr);
        for (int i = 0; i < uSize; i++) {
            grad[i] = tau * ftr[i];
            for (int j = 0; j < uSize; j++) {
                hessian.unsafe_set(i, j, tau * fHessian.unsafe_get(i, j));
            }
        }
        for (int g = 0; g < groups; g++) {
            grad[uSize + g] = tau * beta;
        }
        for (int g = 0; g < groups; g++) {
            boolean[] mask = masks[g % p];
            int off = g * d;
            // −Σ log c: gradient −Gᵀ(1/c), Hessian Σ x xᵀ / c²
            for (int r = 0; r < n; r++) {
                if (!used[r]) {
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += x[r][j] * z[off + j];
                }
                double sign = mask[r] ? 1 : -1;
                double cg = sign * sum;
                for (int i = 0; i < d; i++) {
                    grad[off + i] -= sign * x[r][i] / cg;
                    double hi = x[r][i] / (cg * cg);
                    for (int j = 0; j < d; j++) {
                        hessian.unsafe_set(
                                off + i,
                                off + j,
                                hessian.unsafe_get(off + i, off + j) + hi * x[r][j]);
                    }
                }
            }
            // −log(t² − ‖u‖²)
            int ti = uSize + g;
            double t = z[ti];
            double uu = 0;
            for (int j = 0; j < d; j++) {
                uu += z[off + j] * z[off + j];
            }
            double psi = t * t - uu;
            for (int i = 0; i < d; i++) {
                double ui = z[off + i];
                grad[off + i] += 2 * ui / psi;
                for (int j = 0; j < d; j++) {
                    double value = 4 * ui * z[off + j] / (psi * psi) + (i == j ? 2 / psi : 0);
                    hessian.unsafe_set(
                            off + i, off + j, hessian.unsafe_get(off + i, off + j) + value);
                }
                double cross = -4 * ui * t / (psi * psi);
                hessian.unsafe_set(off + i, ti, cross);
                hessian.unsafe_set(ti, off + i, cross);
            }
            grad[ti] += -2 * t / psi;
            hessian.unsafe_set(ti, ti, -2 / psi + 4 * t * t / (psi * psi));
        }
    }
}
