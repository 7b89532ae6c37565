package dev.descent.optim;

import ai.djl.ndarray.NDArray;

/**
 * The quintic Newton–Schulz iteration that maps a matrix {@code G = U·S·Vᵀ} to about {@code
 * U·S'·Vᵀ} with every singular value {@code S'ᵢᵢ} in roughly [0.5, 1.5]: the orthogonalization of
 * Muon and of Scion's spectral LMO, computed in the engine with five matrix products per step.
 *
 * <pre>
 * X = G (Gᵀ when rows &gt; cols),   X ← X / (‖X‖_F + 1e-7)
 * repeat steps times:   A = X·Xᵀ,   B = b·A + c·A·A,   X ← a·X + B·X
 * return X (transposed back when G was)
 * </pre>
 *
 * <p>with {@code (a, b, c) = (3.4445, −4.7750, 2.0315)}: the coefficients of KellerJordan/Muon's
 * {@code zeropower_via_newtonschulz5}, chosen to maximise the slope at zero rather than to converge
 * to 1 (so the result is not exactly orthogonal). Transposing the wide way keeps {@code A} the
 * smaller Gram matrix: a step costs {@code 4·m²·n + 2·m³} flops for {@code m = min(rows, cols)},
 * {@code n = max(rows, cols)}.
 *
 * <p>Deviations from the reference: the iteration runs in the matrix's own data type (float32 or
 * float64); the reference casts to bfloat16 first.
 */
final class NewtonSchulz {

    /** Muon's quintic coefficients. */
    static final Coefficients QUINTIC = new Coefficients(3.4445, -4.7750, 2.0315);

    /**
     * The classical cubic iteration {@code X ← 1.5·X − 0.5·X·Xᵀ·X}, which converges to the
     * orthogonal polar factor {@code U·Vᵀ} (for singular values in (0, √3) after normalising).
     */
    static final Coefficients CUBIC = new Coefficients(1.5, -0.5, 0);

    /** Added to the Frobenius norm before normalising (the reference's). */
    static final double NORM_EPSILON = 1e-7;

    private NewtonSchulz() {}

    /**
     * The coefficients of one step {@code X ← a·X + (b·A + c·A·A)·X}, {@code A = X·Xᵀ}.
     *
     * @param a the linear coefficient
     * @param b the cubic coefficient
     * @param c the quintic coefficient
     */
    record Coefficients(double a, double b, double c) {}

    /**
     * Returns the Newton–Schulz-5 orthogonalization of a matrix with Muon's coefficients.
     *
     * @param g the matrix, two-dimensional (not modified)
     * @param steps the number of iterations, {@code >= 1}
     * @return a new array of {@code g}'s shape
     */
    static NDArray orthogonalize(NDArray g, int steps) {
        return orthogonalize(g, steps, QUINTIC);
    }

    /**
     * Returns a Newton–Schulz orthogonalization of a matrix.
     *
     * @param g the matrix, two-dimensional (not modified)
     * @param steps the number of iterations, {@code >= 1}
     * @param k the coefficients of each step
     * @return a new array of {@code g}'s shape
     */
    static NDArray orthogonalize(NDArray g, int steps, Coefficients k) {
        long rows = g.getShape().get(0);
        long cols = g.getShape().get(1);
        boolean tall = rows > cols;
        NDArray x;
        try (NDArray view = tall ? g.transpose() : null;
                NDArray norm = g.norm()) {
            norm.addi(NORM_EPSILON);
            x = (tall ? view : g).div(norm);
        }
        for (int i = 0; i < steps; i++) {
            NDArray next;
            try (NDArray xt = x.transpose();
                    NDArray gram = x.matMul(xt);
                    NDArray poly = gram.matMul(gram)) {
                poly.muli(k.c()).addi(gram.muli(k.b()));
                next = poly.matMul(x);
            }
            next.addi(x.muli(k.a()));
            x.close();
            x = next;
        }
        if (!tall) {
            return x;
        }
        NDArray back = x.transpose();
        x.close();
        return back;
    }
}
