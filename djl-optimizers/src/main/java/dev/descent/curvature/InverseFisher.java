package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * M-FAC's dynamic algorithm: products with the inverse of the damped empirical Fisher of a sliding
 * window of gradients, {@code F = λ·I + (1/m)·Σ_i g_i g_iᵀ} over the last m gradients, without ever
 * forming a d×d matrix.
 *
 * <p>The m gradients are the rows of a ring buffer {@code G} (m×d, on the engine, zeros until
 * filled, so {@code F = λI + (1/m)·Σ} over the gradients added so far, always divided by m). With
 * the m×m matrix {@code K = G·Gᵀ + λ·m·I} and its Cholesky factor {@code K = L·Lᵀ} (host, float64),
 * the Woodbury identity gives
 *
 * <pre>
 * F⁻¹·x = (x − Gᵀ·K⁻¹·(G·x)) / λ
 * </pre>
 *
 * <p>{@link #multiply} costs O(dm) on the engine ({@code G·x}, {@code Gᵀ·z}) plus O(m²) on the host
 * (two triangular solves). {@link #add} replaces the oldest gradient: O(d) to write it, O(dm) for
 * its row of {@code G·Gᵀ}, and O(m³) to refactor K (only rows from the replaced one on, see {@link
 * Cholesky}). {@link #addAndMultiply} does both with one pass of {@code G·g}.
 *
 * <p>Blockwise variant: with a block size B, the vector is cut into ⌈d/B⌉ consecutive blocks (the
 * last padded with zeros) and F is block-diagonal, each block the same formula over that block's
 * slice of the gradients: memory stays m·d, the engine work O(dm) per product, and the host work
 * becomes ⌈d/B⌉ independent m×m problems.
 *
 * <p>Paper: Frantar, Kurtic, Alistarh, "M-FAC: Efficient Matrix-Free Approximations of Second-Order
 * Information", arXiv:2107.03356 (§3, the dynamic algorithm). Reference implementation:
 * IST-DASLab/M-FAC {@code optim.py} ({@code HInvFastUpMulti}); defaults m = 1024, λ = 1e-5.
 *
 * <p>Deviations from the reference: the m×m set-up is a Cholesky factorization of {@code G·Gᵀ +
 * λ·m·I} in float64 with two triangular solves per product, where the reference runs an unpivoted
 * LU of {@code G·Gᵀ/λ + m·I} and an explicit triangular coefficient matrix in the gradients' type;
 * both are the same F⁻¹ at the same costs. The reference's limit m ≤ 1024 (and its multi-GPU
 * splitting of G) is not carried over; the blockwise variant is an addition (the reference has
 * blocks in its static algorithm only).
 */
public final class InverseFisher implements SymmetricOperator, AutoCloseable {

    private final BlockLayout layout;
    private final int m;
    private final double damping;
    private final NDManager manager;
    private final NDArray gradients;
    private final double[][] dots;
    private final double[][] factor;
    private int position;

    private InverseFisher(
            BlockLayout layout,
            int m,
            double damping,
            NDManager manager,
            NDArray gradients,
            double[][] dots,
            int position) {
        this.layout = layout;
        this.m = m;
        this.damping = damping;
        this.manager = manager;
        this.gradients = gradients;
        this.dots = dots;
        this.position = position;
        factor = new double[layout.blocks][m * m];
        for (int b = 0; b < layout.blocks; b++) {
            Cholesky.factorRows(dots[b], damping * m, factor[b], m, 0);
        }
    }

    /**
     * Creates an empty window (all m gradients zero, so {@code F = λI}).
     *
     * @param dimension d, the length of the gradients, {@code >= 1}
     * @param m the number of gradients kept, {@code >= 1}
     * @param damping λ, finite and {@code > 0}
     * @param blockSize B for the blockwise variant, {@code >= 1}; 0 for one block over all d
     * @param type the data type of the stored gradients (and of the vectors multiplied)
     * @param parent the manager whose device holds the gradients; a sub-manager of it owns them
     * @return the operator
     * @throws IllegalArgumentException naming the first invalid value and its range
     */
    public static InverseFisher create(
            long dimension,
            int m,
            double damping,
            long blockSize,
            DataType type,
            NDManager parent) {
        BlockLayout layout = layout(dimension, m, damping, blockSize);
        NDManager manager = parent.newSubManager();
        NDArray g = manager.zeros(new Shape(layout.blocks, m, layout.size), type);
        double[][] dots = new double[layout.blocks][m * m];
        return new InverseFisher(layout, m, damping, manager, g, dots, 0);
    }

    /**
     * Rebuilds a window from the parts {@link #gradients()}, {@link #position()} and {@link
     * #dots()} returned, so that it continues bit-identically.
     *
     * @param dimension d
     * @param damping λ
     * @param blockSize the block size it was created with
     * @param gradients the ring buffer as {@link #gradients()} returned it (moved to a sub-manager
     *     of its manager)
     * @param position the next row to replace, in [0, m)
     * @param dots the Gram matrices as {@link #dots()} returned them
     * @return the operator
     */
    public static InverseFisher restore(
            long dimension,
            double damping,
            long blockSize,
            NDArray gradients,
            int position,
            double[] dots) {
        int m = Math.toIntExact(gradients.getShape().get(1));
        BlockLayout layout = layout(dimension, m, damping, blockSize);
        Shape expected = new Shape(layout.blocks, m, layout.size);
        if (!gradients.getShape().equals(expected) || dots.length != layout.blocks * m * m) {
            throw new IllegalArgumentException(
                    "saved window has gradients of shape "
                            + gradients.getShape()
                            + " and "
                            + dots.length
                            + " Gram entries, expected "
                            + expected
                            + " and "
                            + (layout.blocks * m * m));
        }
        if (position < 0 || position >= m) {
            throw new IllegalArgumentException(
                    "position must be in [0, " + m + "), got " + position);
        }
        double[][] blocks = new double[layout.blocks][];
        for (int b = 0; b < layout.blocks; b++) {
            blocks[b] = Arrays.copyOfRange(dots, b * m * m, (b + 1) * m * m);
        }
        NDManager manager = gradients.getManager().newSubManager();
        gradients.attach(manager);
        return new InverseFisher(layout, m, damping, manager, gradients, blocks, position);
    }

    static BlockLayout layout(long dimension, int m, double damping, long blockSize) {
        if (m < 1) {
            throw new IllegalArgumentException(
                    "m (the number of gradients) must be >= 1, got " + m);
        }
        if (!(damping > 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("damping must be finite and > 0, got " + damping);
        }
        return new BlockLayout(dimension, blockSize);
    }

    /**
     * Replaces the oldest gradient by {@code g}: O(dm + m³).
     *
     * @param g a finite 1-D vector of length d and the window's data type (not modified)
     * @throws IllegalArgumentException when {@code g} has another size or type, or is not finite
     */
    public void add(NDArray g) {
        try (NDScope scope = new NDScope()) {
            insert(checkedBlocks(g));
        }
    }

    /**
     * Replaces the oldest gradient by {@code g} and returns {@code F⁻¹·g} with the new window,
     * sharing one pass of {@code G·g} between both: O(dm + m³).
     *
     * @param g a finite 1-D vector of length d and the window's data type (not modified)
     * @return {@code F⁻¹·g}, a new vector owned by {@code g}'s manager
     * @throws IllegalArgumentException when {@code g} has another size or type, or is not finite
     */
    public NDArray addAndMultiply(NDArray g) {
        try (NDScope scope = new NDScope()) {
            NDArray blocked = checkedBlocks(g);
            return finish(blocked, insert(blocked), g.getManager());
        }
    }

    private NDArray checkedBlocks(NDArray g) {
        layout.check("gradient", g, gradients.getDataType());
        Vectors.requireFinite("gradient", g);
        return layout.toBlocks(g);
    }

    /**
     * Writes g (in blocks) over the oldest row, updates the Gram matrices and factors; returns G·g.
     */
    private double[] insert(NDArray blocked) {
        gradients.set(new NDIndex(":, {}, :", position), blocked);
        double[] c = Vectors.toHost(gradients.matMul(blocked.expandDims(2)));
        int p = position;
        for (int b = 0; b < layout.blocks; b++) {
            double[] a = dots[b];
            for (int j = 0; j < m; j++) {
                double v = c[b * m + j];
                a[p * m + j] = v;
                a[j * m + p] = v;
            }
            Cholesky.factorRows(a, damping * m, factor[b], m, p);
        }
        position = (position + 1) % m;
        return c;
    }

    /**
     * Returns {@code F⁻¹·x}: O(dm + m²).
     *
     * @param x a 1-D vector of length d and the window's data type (not modified)
     * @return {@code F⁻¹·x}, a new vector owned by {@code x}'s manager
     */
    public NDArray multiply(NDArray x) {
        layout.check("vector", x, gradients.getDataType());
        try (NDScope scope = new NDScope()) {
            NDArray blocked = layout.toBlocks(x);
            double[] c = Vectors.toHost(gradients.matMul(blocked.expandDims(2)));
            return finish(blocked, c, x.getManager());
        }
    }

    /** Given x in blocks and c = G·x, returns (x − Gᵀ·K⁻¹·c)/λ as a flat vector. */
    private NDArray finish(NDArray blocked, double[] c, NDManager owner) {
        for (int b = 0; b < layout.blocks; b++) {
            Cholesky.solve(factor[b], m, c, b * m);
        }
        NDArray z = Vectors.fromHost(c, new Shape(layout.blocks, 1, m), gradients);
        NDArray correction = z.matMul(gradients).reshape(layout.blocks, layout.size);
        // (x − c)/λ in the buffer of c = Gᵀz: one d-sized allocation per product
        NDArray result = layout.toFlat(correction.subi(blocked).divi(-damping));
        result.attach(owner);
        NDScope.unregister(result);
        return result;
    }

    /**
     * Returns the static form of the current window ({@link StaticInverseFisher}), for diagonals
     * and single entries of F⁻¹: O(dm²).
     *
     * @param owner the manager that will own it
     * @return the static operator over the same m gradients, damping and blocks
     */
    public StaticInverseFisher toStatic(NDManager owner) {
        return StaticInverseFisher.whiten(layout, m, damping, gradients, factor, owner);
    }

    @Override
    public NDArray apply(NDArray v) {
        return multiply(v);
    }

    @Override
    public long dimension() {
        return layout.dimension;
    }

    @Override
    public NDArray zeros(NDManager owner) {
        return owner.zeros(
                new Shape(layout.dimension), gradients.getDataType(), gradients.getDevice());
    }

    /**
     * Returns m, the number of gradients in the window.
     *
     * @return m
     */
    public int capacity() {
        return m;
    }

    /**
     * Returns λ.
     *
     * @return the damping
     */
    public double damping() {
        return damping;
    }

    /**
     * Returns the block size (d for one block).
     *
     * @return B
     */
    public long blockSize() {
        return layout.size;
    }

    /**
     * Returns the ring buffer, (blocks, m, B), owned by this operator; row i of every block is
     * together the i-th stored gradient.
     *
     * @return G
     */
    public NDArray gradients() {
        return gradients;
    }

    /**
     * Returns the row the next {@link #add} replaces.
     *
     * @return the ring-buffer position, in [0, m)
     */
    public int position() {
        return position;
    }

    /**
     * Returns a copy of the Gram matrices {@code G·Gᵀ} of every block, row-major, block after
     * block; they are kept as the rows were added (restoring them instead of recomputing keeps a
     * restored window bit-identical).
     *
     * @return blocks·m² values
     */
    public double[] dots() {
        double[] all = new double[layout.blocks * m * m];
        for (int b = 0; b < layout.blocks; b++) {
            System.arraycopy(dots[b], 0, all, b * m * m, m * m);
        }
        return all;
    }

    /**
     * Returns the bytes this operator holds: the ring buffer on the engine (m·d entries, plus the
     * padding of the last block) and the Gram matrices and factors on the host (16·m² per block).
     *
     * @return the bytes
     */
    public long bytes() {
        return gradients.size() * gradients.getDataType().getNumOfBytes()
                + 2L * Double.BYTES * layout.blocks * m * m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
