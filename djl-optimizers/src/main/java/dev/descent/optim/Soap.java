package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.HostArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SOAP ("ShampoO with Adam in the Preconditioner's eigenbasis"): Adam run in the eigenbasis of
 * Shampoo's per-axis gradient statistics, the basis refreshed every few steps.
 *
 * <p>The weight is viewed in a working shape {@code d_0×…×d_{k−1}}: its own shape, or with {@code
 * mergeDims} the shape whose adjacent axes are merged while their product stays {@code <=
 * maxPreconditionerDim}. Axis {@code i} is <em>rotated</em> when {@code d_i <=
 * maxPreconditionerDim} (for a 1-D weight only with {@code precondition1d}); it then has a
 * statistic {@code GG_i} ({@code d_i×d_i}) and an orthogonal basis {@code Q_i}. {@code C_i(G)}
 * contracts {@code G} with itself over every axis but {@code i} ({@code G·Gᵀ} and {@code Gᵀ·G} for
 * a matrix); {@code project(X)} multiplies axis {@code i} of {@code X} by {@code Q_iᵀ} for every
 * rotated axis ({@code Q_0ᵀ·X·Q_1}), {@code projectBack(X)} by {@code Q_i}. With {@code βs =
 * shampooBeta} (β2 when negative):
 *
 * <pre>
 * first call:  GG_i = (1 − βs)·C_i(G);  Q_i = eigenvectors(GG_i + 1e-30·I), eigenvalues descending;
 *              no change of the weight (and no weight decay)
 * call t+1:    (t = 1, 2, …, the Adam step)
 *   G' = project(G)
 *   m ← β1·m + (1 − β1)·G',   v ← β2·v + (1 − β2)·G'²
 *   u = projectBack(m / (sqrt(v) + ε));   u ← u / (1e-30 + sqrt(mean(u²)))   if normalizeGrads
 *   p ← p − lr·sqrt(1 − β2^t)/(1 − β1^t)·u   (p ← p − lr·u without correctBias)
 *   p ← p·(1 − lr·wd)
 *   GG_i ← βs·GG_i + (1 − βs)·C_i(G)
 *   every preconditionFrequency Adam steps (t mod preconditionFrequency = 0), per rotated axis:
 *     est = diag(Q_iᵀ·GG_i·Q_i); π = the order of est, descending
 *     v ← v with axis i permuted by π;  Q_i ← qr(GG_i·Q_i[:, π]).Q
 *     m ← project(projectBack_old(m))   (momentum moved from the old basis to the new one)
 * </pre>
 *
 * <p>{@code m} and {@code v} live in the rotated basis. Unrotated axes (all of them for a 1-D
 * weight by default) get plain Adam along them; a weight with no rotated axis is updated by Adam
 * with ε outside the bias correction, still skipping the first call.
 *
 * <p>Paper: Vyas et al., "SOAP: Improving and Stabilizing Shampoo using Adam", arXiv:2409.11321.
 * Reference implementation: nikhilvyas/SOAP {@code soap.py}; defaults are its: lr 3e-3, betas
 * (0.95, 0.95), shampoo_beta −1 (= β2), ε 1e-8, weight decay 0.01 (after the step), precondition
 * frequency 10, max_precond_dim 10000, merge_dims false, precondition_1d false, normalize_grads
 * false, correct_bias true.
 *
 * <p>Eigenvectors and QR come from {@link LinearAlgebra} (torch.linalg in the engine, EJML on a
 * host copy in float32 and float64 as fallbacks); everything else, the projections and statistics
 * of every step included, are engine matrix products.
 *
 * <p>Deviations from the reference:
 *
 * <ul>
 *   <li>The reference moves the momentum back and forth between bases after every step; here it is
 *       moved only when a basis changed (the same in exact arithmetic, since the bases are
 *       orthogonal), which saves four matrix products per step.
 *   <li>The reference computes eigenvectors and QR of float64 statistics in float32; here a float64
 *       weight is decomposed in float64 (a float32 one in float32, retried in float64 on failure).
 *   <li>A failed decomposition keeps the previous basis (identity on the first call) and logs a
 *       warning, and the second moment is then not permuted along that axis; the reference raises.
 *   <li>No {@code data_format} option: 4-D weights are taken as DJL stores them (channels first).
 * </ul>
 */
public final class Soap extends DescentOptimizer<Soap.State> {

    private static final Logger LOGGER = LoggerFactory.getLogger(Soap.class);

    /** The reference's shift of the first eigendecomposition's input, {@code 1e-30·I}. */
    private static final double EIGEN_SHIFT = 1e-30;

    /** The reference's guard of {@code normalizeGrads}' division by the update's RMS. */
    private static final double NORMALIZE_GUARD = 1e-30;

    private final double beta1;
    private final double beta2;
    private final double shampooBeta;
    private final double epsilon;
    private final int preconditionFrequency;
    private final long maxPreconditionerDim;
    private final boolean mergeDims;
    private final boolean precondition1d;
    private final boolean normalizeGrads;
    private final boolean correctBias;

    private Soap(Builder builder) {
        super(builder);
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        shampooBeta = builder.shampooBeta < 0 ? builder.beta2 : builder.shampooBeta;
        epsilon = builder.epsilon;
        preconditionFrequency = builder.preconditionFrequency;
        maxPreconditionerDim = builder.maxPreconditionerDim;
        mergeDims = builder.mergeDims;
        precondition1d = builder.precondition1d;
        normalizeGrads = builder.normalizeGrads;
        correctBias = builder.correctBias;
    }

    /**
     * The state of one parameter.
     *
     * @param step the calls so far (the first one only builds the statistics, so the Adam step
     *     count is {@code step − 1})
     * @param m the first moment, in the rotated basis
     * @param v the second moment, in the rotated basis
     * @param statistics {@code GG_i} of the rotated axes, in axis order
     * @param bases {@code Q_i} of the rotated axes, in axis order
     */
    public record State(
            long step, NDArray m, NDArray v, List<NDArray> statistics, List<NDArray> bases)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            List<NDArray> all = new ArrayList<>(2 + 2 * bases.size());
            all.add(m);
            all.add(v);
            all.addAll(statistics);
            all.addAll(bases);
            return all;
        }

        @Override
        public List<String> bufferNames() {
            List<String> names = new ArrayList<>(List.of("m", "v"));
            for (int i = 0; i < statistics.size(); i++) {
                names.add("statistic" + i);
            }
            for (int i = 0; i < bases.size(); i++) {
                names.add("basis" + i);
            }
            return names;
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

    @Override
    protected State initialState(NDArray weight) {
        return new State(0, weight.zerosLike(), weight.zerosLike(), List.of(), List.of());
    }

    /** These decide the working shape and which of its axes are rotated. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of(
                "maxPreconditionerDim",
                String.valueOf(maxPreconditionerDim),
                "mergeDims",
                String.valueOf(mergeDims),
                "precondition1d",
                String.valueOf(precondition1d));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        int axes = (buffers.size() - 2) / 2;
        return new State(
                step,
                buffers.get(0),
                buffers.get(1),
                List.copyOf(buffers.subList(2, 2 + axes)),
                List.copyOf(buffers.subList(2 + axes, 2 + 2 * axes)));
    }

    /**
     * The moments (the first tensors of {@link State#buffers()}) have the weight's shape; the
     * per-axis matrices are not checked against it (each is expected in its own shape).
     */
    @Override
    protected Shape expectedShape(State state, int index, Shape weight) {
        return index < 2 ? weight : state.buffers().get(index).getShape();
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        Axes axes = axes(weight.getShape());
        long t = state.step();
        double stepSize = lr;
        if (correctBias && t > 0) {
            stepSize *= Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        }
        double scale = normalizeGrads ? 1 : stepSize;
        if (!axes.anyRotated()) {
            if (t == 0) {
                return new Step<>(new State(1, state.m(), state.v(), List.of(), List.of()), null);
            }
            NDArray delta =
                    AdamMoments.direction(state.m(), state.v(), grad, beta1, beta2, epsilon, scale);
            normalize(delta, stepSize);
            return new Step<>(new State(t + 1, state.m(), state.v(), List.of(), List.of()), delta);
        }
        NDArray delta;
        try (NDArray g = grad.reshape(axes.shape)) {
            if (t == 0) {
                return new Step<>(firstCall(state, g, axes), null);
            }
            try (NDArray projected =
                            AxisProducts.contract(
                                    g, axes.shape, axes.rotated, state.bases(), false);
                    NDArray flat = projected.reshape(weight.getShape())) {
                updateStatistics(state.statistics(), g, axes);
                AdamMoments.direction(state.m(), state.v(), flat, beta1, beta2, epsilon, scale);
                try (NDArray back =
                        AxisProducts.contract(
                                projected, axes.shape, axes.rotated, state.bases(), true)) {
                    delta = back.reshape(weight.getShape());
                }
            }
        }
        normalize(delta, stepSize);
        List<NDArray> bases = state.bases();
        if (t % preconditionFrequency == 0) {
            bases = refresh(state, axes);
        }
        return new Step<>(new State(t + 1, state.m(), state.v(), state.statistics(), bases), delta);
    }

    /** {@code GG_i ← βs·GG_i + (1 − βs)·C_i(g)} for every rotated axis. */
    private void updateStatistics(List<NDArray> statistics, NDArray g, Axes axes) {
        for (int i = 0, r = 0; i < axes.rotated.length; i++) {
            if (axes.rotated[i]) {
                try (NDArray c = AxisProducts.gram(g, axes.shape, i)) {
                    Elementwise.lerp(statistics.get(r++), c, shampooBeta);
                }
            }
        }
    }

    /** With {@code normalizeGrads}: {@code u ← stepSize·u/(1e-30 + sqrt(mean(u²)))}. */
    private void normalize(NDArray u, double stepSize) {
        if (!normalizeGrads) {
            return;
        }
        try (NDArray square = u.square();
                NDArray mean = square.mean();
                NDArray rms = mean.sqrt()) {
            u.divi(rms.addi(NORMALIZE_GUARD)).muli(stepSize);
        }
    }

    /** Builds the statistics and the first bases from the first gradient. */
    private State firstCall(State state, NDArray g, Axes axes) {
        List<NDArray> statistics = new ArrayList<>();
        List<NDArray> bases = new ArrayList<>();
        NDManager manager = state.m().getManager();
        for (int i = 0; i < axes.rotated.length; i++) {
            if (!axes.rotated[i]) {
                continue;
            }
            NDArray c = AxisProducts.gram(g, axes.shape, i);
            c.attach(manager);
            statistics.add(c.muli(1 - shampooBeta));
            long n = axes.shape.get(i);
            NDArray q;
            try (NDArray eye = manager.eye((int) n, (int) n, 0, c.getDataType());
                    NDArray shifted = c.add(eye.muli(EIGEN_SHIFT))) {
                q = LinearAlgebra.symmetricEigenvectors(shifted);
            }
            if (q == null) {
                LOGGER.warn(
                        "SOAP: the eigendecomposition of the {}x{} statistic of axis {} failed in"
                                + " float32 and float64; using the identity basis",
                        n,
                        n,
                        i);
                q = manager.eye((int) n, (int) n, 0, c.getDataType());
            }
            q.attach(manager);
            bases.add(q);
        }
        return new State(1, state.m(), state.v(), List.copyOf(statistics), List.copyOf(bases));
    }

    /**
     * One power-iteration step and QR per rotated axis, with the second moment permuted to the new
     * order of the estimated eigenvalues and the momentum moved to the new bases.
     */
    private List<NDArray> refresh(State state, Axes axes) {
        NDManager manager = state.m().getManager();
        List<NDArray> bases = new ArrayList<>(state.bases());
        try (NDArray m = state.m().reshape(axes.shape);
                NDArray v = state.v().reshape(axes.shape);
                NDArray original =
                        AxisProducts.contract(m, axes.shape, axes.rotated, state.bases(), true)) {
            for (int i = 0, r = 0; i < axes.rotated.length; i++) {
                if (axes.rotated[i]) {
                    refreshAxis(manager, bases, r++, state.statistics(), v, i);
                }
            }
            try (NDArray moved =
                    AxisProducts.contract(original, axes.shape, axes.rotated, bases, false)) {
                Elementwise.copy(m, moved);
            }
        }
        return List.copyOf(bases);
    }

    /** Replaces {@code bases[r]} (axis {@code axis}) and permutes {@code v}, unless QR fails. */
    private static void refreshAxis(
            NDManager manager,
            List<NDArray> bases,
            int r,
            List<NDArray> statistics,
            NDArray v,
            int axis) {
        NDArray q = bases.get(r);
        long n = q.getShape().get(0);
        try (NDArray power = statistics.get(r).matMul(q);
                NDArray product = q.mul(power);
                NDArray estimate = product.sum(new int[] {0});
                NDArray index =
                        HostArrays.indices(
                                toLongs(LinearAlgebra.descending(HostArrays.toDoubles(estimate))),
                                power);
                NDArray sorted = power.get(new NDIndex(":, {}", index))) {
            NDArray next = LinearAlgebra.orthogonalFactor(sorted);
            if (next == null) {
                LOGGER.warn(
                        "SOAP: the QR decomposition of the {}x{} power-iteration product of axis {}"
                                + " failed in float32 and float64; keeping the previous basis",
                        n,
                        n,
                        axis);
                return;
            }
            next.attach(manager);
            bases.set(r, next);
            q.close();
            permute(v, axis, index);
        }
    }

    /** Permutes axis {@code axis} of {@code x} (modified) by {@code index}. */
    private static void permute(NDArray x, int axis, NDArray index) {
        String prefix = ":, ".repeat(axis);
        try (NDArray permuted = x.get(new NDIndex(prefix + "{}", index))) {
            Elementwise.copy(x, permuted);
        }
    }

    /** The working shape and which of its axes are rotated. */
    private record Axes(Shape shape, boolean[] rotated) {
        boolean anyRotated() {
            for (boolean r : rotated) {
                if (r) {
                    return true;
                }
            }
            return false;
        }
    }

    private Axes axes(Shape weightShape) {
        if (weightShape.dimension() == 1) {
            long n = weightShape.get(0);
            return new Axes(
                    weightShape, new boolean[] {precondition1d && n <= maxPreconditionerDim});
        }
        Shape shape = mergeDims ? merged(weightShape, maxPreconditionerDim) : weightShape;
        boolean[] rotated = new boolean[shape.dimension()];
        for (int i = 0; i < rotated.length; i++) {
            rotated[i] = shape.get(i) <= maxPreconditionerDim;
        }
        return new Axes(shape, rotated);
    }

    /**
     * The reference's {@code merge_dims}: adjacent axes are multiplied together while the product
     * stays {@code <= max}; an axis that alone exceeds {@code max} stays on its own, and axes of
     * size 1 vanish into their neighbours.
     */
    static Shape merged(Shape shape, long max) {
        List<Long> out = new ArrayList<>();
        long current = 1;
        for (long size : shape.getShape()) {
            long product = current * size;
            if (product > max) {
                if (current > 1) {
                    out.add(current);
                    current = size;
                } else {
                    out.add(size);
                    current = 1;
                }
            } else {
                current = product;
            }
        }
        if (current > 1 || out.isEmpty()) {
            out.add(current);
        }
        return new Shape(out.stream().mapToLong(Long::longValue).toArray());
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Builds {@link Soap}; defaults are nikhilvyas/SOAP's. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        private double shampooBeta = -1;
        private int preconditionFrequency = 10;
        private long maxPreconditionerDim = 10000;
        private boolean mergeDims;
        private boolean precondition1d;
        private boolean normalizeGrads;
        private boolean correctBias = true;

        Builder() {
            super(3e-3, WeightDecayMode.DECOUPLED_AFTER_STEP, 1e-8);
            optBeta1(0.95);
            optBeta2(0.95);
            optWeightDecay(0.01);
        }

        /**
         * Sets βs, the decay of the per-axis statistics, in [0, 1); a negative value means β2.
         *
         * @param shampooBeta βs, or negative for β2
         * @return this builder
         */
        public Builder optShampooBeta(double shampooBeta) {
            this.shampooBeta = shampooBeta;
            return this;
        }

        /**
         * Sets how many Adam steps pass between refreshes of the bases, {@code >= 1}.
         *
         * @param frequency the refresh period
         * @return this builder
         */
        public Builder optPreconditionFrequency(int frequency) {
            preconditionFrequency = frequency;
            return this;
        }

        /**
         * Sets the largest axis that gets a statistic and a basis, {@code >= 1}; longer axes get
         * plain Adam along them.
         *
         * @param maxDim the largest rotated axis
         * @return this builder
         */
        public Builder optMaxPreconditionerDim(long maxDim) {
            maxPreconditionerDim = maxDim;
            return this;
        }

        /**
         * Merges adjacent axes while their product stays {@code <= maxPreconditionerDim}.
         *
         * @param merge whether to merge
         * @return this builder
         */
        public Builder optMergeDims(boolean merge) {
            mergeDims = merge;
            return this;
        }

        /**
         * Rotates 1-D weights too (those no longer than {@code maxPreconditionerDim}).
         *
         * @param enabled whether to rotate 1-D weights
         * @return this builder
         */
        public Builder optPrecondition1d(boolean enabled) {
            precondition1d = enabled;
            return this;
        }

        /**
         * Divides each update by its root mean square before the learning rate.
         *
         * @param enabled whether to normalize
         * @return this builder
         */
        public Builder optNormalizeGrads(boolean enabled) {
            normalizeGrads = enabled;
            return this;
        }

        /**
         * Sets whether the step size carries Adam's bias correction {@code sqrt(1 − β2^t)/(1 −
         * β1^t)}.
         *
         * @param enabled whether to correct
         * @return this builder
         */
        public Builder optCorrectBias(boolean enabled) {
            correctBias = enabled;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Soap build() {
            validateMoments();
            if (shampooBeta >= 0) {
                Arguments.inClosedOpen("shampooBeta", shampooBeta, 0, 1);
            } else if (Double.isNaN(shampooBeta)) {
                throw new IllegalArgumentException(
                        "shampooBeta must be in [0, 1) or negative (for beta2), got NaN");
            }
            if (preconditionFrequency < 1) {
                throw new IllegalArgumentException(
                        "preconditionFrequency must be >= 1, got " + preconditionFrequency);
            }
            if (maxPreconditionerDim < 1) {
                throw new IllegalArgumentException(
                        "maxPreconditionerDim must be >= 1, got " + maxPreconditionerDim);
            }
            return new Soap(this);
        }
    }
}
