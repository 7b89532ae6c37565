package dev.descent.surrogate.mbo;

import java.util.SplittableRandom;

/**
 * A design problem with an exact oracle, posed for offline model-based optimization: designs are
 * points of ℝⁿ (the representation the surrogate reads), the oracle scores them, and higher scores
 * are better.
 *
 * <p>A surrogate-driven search moves designs through ℝⁿ freely; {@link #score} first maps a point
 * to the nearest valid design ({@link #toDesign}: clipped into the box for continuous tasks, the
 * arg-max symbol per position for one-hot sequence tasks), so every proposal has a score.
 */
public interface OfflineTask {

    /**
     * Returns the task's name as the command line spells it.
     *
     * @return the name
     */
    String name();

    /**
     * Returns n, the length of a design's representation.
     *
     * @return the dimension
     */
    int dimension();

    /**
     * Draws a valid design from the sampling distribution of the offline data.
     *
     * @param random the source of randomness (advanced)
     * @return a design of length n
     */
    double[] sample(SplittableRandom random);

    /**
     * Maps a point of ℝⁿ to the nearest valid design.
     *
     * @param point a point of length n; not modified
     * @return a valid design (a new array)
     */
    double[] toDesign(double[] point);

    /**
     * Returns the exact score of the valid design nearest to a point.
     *
     * @param point a point of length n; not modified
     * @return the oracle's score (higher is better)
     */
    double score(double[] point);
}
