package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * M-FAC's static algorithm: the inverse of the damped empirical Fisher {@code F = λ·I + (1/m)·Σ_i
 * g_i g_iᵀ} of a fixed set of m gradients, precomputed once so that products, single entries and
 * the diagonal of {@code F⁻¹} are cheap — what optimal-brain-surgeon pruning needs ({@link
 * ObsPruning}).
 *
 * <p>With G the m×d matrix of gradients, {@code K = G·Gᵀ + λ·m·I = L·Lᵀ} (Cholesky, host, float64)
 * and the m×d matrix {@code W = L⁻¹·G}:
 *
 * <pre>
 * F⁻¹       = (I − Wᵀ·W) / λ
 * F⁻¹·x     = (x − Wᵀ·(W·x)) / λ                 O(dm)
 * [F⁻¹]_qr  = (δ_qr − Σ_i W_iq·W_ir) / λ          O(m)
 * diag(F⁻¹) = (1 − Σ_i W_i²) / λ                  O(dm)
 * </pre>
 *
 * <p>The precomputation, {@code G·Gᵀ} and {@code L⁻¹·G}, costs O(dm²) on the engine plus O(m³) on
 * the host. The rows of W are the reference's {@code H_{i−1}g_i/√(m + g_iᵀH_{i−1}g_i)} times √λ:
 * the same rank-one Woodbury recursion, computed with two matrix products instead of m sequential
 * steps. Blockwise, as in {@link InverseFisher}: F is block-diagonal over consecutive blocks of B
 * entries, and entries between different blocks are 0.
 *
 * <p>Paper: Frantar, Kurtic, Alistarh, "M-FAC: Efficient Matrix-Free Approximations of Second-Order
 * Information", arXiv:2107.03356 (§3, the static algorithm). Reference implementation:
 * IST-DASLab/M-FAC {@code prun.py} ({@code HInvFastBatch}, {@code HInvFastBlock}); defaults λ =
 * 1e-5, block size 128 in its pruning script.
 *
 * <p>Deviations from the reference: the precomputation goes through the Cholesky factor of the m×m
 * Gram matrix (float64) instead of the sequential recursion over the gradients, which gives the
 * same operator; there is no paging of G between host and GPU memory.
 */
public final class StaticInverseFisher implements SymmetricOperator, AutoCloseable {

    private final BlockLayout layout;
    private final int m;
    private final double damping;
    private final NDManager manager;
    private final NDArray whitened;

    private StaticInverseFisher(
            BlockLayout layout, int m, double damping, NDManager manager, NDArray whitened) {
        this.layout = layout;
        this.m = m;
        this.damping = damping;
        this.manager = manager;
        this.whitened = whitened;
    }

    /**
     * Precomputes the inverse Fisher of m gradients: O(dm²).
     *
     * @param gradients the m×d matrix of gradients, finite (not modified)
     * @param damping λ, finite and {@code > 0}
     * @param blockSize B for the blockwise variant, {@code >= 1}; 0 for one block over all d
     * @return the operator, owned by a sub-manager of {@code gradients}' manager
     * @throws IllegalArgumentException naming the first invalid value and its range
     */
    public static StaticInverseFisher of(NDArray gradients, double damping, long blockSize) {
        Shape shape = gradients.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(
                    "gradients must be an m×d matrix, got shape " + shape);
        }
        int m = Math.toIntExact(shape.get(0));
        BlockLayout layout = InverseFisher.layout(shape.get(1), m, damping, blockSize);
        Vectors.requireFinite("gradients", gradients);
        try (NDScope scope = new NDScope()) {
            NDArray blocked = layout.rowsToBlocks(gradients);
            double[] gram = Vectors.toHost(blocked.matMul(blocked.transpose(0, 2, 1)));
            double[][] factor = new double[layout.blocks][m * m];
            for (int b = 0; b < layout.blocks; b++) {
                double[] a = Arrays.copyOfRange(gram, b * m * m, (b + 1) * m * m);
                Cholesky.factorRows(a, damping * m, factor[b], m, 0);
            }
            return whiten(layout, m, damping, blocked, factor, gradients.getManager());
        }
    }

    /** W = L⁻¹·G per block, from the gradients in blocks and the Cholesky factors of K. */
    static StaticInverseFisher whiten(
            BlockLayout layout,
            int m,
            double damping,
            NDArray blocked,
            double[][] factor,
            NDManager owner) {
        double[] inverse = new double[layout.blocks * m * m];
        for (int b = 0; b < layout.blocks; b++) {
            Cholesky.invertLower(factor[b], m, inverse, b * m * m);
        }
        NDManager manager = owner.newSubManager();
        try (NDScope scope = new NDScope()) {
            NDArray lower = Vectors.fromHost(inverse, new Shape(layout.blocks, m, m), blocked);
            NDArray w = lower.matMul(blocked);
            w.attach(manager);
            NDScope.unregister(w);
            return new StaticInverseFisher(layout, m, damping, manager, w);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns {@code F⁻¹·x}: O(dm).
     *
     * @param x a 1-D vector of length d and the gradients' data type (not modified)
     * @return {@code F⁻¹·x}, a new vector owned by {@code x}'s manager
     */
    public NDArray multiply(NDArray x) {
        layout.check("vector", x, whitened.getDataType());
        try (NDScope scope = new NDScope()) {
            NDArray blocked = layout.toBlocks(x);
            NDArray coefficients = whitened.matMul(blocked.expandDims(2)).transpose(0, 2, 1);
            NDArray correction = coefficients.matMul(whitened).reshape(layout.blocks, layout.size);
            // (x − c)/λ in the buffer of c = Gᵀz: one d-sized allocation per product
            NDArray result = layout.toFlat(correction.subi(blocked).divi(-damping));
            result.attach(x.getManager());
            NDScope.unregister(result);
            return result;
        }
    }

    /**
     * Returns the diagonal of {@code F⁻¹}: O(dm).
     *
     * @param owner the manager that will own it
     * @return a vector of length d
     */
    public NDArray diagonal(NDManager owner) {
        try (NDScope scope = new NDScope()) {
            NDArray covered = whitened.square().sum(new int[] {1});
            NDArray result = layout.toFlat(covered.neg().addi(1).divi(damping));
            result.attach(owner);
            NDScope.unregister(result);
            return result;
        }
    }

    /**
     * Returns the single entry {@code [F⁻¹]_qr}: O(m).
     *
     * @param q the row, in [0, d)
     * @param r the column, in [0, d)
     * @return the entry
     */
    public double entry(long q, long r) {
        checkIndex("q", q);
        checkIndex("r", r);
        long bq = q / layout.size;
        long br = r / layout.size;
        double delta = q == r ? 1 : 0;
        if (bq != br) {
            return 0; // different blocks of a block-diagonal F⁻¹
        }
        double[] wq = column(bq, q % layout.size);
        double[] wr = q == r ? wq : column(br, r % layout.size);
        double dot = 0;
        for (int i = 0; i < m; i++) {
            dot += wq[i] * wr[i];
        }
        return (delta - dot) / damping;
    }

    private double[] column(long block, long offset) {
        try (NDArray c = whitened.get(new NDIndex("{}, :, {}", block, offset))) {
            return Vectors.toHost(c);
        }
    }

    private void checkIndex(String name, long index) {
        if (index < 0 || index >= layout.dimension) {
            throw new IllegalArgumentException(
                    name + " must be in [0, " + layout.dimension + "), got " + index);
        }
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
                new Shape(layout.dimension), whitened.getDataType(), whitened.getDevice());
    }

    /**
     * Returns m, the number of gradients.
     *
     * @return m
     */
    public int gradientCount() {
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

    @Override
    public void close() {
        manager.close();
    }
}
