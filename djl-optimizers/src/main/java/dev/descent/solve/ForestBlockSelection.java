package dev.descent.solve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Greedy forests of a quadratic's graph (see {@link BlockSelection#greedyForest}). */
final class ForestBlockSelection implements BlockSelection {

    private final CsrMatrix q;
    private final BlockRule rule;
    private final SplittableRandom random;
    private final double[] lipschitz;

    ForestBlockSelection(QuadraticObjective objective, BlockRule rule, long seed) {
        if (rule != BlockRule.GS && rule != BlockRule.GSL && rule != BlockRule.RANDOM) {
            throw new IllegalArgumentException("greedyForest takes GS, GSL or RANDOM, got " + rule);
        }
        this.q = objective.matrix();
        this.rule = rule;
        this.random = new SplittableRandom(seed);
        this.lipschitz = objective.coordinateLipschitz();
    }

    @Override
    public int[] next(double[] x, double[] g, int iteration) {
        int n = g.length;
        int[] order;
        if (rule == BlockRule.RANDOM) {
            order = IntStream.range(0, n).toArray();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        } else {
            int[] up =
                    VariableBlockSelection.ascending(
                            VariableBlockSelection.scores(
                                    g, rule == BlockRule.GSL ? lipschitz : null));
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = up[n - 1 - i];
            }
        }
        return forest(q, order);
    }

    /**
     * Adds the coordinates in the given order while the induced graph stays a forest: a coordinate
     * joins when its neighbours already in the block lie in pairwise different trees.
     *
     * @return the block, sorted
     */
    static int[] forest(CsrMatrix q, int[] order) {
        int n = q.rows();
        int[] uf = new int[n];
        boolean[] in = new boolean[n];
        for (int i = 0; i < n; i++) {
            uf[i] = i;
        }
        List<Integer> block = new ArrayList<>();
        List<Integer> roots = new ArrayList<>();
        for (int v : order) {
            roots.clear();
            boolean ok = true;
            for (int k = q.rowStart[v]; k < q.rowStart[v + 1] && ok; k++) {
                int u = q.columns[k];
                if (u == v || !in[u] || q.values[k] == 0) {
                    continue;
                }
                int r = find(uf, u);
                if (roots.contains(r)) {
                    ok = false;
                } else {
                    roots.add(r);
                }
            }
            if (!ok) {
                continue;
            }
            in[v] = true;
            for (int r : roots) {
                uf[r] = v;
            }
            block.add(v);
        }
        int[] out = block.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    private static int find(int[] uf, int i) {
        while (uf[i] != i) {
            uf[i] = uf[uf[i]];
            i = uf[i];
        }
        return i;
    }
}
