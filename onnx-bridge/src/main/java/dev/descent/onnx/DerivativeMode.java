package dev.descent.onnx;

/** How a {@link Surrogate} obtains derivatives. */
public enum DerivativeMode {
    /** Import the graph when {@link OnnxImporter#problems} is empty, else central differences. */
    AUTO,
    /** Import the graph into DJL and differentiate exactly; fails on graphs that do not import. */
    EXACT,
    /** Batched central finite differences through ONNX Runtime: 2n evaluations per point. */
    CENTRAL_DIFFERENCES,
    /**
     * Simultaneous-perturbation (SPSA) estimates through ONNX Runtime: 2k evaluations per point.
     */
    SPSA
}
