package dev.descent.optim;

/** Named tolerances per precision; every comparison in these tests uses one of them. */
final class Tolerance {

    /** float64 engine arithmetic against a float64 re-derivation: rounding only. */
    static final double F64_RTOL = 1e-10;

    static final double F64_ATOL = 1e-12;

    /** float32 engine arithmetic against float64 or against torch's own float32. */
    static final double F32_RTOL = 1e-5;

    static final double F32_ATOL = 1e-6;

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
