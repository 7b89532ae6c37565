package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.HostArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * FRUGAL (Full-Rank Updates with GrAdient spLitting): AdamW on a small subspace of the gradient,
 * whose moments are the only state kept, and a state-free rule (sign-SGD or SGD) on the rest, so
 * that every direction is updated while the state costs about {@code density} of AdamW's.
 *
 * <p>Every step, for every parameter, weight decay comes first ({@code p ← p(1 − lr·wd)} by
 * default). A parameter the split rule ({@link Builder#optSplitRule}) leaves out gets plain AdamW.
 * The others are split. With {@code t} the parameter's step count, {@code T = updateGap} and {@code
 * ρ = density}, a new subspace is chosen at {@code t = 1, T + 1, 2T + 1, …} (epoch {@code e = (t −
 * 1)/T}); with {@code resetStatistics} its moments start from zero and Adam's step count {@code k}
 * from 1 (otherwise they carry on in the new subspace). Then, with {@code s = lr·stateFreeScale}
 * and {@code free(r) = s·sign(r)} (sign-SGD) or {@code s·r} (SGD):
 *
 * <ul>
 *   <li>{@link Subspace#BLOCK}: of the {@code n} split parameters of the bound block (in the
 *       block's order), {@code a = round(n·ρ)} are active in epoch {@code e}: by {@link BlockOrder}
 *       ascending, indices {@code e·a … e·a + a − 1} (mod n); descending, {@code n − 1 − e·a}
 *       downwards; random, a seeded random subset. Active: {@code Δ = Adam(m, v, g, k)}; inactive:
 *       {@code Δ = free(g)}, and no state is kept.
 *   <li>Projections: the gradient is viewed as a matrix {@code G} of {@code rows = shape[0]} (1 for
 *       a vector) by {@code cols = size/rows}. When {@code rows ≥ cols} the basis {@code P} is
 *       {@code r × cols} with {@code r = round(cols·ρ)} and orthonormal rows, {@code L = G·Pᵀ},
 *       {@code up(X) = X·P}; otherwise {@code P} is {@code rows × r} with {@code r = round(rows·ρ)}
 *       and orthonormal columns, {@code L = Pᵀ·G}, {@code up(X) = P·X}. Then {@code Δ = up(Adam(m,
 *       v, L, k)) + free(G − up(L))}. {@link Subspace#SVD_PROJECTION}: the top {@code r} singular
 *       vectors of the gradient at the switch (EJML SVD of a host copy, in float64); {@link
 *       Subspace#RANDOM_PROJECTION}: Q of the QR factorization of a seeded Gaussian matrix, columns
 *       signed so that diag(R) ≥ 0; {@link Subspace#PERMUTATION_PROJECTION}: {@code r} distinct
 *       seeded random unit vectors.
 *   <li>{@link Subspace#COORDINATES}: {@code k = int(size·ρ)} seeded random entries get Adam, the
 *       others {@code free(g)}.
 * </ul>
 *
 * <p>Adam is {@link AdamMoments}: {@code m ← β1·m + (1 − β1)·x}, {@code v ← β2·v + (1 − β2)·x²},
 * {@code Adam = lr/(1 − β1^k) · m/(sqrt(v)/sqrt(1 − β2^k) + ε)}. The state of a split parameter is
 * its subspace's {@code m} and {@code v} plus the basis (projections) or the chosen entries' int64
 * indices (coordinates); {@link #stateBytes()} counts exactly these. Selections are functions of
 * {@code (seed, stream, epoch)}, and the seed and stream live in each parameter's state, so a
 * restored checkpoint chooses the same subspaces as the uninterrupted run.
 *
 * <p>Paper: Zmushko et al., "FRUGAL: Memory-Efficient Optimization by Reducing State Overhead for
 * Scalable Training", arXiv:2411.07837. Reference implementation: fzmushko/FRUGAL ({@code
 * BlockAdamW}, {@code GaloreAdamW}, {@code CoordAdamW}); defaults of its pre-training
 * configuration: density 0.25, update_gap 200, inactive_update_rule sign_sgd, inactive_lr_scale
 * 1.0, reset_statistics true, block_order descending; AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8,
 * weight decay 0.01 (the reference's AdamW default; its pre-training scripts pass 0).
 *
 * <p>Deviations from the reference:
 *
 * <ul>
 *   <li>Random selections use Java's {@link SplittableRandom}, so they are not torch's; they are
 *       reproducible from the seed.
 *   <li>Which parameters are split is a predicate (default: two or more dimensions), not the
 *       reference's list of transformer module names; the others get AdamW, as its "regular" group
 *       does.
 *   <li>The block variant needs the model's parameter order: call {@link #bind} first.
 *   <li>With {@code resetStatistics} off, a block that stays active keeps its moments (the
 *       reference always resets blocks); projections and coordinates keep them as the reference
 *       does.
 *   <li>The coordinate variant chooses entries; the reference's column and row choices are the
 *       permutation projection here. No "mirror" block order, no {@code proj_params_lr_scale} (use
 *       a {@link ParameterRule}), no "no update" rule for the rest.
 *   <li>A new subspace is chosen by each parameter's own step count, not by the first parameter's.
 * </ul>
 */
public final class Frugal extends DescentOptimizer<Frugal.State> {

    /** The largest seed kept exactly in a checkpoint's float64 scalars. */
    static final long MAX_SEED = 1L << 53;

    /** Which part of a split parameter's gradient gets Adam. */
    public enum Subspace {
        /** Whole parameters, {@code round(n·ρ)} of the bound block's at a time. */
        BLOCK,
        /** The top singular subspace of the gradient at the switch. */
        SVD_PROJECTION,
        /** A seeded random orthonormal subspace. */
        RANDOM_PROJECTION,
        /** A seeded random set of rows or columns. */
        PERMUTATION_PROJECTION,
        /** A seeded random set of entries. */
        COORDINATES
    }

    /** The order in which the block variant activates parameters. */
    public enum BlockOrder {
        /** A seeded random subset each epoch. */
        RANDOM,
        /** From the first parameter onwards. */
        ASCENDING,
        /** From the last parameter backwards (the reference's pre-training setting). */
        DESCENDING
    }

    /** The state-free rule for the directions outside the subspace. */
    public enum StateFreeRule {
        /** {@code Δ = s·sign(r)}. */
        SIGN_SGD,
        /** {@code Δ = s·r}. */
        SGD
    }

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double density;
    private final int updateGap;
    private final Subspace subspace;
    private final BlockOrder blockOrder;
    private final StateFreeRule stateFreeRule;
    private final double stateFreeScale;
    private final boolean resetStatistics;
    private final long seed;
    private final Predicate<ParameterInfo> splitRule;

    private Frugal(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        density = builder.density;
        updateGap = builder.updateGap;
        subspace = builder.subspace;
        blockOrder = builder.blockOrder;
        stateFreeRule = builder.stateFreeRule;
        stateFreeScale = builder.stateFreeScale;
        resetStatistics = builder.resetStatistics;
        seed = builder.seed;
        splitRule = builder.splitRule;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param split whether the parameter is split (otherwise it gets plain AdamW)
     * @param subspaceStep Adam's steps in the current subspace (since the last reset)
     * @param seed the seed of the selections
     * @param stream the block variant: the parameter's index among the split parameters of the
     *     bound block; the others: a number from its name that makes its selections its own
     * @param count the block variant: the number of split parameters; 0 otherwise
     * @param m the first moment of the subspace, or {@code null} when there is none
     * @param v the second moment of the subspace, or {@code null}
     * @param basis the projection ({@code P}) or the int64 indices of the chosen entries, or {@code
     *     null}
     */
    public record State(
            long step,
            boolean split,
            long subspaceStep,
            long seed,
            int stream,
            int count,
            NDArray m,
            NDArray v,
            NDArray basis)
            implements ParameterState {

        @Override
        public List<NDArray> buffers() {
            List<NDArray> buffers = new ArrayList<>(3);
            for (NDArray a : new NDArray[] {m, v, basis}) {
                if (a != null) {
                    buffers.add(a);
                }
            }
            return buffers;
        }

        @Override
        public List<String> bufferNames() {
            List<String> names = new ArrayList<>(3);
            if (m != null) {
                names.add("m");
            }
            if (v != null) {
                names.add("v");
            }
            if (basis != null) {
                names.add("basis");
            }
            return names;
        }

        @Override
        public double[] scalars() {
            return new double[] {split ? 1 : 0, subspaceStep, seed, stream, count};
        }

        private State next(long newStep, long newSubspaceStep) {
            return new State(newStep, split, newSubspaceStep, seed, stream, count, m, v, basis);
        }

        private State with(long newSubspaceStep, NDArray newM, NDArray newV, NDArray newBasis) {
            return new State(
                    step, split, newSubspaceStep, seed, stream, count, newM, newV, newBasis);
        }
    }

    /**
     * Returns a builder with the reference defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Not used: a FRUGAL state depends on which parameter it belongs to ({@link
     * #initialState(ParameterInfo, NDArray)}).
     *
     * @param weight the parameter
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    protected State initialState(NDArray weight) {
        throw new UnsupportedOperationException("FRUGAL's state depends on the parameter");
    }

    @Override
    protected State initialState(ParameterInfo parameter, NDArray weight) {
        if (!splitRule.test(parameter)) {
            return new State(0, false, 0, seed, 0, 0, weight.zerosLike(), weight.zerosLike(), null);
        }
        if (subspace != Subspace.BLOCK) {
            return new State(0, true, 0, seed, parameter.name().hashCode(), 0, null, null, null);
        }
        List<ParameterInfo> bound = boundParameters();
        if (bound.isEmpty()) {
            throw new IllegalStateException(
                    "FRUGAL's block variant chooses among the parameters of a model: train with"
                            + " Descent.trainingConfig(loss, optimizer), add"
                            + " BindingListener.of(optimizer) to the training config, or call"
                            + " bind(block) before the first step");
        }
        List<ParameterInfo> split = bound.stream().filter(splitRule).toList();
        for (int i = 0; i < split.size(); i++) {
            if (split.get(i).id().equals(parameter.id())) {
                return new State(0, true, 0, seed, i, split.size(), null, null, null);
            }
        }
        throw new IllegalStateException(
                "parameter '" + parameter.name() + "' is not a split parameter of the bound block");
    }

    /**
     * The subspace decides what the tensors of a split parameter are; with projections and
     * coordinates the density fixes their shapes.
     */
    @Override
    protected Map<String, String> stateLayout() {
        return subspace == Subspace.BLOCK
                ? Map.of("subspace", subspace.name())
                : Map.of("subspace", subspace.name(), "density", String.valueOf(density));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(
                step,
                scalars[0] != 0,
                (long) scalars[1],
                (long) scalars[2],
                (int) scalars[3],
                (int) scalars[4],
                buffers.size() > 0 ? buffers.get(0) : null,
                buffers.size() > 1 ? buffers.get(1) : null,
                buffers.size() > 2 ? buffers.get(2) : null);
    }

    @Override
    protected Shape expectedShape(State state, int index, Shape weight) {
        if (!state.split() || subspace == Subspace.BLOCK) {
            return weight;
        }
        if (subspace == Subspace.COORDINATES) {
            return new Shape(coordinateCount(weight.size(), density));
        }
        MatrixView view = MatrixView.of(weight, density);
        return index < 2 ? view.lowShape() : view.basisShape();
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        if (!state.split()) {
            long k = state.subspaceStep() + 1;
            NDArray delta =
                    AdamMoments.step(state.m(), state.v(), grad, beta1, beta2, epsilon, k, lr);
            return new Step<>(state.next(t, k), delta);
        }
        State s =
                (t - 1) % updateGap == 0
                        ? switchSubspace(state, grad, weight, (t - 1) / updateGap)
                        : state;
        if (s.m() == null) {
            stateFree(grad, lr);
            return new Step<>(s.next(t, 0), grad);
        }
        long k = s.subspaceStep() + 1;
        switch (subspace) {
            case BLOCK -> AdamMoments.step(s.m(), s.v(), grad, beta1, beta2, epsilon, k, lr);
            case COORDINATES -> coordinateStep(s, grad, k, lr);
            default -> projectionStep(s, grad, k, lr);
        }
        return new Step<>(s.next(t, k), grad);
    }

    /** Chooses the subspace of an epoch; moments are reset or kept, the old basis is closed. */
    private State switchSubspace(State state, NDArray grad, NDArray weight, long epoch) {
        close(state.basis());
        Shape low;
        NDArray basis = null;
        NDManager manager = weight.getManager();
        switch (subspace) {
            case BLOCK -> {
                int active = (int) Math.rint(state.count() * density);
                boolean on =
                        blockActive(
                                blockOrder,
                                state.seed(),
                                state.stream(),
                                state.count(),
                                active,
                                epoch);
                low = on ? weight.getShape() : null;
            }
            case COORDINATES -> {
                int k = coordinateCount(weight.size(), density);
                low = k == 0 ? null : new Shape(k);
                if (k > 0) {
                    int[] chosen =
                            randomSubset(
                                    random(state.seed(), state.stream(), epoch),
                                    Math.toIntExact(weight.size()),
                                    k);
                    Arrays.sort(chosen);
                    long[] indices = Arrays.stream(chosen).asLongStream().toArray();
                    basis = HostArrays.indices(indices, weight);
                }
            }
            default -> {
                MatrixView view = MatrixView.of(weight.getShape(), density);
                low = view.rank() == 0 ? null : view.lowShape();
                if (low != null) {
                    double[] p = projection(view, grad, state.seed(), state.stream(), epoch);
                    basis = HostArrays.fromHost(p, view.basisShape(), weight);
                }
            }
        }
        if (low == null) {
            close(state.m());
            close(state.v());
            return state.with(0, null, null, null);
        }
        if (!resetStatistics && state.m() != null) {
            return state.with(state.subspaceStep(), state.m(), state.v(), basis);
        }
        close(state.m());
        close(state.v());
        DataType type = weight.getDataType();
        NDArray m = manager.zeros(low, type, weight.getDevice());
        NDArray v = manager.zeros(low, type, weight.getDevice());
        return state.with(0, m, v, basis);
    }

    /** Adam on the chosen entries, the state-free rule on the others; Δ in {@code grad}. */
    private void coordinateStep(State s, NDArray grad, long k, double lr) {
        try (NDArray flat = grad.reshape(grad.size());
                NDArray low = flat.take(s.basis())) {
            stateFree(grad, lr);
            NDArray adam = AdamMoments.step(s.m(), s.v(), low, beta1, beta2, epsilon, k, lr);
            flat.set(new NDIndex("{}", s.basis()), adam);
        }
    }

    /** Adam on the projected gradient, the state-free rule on the residual; Δ in {@code grad}. */
    private void projectionStep(State s, NDArray grad, long k, double lr) {
        MatrixView view = MatrixView.of(grad.getShape(), density);
        NDArray p = s.basis();
        try (NDArray g = grad.reshape(view.rows(), view.cols());
                NDArray pt = p.transpose();
                NDArray low = view.right() ? g.matMul(pt) : pt.matMul(g);
                NDArray back = view.right() ? low.matMul(p) : p.matMul(low)) {
            g.subi(back);
            stateFree(g, lr);
            NDArray adam = AdamMoments.step(s.m(), s.v(), low, beta1, beta2, epsilon, k, lr);
            try (NDArray up = view.right() ? adam.matMul(p) : p.matMul(adam)) {
                g.addi(up);
            }
        }
    }

    /** {@code x ← s·sign(x)} or {@code x ← s·x}, with {@code s = lr·stateFreeScale}. */
    private void stateFree(NDArray x, double lr) {
        if (stateFreeRule == StateFreeRule.SIGN_SGD) {
            x.signi();
        }
        x.muli(lr * stateFreeScale);
    }

    /**
     * The basis of a projection, row-major with the shape {@link MatrixView#basisShape()}:
     * orthonormal rows (right side) or columns (left side).
     */
    private double[] projection(MatrixView view, NDArray grad, long seed, int stream, long epoch) {
        return switch (subspace) {
            case SVD_PROJECTION -> singularBasis(view, grad);
            case RANDOM_PROJECTION -> randomOrthogonalBasis(view, random(seed, stream, epoch));
            case PERMUTATION_PROJECTION -> permutationBasis(view, random(seed, stream, epoch));
            default -> throw new IllegalStateException("not a projection: " + subspace);
        };
    }

    /** The top singular vectors of the gradient (EJML, float64, on a host copy). */
    static double[] singularBasis(MatrixView view, NDArray grad) {
        double[] host = HostArrays.toDoubles(grad);
        DMatrixRMaj matrix = new DMatrixRMaj(view.rows(), view.cols(), true, host);
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(
                        view.rows(), view.cols(), !view.right(), view.right(), true);
        if (!svd.decompose(matrix)) {
            throw new ArithmeticException(
                    "the SVD of a " + view.rows() + " x " + view.cols() + " gradient failed");
        }
        DMatrixRMaj u = view.right() ? null : svd.getU(null, false);
        DMatrixRMaj v = view.right() ? svd.getV(null, false) : null;
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        // right: the first r columns of V as rows; left: the first r columns of U
        DMatrixRMaj vectors = view.right() ? v : u;
        return firstColumns(vectors, view.rank(), view.right());
    }

    /** Q of a Gaussian matrix's QR factorization with diag(R) ≥ 0 (torch's orthogonal_ init). */
    static double[] randomOrthogonalBasis(MatrixView view, SplittableRandom random) {
        int dim = view.right() ? view.cols() : view.rows();
        int rank = view.rank();
        DMatrixRMaj gaussian = new DMatrixRMaj(dim, rank);
        for (int i = 0; i < gaussian.data.length; i++) {
            gaussian.data[i] = random.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(dim, rank);
        if (!qr.decompose(gaussian)) {
            throw new ArithmeticException("the QR factorization of a random matrix failed");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int j = 0; j < rank; j++) {
            if (r.get(j, j) < 0) {
                for (int i = 0; i < dim; i++) {
                    q.set(i, j, -q.get(i, j));
                }
            }
        }
        return firstColumns(q, rank, view.right());
    }

    /** {@code r} distinct random unit vectors: rows (right side) or columns (left side) of P. */
    static double[] permutationBasis(MatrixView view, SplittableRandom random) {
        int dim = view.right() ? view.cols() : view.rows();
        int rank = view.rank();
        int[] chosen = randomSubset(random, dim, rank);
        double[] p = new double[dim * rank];
        for (int j = 0; j < rank; j++) {
            p[view.right() ? j * dim + chosen[j] : chosen[j] * rank + j] = 1;
        }
        return p;
    }

    /** The first {@code rank} columns of {@code a}, row-major, transposed (as rows) or not. */
    private static double[] firstColumns(DMatrixRMaj a, int rank, boolean asRows) {
        int dim = a.numRows;
        double[] p = new double[dim * rank];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < rank; j++) {
                p[asRows ? j * dim + i : i * rank + j] = a.get(i, j);
            }
        }
        return p;
    }

    /**
     * Tells whether the block variant activates parameter {@code index} of {@code count} in an
     * epoch, with {@code active} parameters active at a time.
     */
    static boolean blockActive(
            BlockOrder order, long seed, int index, int count, int active, long epoch) {
        long shift = epoch * active;
        return switch (order) {
            case ASCENDING -> Math.floorMod(index - shift, count) < active;
            case DESCENDING -> Math.floorMod(count - 1 - shift - index, count) < active;
            case RANDOM -> {
                for (int i : randomSubset(random(seed, -1, epoch), count, active)) {
                    if (i == index) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    /**
     * {@code k} distinct integers of {@code [0, n)}: the first {@code k} of a Fisher–Yates shuffle.
     */
    static int[] randomSubset(SplittableRandom random, int n, int k) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = random.nextInt(i, n);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return Arrays.copyOf(values, k);
    }

    /** The random numbers of one selection: a function of the seed, the stream and the epoch. */
    static SplittableRandom random(long seed, long stream, long epoch) {
        long mixed = seed;
        mixed = mixed * 0x9E3779B97F4A7C15L + stream;
        mixed = mixed * 0x9E3779B97F4A7C15L + epoch;
        return new SplittableRandom(mixed);
    }

    /** {@code int(size·ρ)}, the reference's number of coordinates. */
    static int coordinateCount(long size, double density) {
        return Math.toIntExact((long) (size * density));
    }

    private static void close(NDArray array) {
        if (array != null) {
            array.close();
        }
    }

    /**
     * A gradient viewed as a {@code rows × cols} matrix and the projection of its rank.
     *
     * @param rows {@code shape[0]}, or 1 for a vector
     * @param cols the remaining size
     * @param right whether the basis acts on the right ({@code rows ≥ cols})
     * @param rank {@code round(ρ·cols)} on the right, {@code round(ρ·rows)} on the left
     */
    record MatrixView(int rows, int cols, boolean right, int rank) {

        static MatrixView of(Shape shape, double density) {
            int rows = shape.dimension() >= 2 ? Math.toIntExact(shape.get(0)) : 1;
            int cols = Math.toIntExact(shape.size() / rows);
            boolean right = rows >= cols;
            int rank = (int) Math.rint((right ? cols : rows) * density);
            return new MatrixView(rows, cols, right, rank);
        }

        /** The projected gradient's shape. */
        Shape lowShape() {
            return right ? new Shape(rows, rank) : new Shape(rank, cols);
        }

        /** The basis's shape. */
        Shape basisShape() {
            return right ? new Shape(rank, cols) : new Shape(rows, rank);
        }
    }

    /** Builds {@link Frugal}; defaults are the reference's pre-training configuration. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        private double density = 0.25;
        private int updateGap = 200;
        private Subspace subspace = Subspace.BLOCK;
        private BlockOrder blockOrder = BlockOrder.DESCENDING;
        private StateFreeRule stateFreeRule = StateFreeRule.SIGN_SGD;
        private double stateFreeScale = 1.0;
        private boolean resetStatistics = true;
        private long seed;
        private Predicate<ParameterInfo> splitRule = p -> p.shape().dimension() >= 2;

        Builder() {
            super(1e-3, WeightDecayMode.DECOUPLED, 1e-8);
            optWeightDecay(1e-2);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets ρ, the share of each split parameter (or of the split parameters, for blocks) that
         * gets Adam, in [0, 1] (default 0.25).
         *
         * @param density ρ
         * @return this builder
         */
        public Builder optDensity(double density) {
            this.density = density;
            return this;
        }

        /**
         * Sets T, the steps between subspace switches, {@code >= 1} (default 200).
         *
         * @param updateGap T
         * @return this builder
         */
        public Builder optUpdateGap(int updateGap) {
            this.updateGap = updateGap;
            return this;
        }

        /**
         * Sets how the subspace is chosen (default {@link Subspace#BLOCK}).
         *
         * @param subspace the variant
         * @return this builder
         */
        public Builder optSubspace(Subspace subspace) {
            this.subspace = subspace;
            return this;
        }

        /**
         * Sets the order of the block variant (default {@link BlockOrder#DESCENDING}).
         *
         * @param order the order
         * @return this builder
         */
        public Builder optBlockOrder(BlockOrder order) {
            blockOrder = order;
            return this;
        }

        /**
         * Sets the rule outside the subspace (default {@link StateFreeRule#SIGN_SGD}).
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder optStateFreeRule(StateFreeRule rule) {
            stateFreeRule = rule;
            return this;
        }

        /**
         * Sets the factor of the learning rate outside the subspace (the reference's {@code
         * inactive_lr_scale}), finite and {@code >= 0} (default 1; the paper uses 0.1 for
         * fine-tuning).
         *
         * @param scale the factor
         * @return this builder
         */
        public Builder optStateFreeScale(double scale) {
            stateFreeScale = scale;
            return this;
        }

        /**
         * Sets whether the moments restart from zero at every switch (default true).
         *
         * @param reset whether to reset
         * @return this builder
         */
        public Builder optResetStatistics(boolean reset) {
            resetStatistics = reset;
            return this;
        }

        /**
         * Sets the seed of the random selections, in [0, 2^53] so that checkpoints keep it exactly
         * (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets which parameters are split (default: those with two or more dimensions); the others
         * get plain AdamW.
         *
         * @param rule the predicate
         * @return this builder
         */
        public Builder optSplitRule(Predicate<ParameterInfo> rule) {
            splitRule = rule;
            return this;
        }

        @Override
        public Frugal build() {
            validateMoments();
            Arguments.inClosed("density", density, 0, 1);
            if (updateGap < 1) {
                throw new IllegalArgumentException("updateGap must be >= 1, got " + updateGap);
            }
            Arguments.notNull("subspace", subspace);
            Arguments.notNull("blockOrder", blockOrder);
            Arguments.notNull("stateFreeRule", stateFreeRule);
            Arguments.nonNegative("stateFreeScale", stateFreeScale);
            if (seed < 0 || seed > MAX_SEED) {
                throw new IllegalArgumentException(
                        "seed must be in [0, " + MAX_SEED + "], got " + seed);
            }
            Arguments.notNull("splitRule", splitRule);
            return new Frugal(this);
        }
    }
}
