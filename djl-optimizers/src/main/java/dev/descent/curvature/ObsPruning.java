package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Pruning with M-FAC's static inverse Fisher (optimal brain surgeon, OBS): removes the weights
 * whose removal the local quadratic model says costs least, and moves the remaining weights to
 * compensate.
 *
 * <p>One step to sparsity s, over the weights still alive (the pruned ones stay zero and out of the
 * Fisher), with {@code F⁻¹} the inverse Fisher of m gradients at the current weights ({@link
 * StaticInverseFisher}, float64):
 *
 * <pre>
 * score_q = w_q² / (2·[F⁻¹]_qq)                   the loss increase of removing q alone
 * P = the k alive weights of lowest score,        k = round(s·d) − (already pruned)
 * w ← w + F⁻¹·Σ_{q in P} (−w_q/[F⁻¹]_qq)·e_q,   then w_q ← 0 for q in P
 * </pre>
 *
 * <p>For a single weight this is the OBS update exactly; for many it is the sum of their single
 * updates, as in the reference, so schedules that reach the target in several steps, each with
 * gradients recomputed at the pruned weights ({@link #prune}, {@link #geometricSchedule}), stay
 * closer to the joint optimum. {@link #pruneByMagnitude} is the baseline that drops the smallest
 * |w| without compensation. Every step reaches exactly {@code round(s·d)} zeros among the d
 * weights.
 *
 * <p>Paper: Frantar, Kurtic, Alistarh, "M-FAC: Efficient Matrix-Free Approximations of Second-Order
 * Information", arXiv:2107.03356 (§4, pruning); Hassibi and Stork, "Second order derivatives for
 * network pruning: Optimal Brain Surgeon", NIPS 1992. Reference implementation: IST-DASLab/M-FAC
 * {@code main_prun.py} ({@code MFACPruner}, {@code MagPruner}, {@code gradual_prun}); its pruning
 * runs use λ = 1e-5 and blocks of 128 for large models, and reach a sparsity in {@code nrecomps}
 * geometric steps.
 *
 * <p>Deviations from the reference: the number pruned is rounded rather than truncated, so the
 * target is met exactly; ties in the score are broken by the lower index.
 */
public final class ObsPruning {

    private ObsPruning() {}

    /** Gradients of the loss at given weights, one row per mini-batch. */
    @FunctionalInterface
    public interface GradientSource {

        /**
         * Returns m gradients at the weights.
         *
         * @param weights the d weights, pruned ones zero (not modified)
         * @return an m×d matrix (closed by the caller)
         */
        NDArray gradientsAt(double[] weights);
    }

    /**
     * Returns how many of d weights are zero at sparsity s.
     *
     * @param sparsity s, in [0, 1]
     * @param dimension d
     * @return {@code round(s·d)}
     */
    public static long prunedCount(double sparsity, long dimension) {
        checkSparsity(sparsity);
        return Math.round(sparsity * dimension);
    }

    /**
     * Returns the sparsities of a schedule from {@code from} to {@code to} in {@code steps} steps
     * whose densities fall geometrically: {@code 1 − (1 − from)·((1 − to)/(1 − from))^(j/steps)}
     * for j = 1…steps (the reference's {@code nrecomps}); the last is {@code to} exactly.
     *
     * @param from the current sparsity, in [0, 1)
     * @param to the target sparsity, in [from, 1]
     * @param steps the number of steps, {@code >= 1} (1 for one-shot pruning)
     * @return the sparsity after each step
     */
    public static double[] geometricSchedule(double from, double to, int steps) {
        checkSparsity(to);
        if (!(from >= 0 && from < 1) || from > to) {
            throw new IllegalArgumentException(
                    "from must be in [0, 1) and <= to (" + to + "), got " + from);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        double[] s = new double[steps];
        double factor = (1 - to) / (1 - from);
        for (int j = 1; j < steps; j++) {
            s[j - 1] = 1 - (1 - from) * Math.pow(factor, (double) j / steps);
        }
        s[steps - 1] = to;
        return s;
    }

    /**
     * Prunes to each sparsity of a schedule in turn, with fresh gradients at the current weights
     * before each step.
     *
     * @param weights the d weights (modified: pruned ones become 0, the rest compensate)
     * @param alive which weights are not pruned yet (modified)
     * @param schedule non-decreasing sparsities in [0, 1], e.g. from {@link #geometricSchedule}
     * @param source the gradients at given weights
     * @param damping λ of the Fisher, finite and {@code > 0}
     * @param blockSize the block size of the Fisher, or 0 for one block
     */
    public static void prune(
            double[] weights,
            boolean[] alive,
            double[] schedule,
            GradientSource source,
            double damping,
            long blockSize) {
        for (double s : schedule) {
            try (NDArray g = source.gradientsAt(weights)) {
                pruneStep(weights, alive, s, g, damping, blockSize);
            }
        }
    }

    /**
     * One OBS step to sparsity s.
     *
     * @param weights the d weights (modified)
     * @param alive which weights are not pruned yet (modified)
     * @param sparsity s, in [0, 1], not below the current sparsity
     * @param gradients m×d gradients at the weights (not modified)
     * @param damping λ, finite and {@code > 0}
     * @param blockSize the block size of the Fisher, or 0 for one block
     */
    public static void pruneStep(
            double[] weights,
            boolean[] alive,
            double sparsity,
            NDArray gradients,
            double damping,
            long blockSize) {
        int d = weights.length;
        Shape shape = gradients.getShape();
        if (shape.dimension() != 2 || shape.get(1) != d) {
            throw new IllegalArgumentException(
                    "gradients must be an m×" + d + " matrix, got shape " + shape);
        }
        int[] live = aliveIndices(weights, alive);
        int k = toPrune(sparsity, d, live.length);
        if (k == 0) {
            return;
        }
        int m = Math.toIntExact(shape.get(0));
        double[] all = Vectors.toHost(gradients);
        double[] kept = new double[m * live.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < live.length; j++) {
                kept[i * live.length + j] = all[i * d + live[j]];
            }
        }
        NDManager manager = gradients.getManager();
        try (NDManager scope = manager.newSubManager()) {
            NDArray restricted =
                    scope.create(kept, new Shape(m, live.length))
                            .toDevice(gradients.getDevice(), false);
            try (StaticInverseFisher fisher =
                    StaticInverseFisher.of(restricted, damping, blockSize)) {
                double[] diagonal = Vectors.toHost(fisher.diagonal(scope));
                double[] w = new double[live.length];
                double[] score = new double[live.length];
                for (int j = 0; j < live.length; j++) {
                    w[j] = weights[live[j]];
                    score[j] = w[j] * w[j] / (2 * diagonal[j]);
                }
                int[] drop = lowest(score, k);
                double[] push = new double[live.length];
                for (int j : drop) {
                    push[j] = -w[j] / diagonal[j];
                }
                NDArray pushed = scope.create(push).toDevice(restricted.getDevice(), false);
                double[] update = Vectors.toHost(fisher.multiply(pushed));
                for (int j = 0; j < live.length; j++) {
                    weights[live[j]] = w[j] + update[j];
                }
                for (int j : drop) {
                    weights[live[j]] = 0;
                    alive[live[j]] = false;
                }
            }
        }
    }

    /**
     * One magnitude-pruning step to sparsity s: the alive weights of smallest |w| become 0, the
     * others are left as they are.
     *
     * @param weights the d weights (modified)
     * @param alive which weights are not pruned yet (modified)
     * @param sparsity s, in [0, 1], not below the current sparsity
     */
    public static void pruneByMagnitude(double[] weights, boolean[] alive, double sparsity) {
        int[] live = aliveIndices(weights, alive);
        int k = toPrune(sparsity, weights.length, live.length);
        double[] magnitude = new double[live.length];
        for (int j = 0; j < live.length; j++) {
            magnitude[j] = Math.abs(weights[live[j]]);
        }
        for (int j : lowest(magnitude, k)) {
            weights[live[j]] = 0;
            alive[live[j]] = false;
        }
    }

    private static int[] aliveIndices(double[] weights, boolean[] alive) {
        if (alive.length != weights.length) {
            throw new IllegalArgumentException(
                    "alive has "
                            + alive.length
                            + " entries but there are "
                            + weights.length
                            + " weights");
        }
        return IntStream.range(0, weights.length).filter(i -> alive[i]).toArray();
    }

    private static int toPrune(double sparsity, int d, int alive) {
        long target = prunedCount(sparsity, d);
        long pruned = d - alive;
        if (target < pruned) {
            throw new IllegalArgumentException(
                    "sparsity "
                            + sparsity
                            + " keeps more weights than are alive: "
                            + pruned
                            + " of "
                            + d
                            + " are pruned already");
        }
        return Math.toIntExact(target - pruned);
    }

    /** The positions of the k smallest values, ties by position. */
    private static int[] lowest(double[] values, int k) {
        return IntStream.range(0, values.length)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> values[j]).thenComparing(j -> j))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static void checkSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
        }
    }
}
