package dev.descent.solve;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

/**
 * The Learning-to-Relax sequence of linear systems A_t x = b_t (Khodak et al., <i>Learning to
 * relax</i>, ICLR 2024; {@code scripts/learning.m} and {@code contextual.m} of
 * mkhodak/learning-to-relax): A is the Dirichlet 5-point Laplacian on a g × g grid ({@code
 * delsq(numgrid('S', g + 2))}, diagonal 4; g = 10, n = 100 in the reference), and
 *
 * <pre>
 * A_t = A + c_t I,   c_t = −0.15 + 0.6 · Beta(α, β)     (α, β) = (0.5, 1.5) or (2, 6)
 * b_t ~ N(0, I), redrawn until ‖b_t‖ ≤ √n,   x₀ = 0
 * </pre>
 *
 * The offset c_t is each instance's context. Both laws share the affine map (the reference applies
 * −0.15 + 0.6·betarnd to both). Draws come from Hipparchus (Cheng's Beta sampler, a Gaussian from a
 * Well19937c stream), so a seed fixes the whole sequence.
 *
 * <p>Instance-optimal ω: the Jacobi matrix I − D⁻¹A_t = I − (A + c_t I)/(4 + c_t) has the
 * eigenvalues (4 − λ)/(4 + c_t) for the eigenvalues λ = 4 − 2cos(πi/(g+1)) − 2cos(πj/(g+1)) of A,
 * so β_t = ρ(I − D⁻¹A_t) = 4cos(π/(g+1))/(4 + c_t), and ω*_t = 1 + (β_t/(1 + √(1 − β_t²)))² ({@link
 * Sor#optimalOmega}).
 */
public final class ShiftedLaplacianSequence {

    /** The two offset laws of the reference: c = −0.15 + 0.6 · Beta(α, β). */
    public enum OffsetLaw {
        /** Beta(0.5, 1.5): mean 0, standard deviation 0.15, crowding near −0.15 (the slow end). */
        HIGH_VARIANCE(0.5, 1.5),
        /** Beta(2, 6): offsets concentrated around their mean 0 (standard deviation 0.087). */
        LOW_VARIANCE(2, 6);

        /** The least offset, −0.15. */
        public static final double LOWEST = -0.15;

        /** The width of the offsets' range, 0.6. */
        public static final double WIDTH = 0.6;

        private final double alpha;
        private final double beta;

        OffsetLaw(double alpha, double beta) {
            this.alpha = alpha;
            this.beta = beta;
        }

        /** The Beta law's first shape α. */
        public double alpha() {
            return alpha;
        }

        /** The Beta law's second shape β. */
        public double beta() {
            return beta;
        }
    }

    /**
     * One instance.
     *
     * @param offset c_t, the context
     * @param matrix A_t = A + c_t I
     * @param rhs b_t
     */
    public record Instance(double offset, CsrMatrix matrix, double[] rhs) {}

    private final int grid;
    private final CsrMatrix laplacian;
    private final OffsetLaw law;
    private final RandomDataGenerator random;

    /**
     * A seeded sequence.
     *
     * @param grid g ≥ 2 (n = g²)
     * @param law the offsets' law
     * @param seed the seed
     * @throws IllegalArgumentException when the grid is smaller than 2
     */
    public ShiftedLaplacianSequence(int grid, OffsetLaw law, long seed) {
        if (grid < 2) {
            throw new IllegalArgumentException("grid must be >= 2, got " + grid);
        }
        this.grid = grid;
        this.laplacian = Laplacian.dirichlet(grid, grid);
        this.law = law;
        this.random = RandomDataGenerator.of(new Well19937c(seed));
    }

    /** The unshifted Laplacian A. */
    public CsrMatrix laplacian() {
        return laplacian;
    }

    /** Draws an offset c = −0.15 + 0.6 · Beta(α, β). */
    public double nextOffset() {
        return OffsetLaw.LOWEST + OffsetLaw.WIDTH * random.nextBeta(law.alpha, law.beta);
    }

    /** Draws b ~ N(0, I) until ‖b‖ ≤ √n. */
    public double[] nextRhs() {
        int n = laplacian.rows();
        while (true) {
            double[] b = new double[n];
            double s = 0;
            for (int i = 0; i < n; i++) {
                b[i] = random.nextNormal(0, 1);
                s += b[i] * b[i];
            }
            if (s <= n) {
                return b;
            }
        }
    }

    /** Draws the next instance (offset first, then b, as the reference). */
    public Instance next() {
        double c = nextOffset();
        return new Instance(c, laplacian.plusIdentity(c), nextRhs());
    }

    /**
     * β = ρ(I − D⁻¹(A + cI)) = 4cos(π/(g+1))/(4 + c), closed form.
     *
     * @param offset c &gt; −4
     * @return β
     */
    public double jacobiSpectralRadius(double offset) {
        if (!(offset > -4)) {
            throw new IllegalArgumentException("offset must be finite and > -4, got " + offset);
        }
        return 4 * Math.cos(Math.PI / (grid + 1)) / (4 + offset);
    }

    /**
     * The instance-optimal ω* = 1 + (β/(1 + √(1 − β²)))² for A + cI.
     *
     * @param offset c, with β &lt; 1 (c &gt; −4 + 4cos(π/(g+1)))
     * @return ω*
     */
    public double optimalOmega(double offset) {
        return Sor.optimalOmega(jacobiSpectralRadius(offset));
    }
}
