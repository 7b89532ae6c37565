package dev.descent.solve;

/**
 * Chooses the block that block coordinate descent updates next, from the current point and its full
 * gradient. Built by {@link #fixed} (a partition and a {@link BlockRule}), {@link #variable} (any τ
 * coordinates) or {@link #greedyForest} (the largest forest of a quadratic's graph, for exact
 * message-passing updates). Random rules draw from a {@link java.util.SplittableRandom} with the
 * given seed, so the same seed gives the same blocks.
 */
public interface BlockSelection {

    /**
     * The next block.
     *
     * @param x the current point, not modified
     * @param gradient ∇f(x), not modified
     * @param iteration the iteration, from 0
     * @return distinct coordinates, a new array
     */
    int[] next(double[] x, double[] gradient, int iteration);

    /**
     * Fixed blocks: each iteration picks one block of the partition by {@code rule}.
     *
     * @param objective the objective (its constants L_i, L_b and bound blocks are read once)
     * @param partition disjoint blocks covering [0, n), copied
     * @param rule any rule
     * @param seed for the random rules
     * @return the selection
     * @throws IllegalArgumentException for an invalid partition or Lipschitz constant
     */
    static BlockSelection fixed(
            BlockObjective objective, int[][] partition, BlockRule rule, long seed) {
        return new FixedBlockSelection(objective, partition, rule, seed);
    }

    /**
     * Variable blocks: each iteration picks the τ coordinates {@code rule} scores highest.
     *
     * @param objective the objective
     * @param blockSize τ in [1, n]
     * @param rule any rule (GSL and GSQ mean the reference's "GSDHb" and "IHT" here)
     * @param seed for the random rules
     * @return the selection
     * @throws IllegalArgumentException for τ out of range or an invalid Lipschitz constant
     */
    static BlockSelection variable(
            BlockObjective objective, int blockSize, BlockRule rule, long seed) {
        return new VariableBlockSelection(objective, blockSize, rule, seed);
    }

    /**
     * Greedy forest blocks of a quadratic (the reference's "GSTree", "GSLTree", "RTree"): the
     * coordinates in descending order of |g_i| (GS), |g_i|/√L_i (GSL) or a random order (RANDOM)
     * are added one by one while the block's graph stays a forest.
     *
     * @param objective the quadratic whose off-diagonal non-zeros are the graph
     * @param rule GS, GSL or RANDOM
     * @param seed for RANDOM
     * @return the selection
     * @throws IllegalArgumentException for another rule
     */
    static BlockSelection greedyForest(QuadraticObjective objective, BlockRule rule, long seed) {
        return new ForestBlockSelection(objective, rule, seed);
    }
}
