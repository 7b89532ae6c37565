package dev.descent.optim;

/** Range checks for hyper-parameters; each message names the value and the range it must lie in. */
final class Arguments {

    private Arguments() {}

    /** Requires {@code lo <= value < hi}. */
    static void inClosedOpen(String name, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(
                    name + " must be in [" + lo + ", " + hi + "), got " + value);
        }
    }

    /** Requires {@code lo <= value <= hi}. */
    static void inClosed(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(
                    name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }

    /** Requires a finite {@code value >= 0}. */
    static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
    }

    /** Requires a finite {@code value > 0}. */
    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
    }

    /** Requires a non-null value. */
    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
