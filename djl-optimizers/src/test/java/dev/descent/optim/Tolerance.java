package dev.descent.optim;

/** Named tolerances per precision; every comparison in these tests uses one of them. */
final class Tolerance {

    /** float64 engine arithmetic against a float64 re-derivation: rounding only. */
    static final double F64_RTOL = 1e-10;

    static final double F64_ATOL = 1e-12;

    /** float32 engine arithmetic against float64 or against torch's own float32. */
    static final double F32_RTOL = 1e-5;

    static final double F32_ATOL = 1e-6;

    /**
     * float32 Newton–Schulz (engine) against torch's float32, absolute on weights after K steps:
     * the quintic's slope reaches 3.4445 per iteration, so five iterations can amplify rounding to
     * 3.4445⁵·2⁻²⁴ ≈ 3e-5 of an update of size lr; summed over 25 steps at lr ≤ 0.05 that is at
     * most 25·0.05·3e-5 ≈ 4e-5 (measured: 1.3e-5).
     */
    static final double F32_NEWTON_SCHULZ_ATOL = 4e-5;

    private Tolerance() {}

    /** Returns the index of the first element outside {@code atol + rtol·|expected|}, or -1. */
    static int firstMismatch(double[] actual, double[] expected, double rtol, double atol) {
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                return i;
            }
        }
        return -1;
    }
}
