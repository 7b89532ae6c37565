package dev.descent.solve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fixed partitions of the coordinates into blocks (the reference's {@code partition_rules.py} and
 * the lattice colourings of {@code tree_algorithms.py}), and their validation.
 */
public final class BlockPartitions {

    private BlockPartitions() {}

    /**
     * Consecutive blocks of {0, …, n−1} ("Order").
     *
     * @param n coordinates, a multiple of blockSize
     * @param blockSize τ ≥ 1
     * @return n/τ blocks
     */
    public static int[][] ordered(int n, int blockSize) {
        return slices(IntStream.range(0, n).toArray(), blockSize);
    }

    /**
     * Consecutive blocks after sorting the coordinates by ascending L_i ("Sort", the fixed blocks
     * of the paper's figures): coordinates of similar constants share a block.
     *
     * @param lipschitz L_i, finite and ≥ 0; its length is a multiple of blockSize
     * @param blockSize τ ≥ 1
     * @return n/τ blocks
     */
    public static int[][] sorted(double[] lipschitz, int blockSize) {
        checkLipschitz(lipschitz);
        Integer[] idx = IntStream.range(0, lipschitz.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> lipschitz[i]));
        return slices(Arrays.stream(idx).mapToInt(Integer::intValue).toArray(), blockSize);
    }

    /**
     * Blocks that mix small and large constants ("Avg"): the sorted order interleaved as smallest,
     * largest, second smallest, second largest, …, then cut into consecutive blocks.
     *
     * @param lipschitz L_i, finite and ≥ 0; even length, a multiple of blockSize
     * @param blockSize τ ≥ 1
     * @return n/τ blocks
     */
    public static int[][] averaged(double[] lipschitz, int blockSize) {
        checkLipschitz(lipschitz);
        int n = lipschitz.length;
        if (n % 2 != 0) {
            throw new IllegalArgumentException("averaged needs an even n, got " + n);
        }
        int[] s = flatten(sorted(lipschitz, 1));
        int[] order = new int[n];
        for (int i = 0; i < n / 2; i++) {
            order[2 * i] = s[i];
            order[2 * i + 1] = s[n - 1 - i];
        }
        return slices(order, blockSize);
    }

    /**
     * The red-black (checkerboard) colouring of an nrows × ncols lattice, node = col·nrows + row
     * (the reference's {@code get_rb_indices}): two blocks without edges inside either.
     *
     * @param nrows ≥ 1
     * @param ncols ≥ 1
     * @return {red, black}
     */
    public static int[][] latticeRedBlack(int nrows, int ncols) {
        List<Integer> red = new ArrayList<>();
        List<Integer> black = new ArrayList<>();
        for (int c = 0; c < ncols; c++) {
            for (int r = 0; r < nrows; r++) {
                ((r + c) % 2 == 0 ? red : black).add(c * nrows + r);
            }
        }
        return new int[][] {toArray(red), toArray(black)};
    }

    /**
     * Two forests covering an nrows × ncols lattice (the reference's {@code get_tp_indices}): the
     * first is the last row plus every odd column without its first node, the second the first row
     * plus every even column without its last node; each is a union of combs (trees).
     *
     * @param nrows ≥ 2
     * @param ncols ≥ 1
     * @return {black, white}
     */
    public static int[][] latticeTrees(int nrows, int ncols) {
        boolean[] white = new boolean[nrows * ncols];
        for (int c = 0; c < ncols; c++) {
            white[c * nrows] = true;
            if (c % 2 == 0) {
                for (int r = 0; r < nrows - 1; r++) {
                    white[c * nrows + r] = true;
                }
            }
        }
        List<Integer> w = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < white.length; i++) {
            (white[i] ? w : b).add(i);
        }
        return new int[][] {toArray(b), toArray(w)};
    }

    /**
     * Drops the labelled nodes from lattice blocks and renumbers the rest as the unknowns of the
     * label-propagation problem (the reference's {@code remove_labeled_nodes}).
     *
     * @param blocks blocks over all nodes
     * @param unknownIndex the unknown's index per node, −1 for a labelled node
     * @return the blocks over the unknowns (a block may become empty and is then dropped)
     */
    public static int[][] restrict(int[][] blocks, int[] unknownIndex) {
        List<int[]> out = new ArrayList<>();
        for (int[] block : blocks) {
            int[] r = Arrays.stream(block).map(i -> unknownIndex[i]).filter(i -> i >= 0).toArray();
            if (r.length > 0) {
                Arrays.sort(r);
                out.add(r);
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * Checks that the blocks are non-empty, in [0, n), pairwise disjoint and cover every
     * coordinate.
     *
     * @param blocks the partition, not modified
     * @param n coordinates
     * @throws IllegalArgumentException naming the first block and index at fault
     */
    public static void validate(int[][] blocks, int n) {
        int[] owner = new int[n];
        Arrays.fill(owner, -1);
        if (blocks.length == 0) {
            throw new IllegalArgumentException("the partition has no blocks");
        }
        for (int b = 0; b < blocks.length; b++) {
            if (blocks[b].length == 0) {
                throw new IllegalArgumentException("block " + b + " is empty");
            }
            for (int i : blocks[b]) {
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException(
                            "block " + b + " holds index " + i + ", outside [0, " + n + ")");
                }
                if (owner[i] >= 0) {
                    throw new IllegalArgumentException(
                            "blocks " + owner[i] + " and " + b + " overlap at index " + i);
                }
                owner[i] = b;
            }
        }
        for (int i = 0; i < n; i++) {
            if (owner[i] < 0) {
                throw new IllegalArgumentException("no block holds index " + i);
            }
        }
    }

    static void checkLipschitz(double[] lipschitz) {
        for (int i = 0; i < lipschitz.length; i++) {
            if (!(lipschitz[i] >= 0) || Double.isInfinite(lipschitz[i])) {
                throw new IllegalArgumentException(
                        "lipschitz[" + i + "] must be finite and >= 0, got " + lipschitz[i]);
            }
        }
    }

    private static int[][] slices(int[] order, int blockSize) {
        if (blockSize < 1 || order.length % blockSize != 0) {
            throw new IllegalArgumentException(
                    "blockSize must be >= 1 and divide n = " + order.length + ", got " + blockSize);
        }
        int[][] blocks = new int[order.length / blockSize][];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = Arrays.copyOfRange(order, b * blockSize, (b + 1) * blockSize);
        }
        return blocks;
    }

    private static int[] flatten(int[][] blocks) {
        return Arrays.stream(blocks).flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
