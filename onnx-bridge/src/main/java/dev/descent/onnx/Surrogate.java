package dev.descent.onnx;

/**
 * A trained network Φ: ℝⁿ → ℝᵐ as a search algorithm sees it: evaluate a batch of points, and
 * differentiate — exactly when the graph was imported into DJL, estimated through ONNX Runtime
 * otherwise — with every evaluation of Φ counted.
 *
 * <p>Points are flattened rows: a model whose input is {@code [batch, 1, 8, 8]} has {@code n = 64},
 * and row {@code r} is sample {@code r} in row-major order; outputs are flattened the same way.
 *
 * <p>Counting: {@link #evaluations()} is the number of points at which Φ was evaluated, including
 * the forward pass under an exact derivative (one per point) and every probe of an estimate (2n per
 * point for central differences, 2k for SPSA with k samples) — the unit in which the surrogate
 * literature reports budgets. {@link #derivativeRequests()} counts points at which a derivative was
 * asked for.
 *
 * <p>Created by {@link Surrogates}. Implementations are safe to use from one thread at a time.
 */
public interface Surrogate extends AutoCloseable {

    /**
     * Returns n, the length of an input row.
     *
     * @return the input dimension
     */
    int inputDimension();

    /**
     * Returns m, the length of an output row.
     *
     * @return the output dimension
     */
    int outputDimension();

    /**
     * Evaluates Φ at each row.
     *
     * @param points rows of length n; not modified
     * @return rows of length m
     */
    double[][] evaluate(double[][] points);

    /**
     * Returns the vector–Jacobian product {@code J(x_r)ᵀ v_r} at each row: the gradient with
     * respect to the input of {@code ⟨v_r, Φ(x_r)⟩}.
     *
     * @param points rows of length n; not modified
     * @param cotangents one row of length m per point; not modified
     * @return rows of length n
     */
    double[][] vectorJacobianProduct(double[][] points, double[][] cotangents);

    /**
     * Returns the input gradient of {@code ⟨w, Φ(x_r)⟩} at each row, the same weights for every row
     * (for a scalar network, {@code w = {1}} gives ∇Φ).
     *
     * @param points rows of length n; not modified
     * @param outputWeights the weights w, length m; not modified
     * @return rows of length n
     */
    default double[][] gradient(double[][] points, double[] outputWeights) {
        double[][] cotangents = new double[points.length][];
        for (int r = 0; r < points.length; r++) {
            cotangents[r] = outputWeights;
        }
        return vectorJacobianProduct(points, cotangents);
    }

    /**
     * Returns whether derivatives are exact (imported graph) rather than estimated.
     *
     * @return true for an imported graph
     */
    boolean exactDerivatives();

    /**
     * Returns the number of points at which Φ has been evaluated, probes of estimates included.
     *
     * @return the evaluation count
     */
    long evaluations();

    /**
     * Returns the number of points at which a derivative has been requested.
     *
     * @return the derivative request count
     */
    long derivativeRequests();

    /** Releases what the surrogate holds (not the {@link OnnxModel} it was made from). */
    @Override
    void close();
}
