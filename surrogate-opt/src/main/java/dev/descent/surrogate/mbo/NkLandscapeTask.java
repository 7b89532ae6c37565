package dev.descent.surrogate.mbo;

import java.util.SplittableRandom;

/**
 * A sequence design task on Kauffman's NK fitness landscape, scored exactly: sequences of length L
 * over an alphabet of A symbols, where the symbol at each position interacts with the K symbols
 * after it (cyclically), {@code score(s) = (1/L)·Σ_i table_i[s_i, s_{i+1}, …, s_{i+K}]} with every
 * table entry drawn uniformly from [0, 1) by the task's seed.
 *
 * <p>The surrogate reads a sequence one-hot encoded ({@code n = L·A}, position-major); a point of
 * ℝⁿ is decoded to the sequence of the arg-max symbol of each position (the first on ties). The
 * defaults (L = 8, A = 4, K = 2) give 65,536 sequences, the size of Design-Bench's TF-Bind-8, whose
 * exact-lookup oracle this stands in for.
 */
public final class NkLandscapeTask implements OfflineTask {

    private final int length;
    private final int alphabet;
    private final int epistasis;
    private final double[][] tables;

    /**
     * Creates a landscape.
     *
     * @param length L, {@code >= 2}
     * @param alphabet A, {@code >= 2}
     * @param epistasis K, in [0, L − 1]
     * @param seed the seed of the tables
     */
    public NkLandscapeTask(int length, int alphabet, int epistasis, long seed) {
        if (length < 2 || alphabet < 2) {
            throw new IllegalArgumentException(
                    "length and alphabet must be >= 2, got " + length + " and " + alphabet);
        }
        if (epistasis < 0 || epistasis > length - 1) {
            throw new IllegalArgumentException(
                    "epistasis must be in [0, " + (length - 1) + "], got " + epistasis);
        }
        this.length = length;
        this.alphabet = alphabet;
        this.epistasis = epistasis;
        int entries = Math.toIntExact(Math.round(Math.pow(alphabet, epistasis + 1)));
        SplittableRandom random = new SplittableRandom(seed);
        tables = new double[length][entries];
        for (double[] table : tables) {
            for (int j = 0; j < entries; j++) {
                table[j] = random.nextDouble();
            }
        }
    }

    @Override
    public String name() {
        return "nk-" + length + "x" + alphabet + "-k" + epistasis;
    }

    @Override
    public int dimension() {
        return length * alphabet;
    }

    @Override
    public double[] sample(SplittableRandom random) {
        int[] sequence = new int[length];
        for (int i = 0; i < length; i++) {
            sequence[i] = random.nextInt(alphabet);
        }
        return oneHot(sequence);
    }

    @Override
    public double[] toDesign(double[] point) {
        return oneHot(decode(point));
    }

    /**
     * Decodes a point to the sequence of arg-max symbols.
     *
     * @param point a point of length L·A; not modified
     * @return the symbols, each in [0, A)
     */
    public int[] decode(double[] point) {
        BoxTask.checkLength(point, dimension());
        int[] sequence = new int[length];
        for (int i = 0; i < length; i++) {
            int best = 0;
            for (int a = 1; a < alphabet; a++) {
                if (point[i * alphabet + a] > point[i * alphabet + best]) {
                    best = a;
                }
            }
            sequence[i] = best;
        }
        return sequence;
    }

    /**
     * Returns the exact score of a sequence.
     *
     * @param sequence L symbols in [0, A); not modified
     * @return the mean of the L table entries
     */
    public double fitness(int[] sequence) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            int index = 0;
            for (int j = 0; j <= epistasis; j++) {
                index = index * alphabet + sequence[(i + j) % length];
            }
            sum += tables[i][index];
        }
        return sum / length;
    }

    @Override
    public double score(double[] point) {
        return fitness(decode(point));
    }

    private double[] oneHot(int[] sequence) {
        double[] x = new double[dimension()];
        for (int i = 0; i < length; i++) {
            x[i * alphabet + sequence[i]] = 1;
        }
        return x;
    }
}
