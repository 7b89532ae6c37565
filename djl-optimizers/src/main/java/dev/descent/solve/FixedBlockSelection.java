package dev.descent.solve;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Fixed-block rules (see {@link BlockRule}). */
final class FixedBlockSelection implements BlockSelection {

    /** The reference's regularisation of the GSQ inverse, (H_b + 1e-10 I)⁻¹. */
    static final double GSQ_SHIFT = 1e-10;

    private final BlockObjective objective;
    private final int[][] partition;
    private final BlockRule rule;
    private final SplittableRandom random;
    private final double[] lipschitz;
    private final double[] blockLipschitz;
    private final DMatrixRMaj[] gsqInverse;

    FixedBlockSelection(BlockObjective objective, int[][] partition, BlockRule rule, long seed) {
        BlockPartitions.validate(partition, objective.dimension());
        this.objective = objective;
        this.partition = new int[partition.length][];
        for (int b = 0; b < partition.length; b++) {
            this.partition[b] = partition[b].clone();
        }
        this.rule = rule;
        this.random = new SplittableRandom(seed);
        this.lipschitz = objective.coordinateLipschitz();
        BlockPartitions.checkLipschitz(lipschitz);
        if (rule == BlockRule.GSL || rule == BlockRule.LIPSCHITZ) {
            blockLipschitz = new double[partition.length];
            for (int b = 0; b < partition.length; b++) {
                blockLipschitz[b] = BlockMath.lambdaMax(objective.blockBound(this.partition[b]));
            }
        } else {
            blockLipschitz = null;
        }
        gsqInverse = rule == BlockRule.GSQ ? new DMatrixRMaj[partition.length] : null;
    }

    @Override
    public int[] next(double[] x, double[] gradient, int iteration) {
        int n = partition.length;
        switch (rule) {
            case RANDOM:
                return partition[random.nextInt(n)].clone();
            case CYCLIC:
                return partition[iteration % n].clone();
            case LIPSCHITZ:
                return partition[sample(blockLipschitz)].clone();
            default:
                int best = 0;
                double bestScore = -1;
                for (int b = 0; b < n; b++) {
                    double s = score(b, gradient);
                    if (s > bestScore) {
                        bestScore = s;
                        best = b;
                    }
                }
                return partition[best].clone();
        }
    }

    /** The rule's score of block b (package-private for the brute-force tests). */
    double score(int b, double[] g) {
        int[] block = partition[b];
        double s = 0;
        switch (rule) {
            case GS:
                for (int i : block) {
                    s += Math.abs(g[i]);
                }
                return s;
            case GSL:
                if (blockLipschitz[b] <= 0) {
                    return 0;
                }
                for (int i : block) {
                    s += Math.abs(g[i]);
                }
                return s / Math.sqrt(blockLipschitz[b]);
            case GSD:
                for (int i : block) {
                    s += lipschitz[i] > 0 ? Math.abs(g[i]) / Math.sqrt(lipschitz[i]) : 0;
                }
                return s;
            case GSQ:
                if (gsqInverse[b] == null) {
                    gsqInverse[b] =
                            BlockMath.shiftedInverse(objective.globalBound(block), GSQ_SHIFT);
                    if (gsqInverse[b] == null) {
                        throw new IllegalArgumentException(
                                "GSQ: H_b + 1e-10 I of block " + b + " is singular");
                    }
                }
                double[] gb = BlockMath.gather(g, block);
                double[] hg = BlockMath.times(gsqInverse[b], gb);
                for (int i = 0; i < gb.length; i++) {
                    s += gb[i] * hg[i];
                }
                return Math.sqrt(Math.max(s, 0));
            default:
                throw new IllegalStateException("not a greedy rule: " + rule);
        }
    }

    private int sample(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0)) {
            return random.nextInt(weights.length);
        }
        double u = random.nextDouble() * total;
        for (int b = 0; b < weights.length; b++) {
            u -= weights[b];
            if (u < 0) {
                return b;
            }
        }
        return weights.length - 1;
    }
}
