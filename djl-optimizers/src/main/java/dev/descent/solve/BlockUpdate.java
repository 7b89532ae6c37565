package dev.descent.solve;

/**
 * How block coordinate descent moves the chosen block b (the reference's {@code update_rules.py};
 * Nutini, Laradji and Schmidt, arXiv 1712.08580, §4–5). With g_b = ∇_b f(x):
 *
 * <ul>
 *   <li>{@link #LIPSCHITZ} ("Lb"): x_b ← x_b − g_b / L_b, L_b = λ_max(H_b); guarantees f(x⁺) ≤ f(x)
 *       − ‖g_b‖² / (2 L_b).
 *   <li>{@link #MATRIX} ("Hb"): x_b ← x_b − pinv(H_b) g_b with the bound matrix H_b; the exact
 *       block minimizer of a quadratic; guarantees f(x⁺) ≤ f(x) − ½ g_bᵀ pinv(H_b) g_b.
 *   <li>{@link #NEWTON} ("LS"): d = −pinv(∇²_bb f(x)) g_b and x_b ← x_b + α d, α from 1 by the
 *       reference's backtracking: while f(x + α d) &gt; f(x) + 1e-10·α·g_bᵀd, α is set by the
 *       minimizer of the quadratic (first backtrack) or cubic (later ones) interpolating φ(α) = f(x
 *       + α d). Safeguard (not in the reference): an interpolated α that is not finite, not
 *       positive or not below the last one is replaced by half the last one; after 60 backtracks
 *       the update fails and the run ends with {@link SolveStatus#BREAKDOWN}.
 *   <li>{@link #BELIEF_PROPAGATION} ("bpGabp", quadratics only): x_b ← the solution of Q_bb x_b =
 *       c_b − Q_bc x_c by {@link GaussianBeliefPropagation}; the block must be a forest of Q's
 *       graph.
 * </ul>
 *
 * A block whose g_b is zero, or with L_b = 0, is left as it is (nothing to gain).
 */
public enum BlockUpdate {
    /** The gradient step 1/L_b. */
    LIPSCHITZ,
    /** The bound-matrix step H_b⁻¹ g_b. */
    MATRIX,
    /** Newton's step with the reference's line search. */
    NEWTON,
    /** Exact block minimization of a quadratic by Gaussian belief propagation on a forest. */
    BELIEF_PROPAGATION;

    /** The Armijo constant of the reference's line search. */
    static final double ARMIJO = 1e-10;

    /** Backtracks before a Newton update gives up. */
    static final int MAX_BACKTRACKS = 60;

    /**
     * Moves x_b in place.
     *
     * @return false when the Newton line search found no acceptable step (x unchanged)
     */
    boolean apply(BlockObjective f, double[] x, double[] g, int[] block) {
        double[] gb = BlockMath.gather(g, block);
        boolean zero = true;
        for (double v : gb) {
            zero &= v == 0;
        }
        if (zero) {
            return true;
        }
        switch (this) {
            case LIPSCHITZ:
                double lb = BlockMath.lambdaMax(f.blockBound(block));
                if (lb > 0) {
                    for (int i = 0; i < block.length; i++) {
                        x[block[i]] -= gb[i] / lb;
                    }
                }
                return true;
            case MATRIX:
                double[] d = BlockMath.pinvTimes(f.blockBound(block), gb);
                for (int i = 0; i < block.length; i++) {
                    x[block[i]] -= d[i];
                }
                return true;
            case NEWTON:
                return newton(f, x, gb, block);
            case BELIEF_PROPAGATION:
                QuadraticObjective quadratic = (QuadraticObjective) f;
                double[][] qbb = quadratic.blockBound(block);
                double[] h = new double[block.length];
                for (int i = 0; i < block.length; i++) { // c_b − Q_bc x_c = Q_bb x_b − g_b
                    double s = -gb[i];
                    for (int j = 0; j < block.length; j++) {
                        s += qbb[i][j] * x[block[j]];
                    }
                    h[i] = s;
                }
                double[] xb = GaussianBeliefPropagation.solveForest(quadratic.matrix(), block, h);
                for (int i = 0; i < block.length; i++) {
                    x[block[i]] = xb[i];
                }
                return true;
            default:
                throw new IllegalStateException("unknown update " + this);
        }
    }

    private static boolean newton(BlockObjective f, double[] x, double[] gb, int[] block) {
        double[] d = BlockMath.pinvTimes(f.hessian(x, block), gb);
        double phi = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = -d[i];
            phi += gb[i] * d[i];
        }
        if (!(phi < 0)) {
            return true; // g_b lies in the Hessian's null space: no descent along d
        }
        double f0 = f.value(x);
        double[] start = BlockMath.gather(x, block);
        double alpha = 1;
        double alphaOld = 0;
        double zOld = 0;
        for (int t = 1; ; t++) {
            for (int i = 0; i < block.length; i++) {
                x[block[i]] = start[i] + alpha * d[i];
            }
            double fa = f.value(x);
            if (fa <= f0 + ARMIJO * alpha * phi) {
                return true;
            }
            if (t > MAX_BACKTRACKS) {
                for (int i = 0; i < block.length; i++) {
                    x[block[i]] = start[i];
                }
                return false;
            }
            double z = fa - f0 - alpha * phi;
            double next;
            if (t == 1) {
                next = -phi * alpha * alpha / (2 * z);
            } else {
                double c = 1 / ((alpha - alphaOld) * alphaOld * alphaOld * alpha * alpha);
                double a = c * (alphaOld * alphaOld * z - alpha * alpha * zOld);
                double b = c * (-alphaOld * alphaOld * alphaOld * z + alpha * alpha * alpha * zOld);
                next = (-b + Math.sqrt(b * b - 3 * a * phi)) / (3 * a);
            }
            if (!Double.isFinite(next) || !(next > 0) || !(next < alpha)) {
                next = alpha / 2;
            }
            zOld = z;
            alphaOld = alpha;
            alpha = next;
        }
    }
}
