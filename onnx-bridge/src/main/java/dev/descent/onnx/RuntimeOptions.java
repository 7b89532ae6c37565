package dev.descent.onnx;

/**
 * Thread settings of an ONNX Runtime session. Zero lets ONNX Runtime choose (one thread per
 * physical core for intra-op parallelism); a search that evaluates many small batches from several
 * threads of its own usually wants {@code intraOpThreads = 1}.
 *
 * @param intraOpThreads threads used inside one operator, 0 (ONNX Runtime's choice) or more
 * @param interOpThreads threads used to run independent operators in parallel, 0 or more
 */
public record RuntimeOptions(int intraOpThreads, int interOpThreads) {

    /** ONNX Runtime's own choices for both thread counts. */
    public static final RuntimeOptions DEFAULTS = new RuntimeOptions(0, 0);

    /**
     * Validates the thread counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public RuntimeOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be >= 0 (0: ONNX Runtime's choice), got "
                            + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException(
                    "interOpThreads must be >= 0 (0: ONNX Runtime's choice), got "
                            + interOpThreads);
        }
    }

    /**
     * Returns options with a given number of intra-op threads and ONNX Runtime's inter-op choice.
     *
     * @param intraOpThreads threads inside one operator, 0 or more
     * @return the options
     */
    public static RuntimeOptions intraOpThreads(int intraOpThreads) {
        return new RuntimeOptions(intraOpThreads, 0);
    }
}
