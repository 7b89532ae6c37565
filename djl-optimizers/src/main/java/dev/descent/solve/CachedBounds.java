package dev.descent.solve;

/**
 * Caches the two whole-bound quantities the variable-block GSL and GSQ rules need, Σ_j |H_ij| and
 * λ_max(H), for objectives whose bound H is constant; each costs n (or up to 5000) products H d.
 */
abstract class CachedBounds implements BlockObjective {

    private double[] rowAbsSums;
    private double lambdaMax = Double.NaN;

    @Override
    public final synchronized double[] boundAbsRowSums() {
        if (rowAbsSums == null) {
            rowAbsSums = BlockObjective.super.boundAbsRowSums();
        }
        return rowAbsSums.clone();
    }

    /** λ_max(H), by {@link BlockMath#boundLambdaMax}, computed once. */
    final synchronized double boundLambdaMax() {
        if (Double.isNaN(lambdaMax)) {
            lambdaMax = BlockMath.boundLambdaMax(this);
        }
        return lambdaMax;
    }
}
