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
     * Returns the full Jacobian at each row, {@code result[r][j][i] = ∂Φ_j/∂x_i at x_r}, by m
     * vector–Jacobian products with the unit cotangents; meant for small m (it costs m times a
     * gradient, in time and in counted evaluations).
     *
     * @param points rows of length n; not modified
     * @return for each row an m × n matrix
     */
    default double[][][] jacobian(double[][] points) {
        int m = outputDimension();
        double[][][] jacobian = new double[points.length][m][];
        double[][] cotangents = new double[points.length][];
        for (int j = 0; j < m; j++) {
            double[] unit = new double[m];
            unit[j] = 1;
            java.util.Arrays.fill(cotangents, unit);
            double[][] row = vectorJacobianProduct(points, cotangents);
            for (int r = 0; r < points.length; r++) {
                jacobian[r][j] = row[r];
            }
        }
        return jacobian;
    }

    /**
     * Returns the Jacobian–vector product {@code J(x_r) u_r} at each row, from the full Jacobian
     * (see {@link #jacobian} for its cost).
     *
     * @param points rows of length n; not modified
     * @param tangents one row of length n per point; not modified
     * @return rows of length m
     */
    default double[][] jacobianVectorProduct(double[][] points, double[][] tangents) {
        if (tangents.length != points.length) {
            throw new IllegalArgumentException(
                    "need one tangent row per point: "
                            + points.length
                            + " points, "
                            + tangents.length
                            + " tangents");
        }
        double[][][] jacobian = jacobian(points);
        double[][] result = new double[points.length][outputDimension()];
        for (int r = 0; r < points.length; r++) {
            if (tangents[r].length != inputDimension()) {
                throw new IllegalArgumentException(
                        "tangent "
                                + r
                                + " has length "
                                + tangents[r].length
                                + ", expected "
                                + inputDimension());
            }
            for (int j = 0; j < result[r].length; j++) {
                for (int i = 0; i < tangents[r].length; i++) {
                    result[r][j] += jacobian[r][j][i] * tangents[r][i];
                }
            }
        }
        return result;
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

    /**
     * Releases what the surrogate holds (not the {@link OnnxModel} it was made from); closing a
     * closed surrogate does nothing.
     */
    @Override
    void close();
}
