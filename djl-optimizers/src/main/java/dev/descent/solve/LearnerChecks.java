package dev.descent.solve;

/** The argument checks the {@link ArmLearner}s share. */
final class LearnerChecks {

    private LearnerChecks() {}

    static void requireCost(double cost) {
        if (!(Double.isFinite(cost) && cost >= 1)) {
            throw new IllegalArgumentException(
                    "cost must be finite and >= 1 (an iteration count), got " + cost);
        }
    }

    static void requireFiniteContext(double context) {
        if (!Double.isFinite(context)) {
            throw new IllegalArgumentException("context must be finite, got " + context);
        }
    }

    static void requireArms(int arms) {
        if (arms < 1) {
            throw new IllegalArgumentException(
                    "the arm set must not be empty, got " + arms + " arms");
        }
    }

    /** Checks a context range [low, high] and returns its width. */
    static double requireRange(double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException(
                    "the context range must be finite with low < high, got ["
                            + low
                            + ", "
                            + high
                            + "]");
        }
        return high - low;
    }

    static void requireInRange(double context, double low, double high) {
        requireFiniteContext(context);
        if (context < low || context > high) {
            throw new IllegalArgumentException(
                    "context "
                            + context
                            + " lies outside the learner's range ["
                            + low
                            + ", "
                            + high
                            + "]");
        }
    }

    /** Draws an index from a distribution p (non-negative, summing to about 1) with u ∈ [0, 1). */
    static int sample(double[] p, double u) {
        double total = 0;
        for (double v : p) {
            total += v;
        }
        double target = u * total;
        double c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i];
            if (target < c) {
                return i;
            }
        }
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("no arm has positive probability");
    }
}
