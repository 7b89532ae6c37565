package dev.descent.solve;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Variable-block rules: the τ best coordinates (see {@link BlockRule}). */
final class VariableBlockSelection implements BlockSelection {

    /** Hard-thresholding iterations of the reference's IHT rule. */
    static final int IHT_ITERATIONS = 10;

    /** IHT stops early when ‖d_old − d‖ falls below this. */
    static final double IHT_TOLERANCE = 1e-10;

    private final BlockObjective objective;
    private final int tau;
    private final BlockRule rule;
    private final SplittableRandom random;
    private final double[] lipschitz;
    private final double[] rowAbsSums;
    private final double ihtStep;
    private int[] permutation;

    VariableBlockSelection(BlockObjective objective, int blockSize, BlockRule rule, long seed) {
        int n = objective.dimension();
        if (blockSize < 1 || blockSize > n) {
            throw new IllegalArgumentException(
                    "blockSize must be in [1, " + n + "], got " + blockSize);
        }
        this.objective = objective;
        this.tau = blockSize;
        this.rule = rule;
        this.random = new SplittableRandom(seed);
        this.lipschitz = objective.coordinateLipschitz();
        BlockPartitions.checkLipschitz(lipschitz);
        this.rowAbsSums = rule == BlockRule.GSL ? objective.boundAbsRowSums() : null;
        double lambda = 0;
        if (rule == BlockRule.GSQ) {
            lambda =
                    objective instanceof CachedBounds
                            ? ((CachedBounds) objective).boundLambdaMax()
                            : BlockMath.boundLambdaMax(objective);
        }
        this.ihtStep = lambda > 0 ? 1 / lambda : 0;
    }

    @Override
    public int[] next(double[] x, double[] g, int iteration) {
        int n = g.length;
        switch (rule) {
            case RANDOM:
                return sorted(Arrays.copyOf(shuffled(n), tau));
            case CYCLIC:
                if (iteration % n == 0 || permutation == null) {
                    permutation = shuffled(n);
                }
                int slice = iteration % (n / tau);
                return sorted(Arrays.copyOfRange(permutation, slice * tau, (slice + 1) * tau));
            case LIPSCHITZ:
                return sampleWithoutReplacement();
            case GS:
                return top(scores(g, null));
            case GSD:
                return top(scores(g, lipschitz));
            case GSL:
                return top(scores(g, rowAbsSums));
            case GSQ:
                return hardThresholding(g);
            default:
                throw new IllegalStateException("unknown rule " + rule);
        }
    }

    /** |g_i| / √w_i (0 where w_i = 0), or |g_i| for w = null. */
    static double[] scores(double[] g, double[] w) {
        double[] s = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            if (w == null) {
                s[i] = Math.abs(g[i]);
            } else {
                s[i] = w[i] > 0 ? Math.abs(g[i]) / Math.sqrt(w[i]) : 0;
            }
        }
        return s;
    }

    /** The τ largest scores, ties to the larger index; sorted ascending. */
    private int[] top(double[] s) {
        return sorted(Arrays.copyOfRange(ascending(s), s.length - tau, s.length));
    }

    static int[] ascending(double[] s) {
        return IntStream.range(0, s.length)
                .boxed()
                .sorted(Comparator.comparingDouble(i -> s[i]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private int[] hardThresholding(double[] g) {
        int n = g.length;
        double[] d = scoresSigned(g);
        double[] old = d.clone();
        int[] order = ascending(absolute(d));
        for (int it = 0; it < IHT_ITERATIONS; it++) {
            double[] hd = objective.boundTimes(d);
            for (int i = 0; i < n; i++) {
                d[i] -= ihtStep * (g[i] + hd[i]);
            }
            order = ascending(absolute(d));
            for (int k = 0; k < n - tau; k++) {
                d[order[k]] = 0;
            }
            double change = 0;
            for (int i = 0; i < n; i++) {
                change += (old[i] - d[i]) * (old[i] - d[i]);
            }
            if (Math.sqrt(change) < IHT_TOLERANCE) {
                break;
            }
            old = d.clone();
        }
        return sorted(Arrays.copyOfRange(order, n - tau, n));
    }

    /** d₀ = g / √L (0 where L_i = 0). */
    private double[] scoresSigned(double[] g) {
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            d[i] = lipschitz[i] > 0 ? g[i] / Math.sqrt(lipschitz[i]) : 0;
        }
        return d;
    }

    private static double[] absolute(double[] v) {
        return Arrays.stream(v).map(Math::abs).toArray();
    }

    private int[] shuffled(int n) {
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** τ draws, each ∝ L_i over the coordinates not drawn yet (uniform once no weight is left). */
    private int[] sampleWithoutReplacement() {
        int n = lipschitz.length;
        boolean[] used = new boolean[n];
        int[] chosen = new int[tau];
        for (int k = 0; k < tau; k++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += used[i] ? 0 : lipschitz[i];
            }
            int pick = -1;
            if (total > 0) {
                double u = random.nextDouble() * total;
                for (int i = 0; i < n && pick < 0; i++) {
                    if (!used[i] && lipschitz[i] > 0) {
                        u -= lipschitz[i];
                        if (u < 0) {
                            pick = i;
                        }
                    }
                }
            }
            if (pick < 0) {
                int skip = random.nextInt(n - k);
                for (int i = 0; i < n && pick < 0; i++) {
                    if (!used[i] && skip-- == 0) {
                        pick = i;
                    }
                }
            }
            used[pick] = true;
            chosen[k] = pick;
        }
        return sorted(chosen);
    }

    static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }
}
