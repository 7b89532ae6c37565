package dev.descent.surrogate.mbo;

/**
 * An offline model-based optimizer: from a static data set only, it trains its surrogate(s) with a
 * given training configuration (with or without IGNITE) and proposes designs.
 */
public interface OfflineOptimizer {

    /** The rho at which proposals report sharpness: IGNITE's default, so runs compare. */
    double SHARPNESS_RHO = 0.05;

    /**
     * What an optimizer proposes, with the sharpness of the surrogates it searched.
     *
     * @param designs the proposed points in the task's design space (not yet mapped to valid
     *     designs; the task's {@code score} does that)
     * @param sharpness {@code rho·‖∇_β G‖} of the trained surrogates over their training designs,
     *     averaged over ensemble members
     */
    record Proposal(double[][] designs, double sharpness) {}

    /**
     * Returns the optimizer's name as the command line spells it.
     *
     * @return the name
     */
    String name();

    /**
     * Trains and searches.
     *
     * @param data the offline data; not modified
     * @param training how each surrogate is trained (its head may be overridden where the method
     *     prescribes one)
     * @param count the number of designs to propose, in [1, data.size()]
     * @param seed the seed of training and search
     * @return the proposal
     */
    Proposal propose(OfflineDataset data, SurrogateTraining training, int count, long seed);

    /**
     * The standardized top-{@code count} designs of the data, best first: the starting points of
     * the reference's searches.
     */
    static double[][] starts(OfflineDataset data, Standardization scale, int count) {
        int[] top = data.topIndices(count);
        double[][] x = new double[count][];
        for (int i = 0; i < count; i++) {
            x[i] = data.designs()[top[i]];
        }
        return scale.apply(x);
    }
}
