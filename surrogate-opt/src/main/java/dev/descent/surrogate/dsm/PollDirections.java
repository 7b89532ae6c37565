package dev.descent.surrogate.dsm;

import java.util.Random;

/** A strategy making the poll set of cDSM: directions that positively span ℝⁿ. */
public interface PollDirections {

    /**
     * Returns the poll directions, each scaled to ‖d‖∞ = radius.
     *
     * @param n the dimension, ≥ 1
     * @param radius r_dsm &gt; 0
     * @param random the source; modified
     * @return the directions, one per row
     */
    double[][] directions(int n, double radius, Random random);
}
