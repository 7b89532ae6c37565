package dev.descent.solve;

import java.util.Arrays;

/**
 * Bookkeeping shared by the iterative solvers: checks the system, records ‖r_k‖ / ‖r₀‖ per
 * iteration and keeps a copy of the iterate with the smallest residual.
 */
final class Residuals {

    private final StoppingRule rule;
    private final double initialNorm;
    private double[] history;
    private int iterations;
    private final double[] best;
    private double bestResidual;

    private Residuals(StoppingRule rule, double[] x0, double initialNorm) {
        this.rule = rule;
        this.initialNorm = initialNorm;
        this.history = new double[Math.min(rule.maxIterations(), 1024) + 1];
        this.history[0] = initialNorm == 0 ? 0 : 1;
        this.best = x0.clone();
        this.bestResidual = history[0];
    }

    /**
     * Checks the system and starts the record at ‖r₀‖.
     *
     * @param method the solver's name, for messages
     * @param symmetric whether the method needs A = Aᵀ with a positive diagonal
     */
    static Residuals start(
            String method,
            CsrMatrix a,
            double[] b,
            double[] x0,
            double[] r0,
            StoppingRule rule,
            boolean symmetric) {
        check(method, a, b, x0, symmetric);
        return checked(x0, r0, rule);
    }

    /**
     * Starts the record at ‖r₀‖ for a system already {@linkplain #check checked}.
     *
     * @param x0 the start, copied as the first best iterate
     * @param r0 b − A x₀
     */
    static Residuals checked(double[] x0, double[] r0, StoppingRule rule) {
        return new Residuals(rule, x0, norm(r0));
    }

    static void check(String method, CsrMatrix a, double[] b, double[] x0, boolean symmetric) {
        a.requireSquare(method);
        int n = a.rows();
        if (b.length != n) {
            throw new IllegalArgumentException(
                    method + ": b has length " + b.length + ", the matrix is " + n + " x " + n);
        }
        if (x0.length != n) {
            throw new IllegalArgumentException(
                    method + ": x0 has length " + x0.length + ", the matrix is " + n + " x " + n);
        }
        requireFinite(method, "b", b);
        requireFinite(method, "x0", x0);
        if (symmetric) {
            if (!a.isSymmetric(1e-12)) {
                throw new IllegalArgumentException(
                        method + " needs a symmetric positive definite matrix; A is not symmetric");
            }
            double[] d = a.diagonal();
            for (int i = 0; i < n; i++) {
                if (!(d[i] > 0)) {
                    throw new IllegalArgumentException(
                            method
                                    + " needs a symmetric positive definite matrix; A["
                                    + i
                                    + ", "
                                    + i
                                    + "] = "
                                    + d[i]);
                }
            }
        }
    }

    static void requireFinite(String method, String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(
                        method
                                + ": "
                                + name
                                + "["
                                + i
                                + "] is "
                                + v[i]
                                + ", expected a finite value");
            }
        }
    }

    /** Whether every entry is finite. */
    static boolean allFinite(double[] v) {
        for (double e : v) {
            if (!Double.isFinite(e)) {
                return false;
            }
        }
        return true;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** Whether the start already meets the rule (r₀ = 0). */
    boolean done() {
        return initialNorm == 0;
    }

    /**
     * Records the residual of the iterate x after one more iteration.
     *
     * @return the status to stop with, or null to go on
     */
    SolveStatus record(double residualNorm, double[] x) {
        if (iterations + 1 == history.length) {
            history =
                    Arrays.copyOf(history, Math.min(2 * history.length, rule.maxIterations() + 1));
        }
        if (!Double.isFinite(residualNorm)) {
            return SolveStatus.BREAKDOWN;
        }
        double relative = residualNorm / initialNorm;
        history[++iterations] = relative;
        if (relative < bestResidual) {
            bestResidual = relative;
            System.arraycopy(x, 0, best, 0, x.length);
        }
        if (rule.met(relative)) {
            return SolveStatus.CONVERGED;
        }
        return iterations >= rule.maxIterations() ? SolveStatus.ITERATION_LIMIT : null;
    }

    /** The result with the best iterate. */
    SolveResult finish(SolveStatus status) {
        return new SolveResult(best, iterations, Arrays.copyOf(history, iterations + 1), status);
    }
}
