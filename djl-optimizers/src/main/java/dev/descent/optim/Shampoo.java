package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shampoo: one preconditioner per axis of a weight, the inverse {@code 2k}-th root of that axis'
 * accumulated gradient statistic ({@code k} = the weight's number of axes), optionally with the
 * step length grafted from SGD or Adam.
 *
 * <p>For a weight with axes {@code d_0×…×d_{k−1}}, axis {@code i} is preconditioned when {@code d_i
 * <= maxPreconditionerDim}; {@code C_i(G)} contracts {@code G} with itself over every other axis
 * ({@code G·Gᵀ} and {@code Gᵀ·G} for a matrix). At call {@code t = 1, 2, …}:
 *
 * <pre>
 * H_i ← H_i + C_i(G)                              (H_i = ε·I before the first call)
 * P_i ← H_i^(−1/(2k))   when (t − 1) mod preconditionFrequency = 0
 * D = G ×_0 P_0 ×_1 … (P_i on each preconditioned axis; P_0·G·P_1 for a matrix)
 * NONE:  p ← p − lr·D
 * SGD:   p ← p − lr·D·‖G‖/(‖D‖ + 1e-16)
 * ADAM:  m ← β1·m + (1 − β1)·G,  v ← β2·v + (1 − β2)·G²,
 *        A = m/(1 − β1^t) / (sqrt(v/(1 − β2^t)) + adamEpsilon)
 *        p ← p − lr·D·‖A‖/(‖D‖ + 1e-16)
 * </pre>
 *
 * <p>(norms are Frobenius norms over the whole weight: layer-wise grafting). Weight decay is L2 by
 * default ({@code G ← G + wd·p} before everything).
 *
 * <p>Papers: Gupta, Koren and Singer, "Shampoo: Preconditioned Stochastic Tensor Optimization",
 * arXiv:1802.09568 (Algorithm 2, the tensor case); layer-wise grafting from Agarwal et al.,
 * "Disentangling Adaptive Gradient Methods from Learning Rates", arXiv:2002.11803, as used for
 * Shampoo by Anil et al., "Scalable Second Order Optimization for Deep Learning", arXiv:2002.09018.
 * Reference implementation: kozistr/pytorch_optimizer {@code Shampoo} (and its {@code
 * ScalableShampoo} for grafting, which rescales the Shampoo direction to {@code ‖graft‖/(‖D‖ +
 * 1e-16)}); defaults are {@code Shampoo}'s: lr 1e-3, weight decay 0 (coupled), matrix ε 1e-6,
 * preconditioner recomputed every step ({@code preconditioning_compute_steps} 1), no grafting; the
 * Adam graft takes β1 0.9, β2 0.999, ε 1e-8 (torch.optim.Adam's), and axes longer than 8192 (the
 * {@code no_preconditioning_for_layers_with_dim_gt} of {@code ScalableShampoo}) are not
 * preconditioned.
 *
 * <p>The roots come from {@link LinearAlgebra#inverseRoot} (torch.linalg eigendecomposition in the
 * engine, EJML on a host copy as fallback); statistics and the preconditioned direction are engine
 * products.
 *
 * <p>Deviations from the reference:
 *
 * <ul>
 *   <li>The exponent is the paper's {@code −1/(2k)}; kozistr's {@code Shampoo} uses {@code −1/k}.
 *   <li>Roots by a symmetric eigendecomposition, not by SVD in float32, with the eigenvalues raised
 *       to at least ε (their exact lower bound; float32 rounding of a large statistic otherwise
 *       makes the smallest ones zero or negative); a failed decomposition keeps the previous root
 *       and logs a warning.
 *   <li>The first root is computed at the first call; kozistr's {@code Shampoo} keeps a zero root,
 *       and so makes no update, until call {@code preconditioning_compute_steps}.
 *   <li>No momentum ({@code Shampoo}'s mixes the previous preconditioned gradient in); no blocking,
 *       Schur–Newton roots or start-up delay of {@code ScalableShampoo}.
 * </ul>
 */
public final class Shampoo extends DescentOptimizer<Shampoo.State> {

    private static final Logger LOGGER = LoggerFactory.getLogger(Shampoo.class);

    /** The guard of the grafting ratio's denominator, as in the reference. */
    private static final double GRAFT_GUARD = 1e-16;

    /** Where a preconditioned step takes its length from. */
    public enum Grafting {
        /** The Shampoo direction itself. */
        NONE,
        /** The norm of the gradient. */
        SGD,
        /** The norm of Adam's step direction (with its own moments). */
        ADAM
    }

    private final double matrixEpsilon;
    private final int preconditionFrequency;
    private final long maxPreconditionerDim;
    private final Grafting grafting;
    private final double beta1;
    private final double beta2;
    private final double adamEpsilon;

    private Shampoo(Builder builder) {
        super(builder);
        matrixEpsilon = builder.matrixEpsilon;
        preconditionFrequency = builder.preconditionFrequency;
        maxPreconditionerDim = builder.maxPreconditionerDim;
        grafting = builder.grafting;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        adamEpsilon = builder.epsilon;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param statistics {@code H_i} of the preconditioned axes, in axis order
     * @param roots {@code P_i} of the preconditioned axes, in axis order
     * @param moments Adam's {@code m} and {@code v} with {@link Grafting#ADAM}, else empty
     */
    public record State(
            long step, List<NDArray> statistics, List<NDArray> roots, List<NDArray> moments)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            List<NDArray> all = new ArrayList<>(moments);
            all.addAll(statistics);
            all.addAll(roots);
            return all;
        }

        @Override
        public List<String> bufferNames() {
            List<String> names = new ArrayList<>();
            if (!moments.isEmpty()) {
                names.addAll(List.of("m", "v"));
            }
            for (int i = 0; i < statistics.size(); i++) {
                names.add("statistic" + i);
            }
            for (int i = 0; i < roots.size(); i++) {
                names.add("root" + i);
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
        NDManager manager = weight.getManager();
        Shape shape = weight.getShape();
        boolean[] selected = preconditioned(shape);
        List<NDArray> statistics = new ArrayList<>();
        List<NDArray> roots = new ArrayList<>();
        double initialRoot = Math.pow(matrixEpsilon, -1 / (2.0 * shape.dimension()));
        for (int i = 0; i < selected.length; i++) {
            if (selected[i]) {
                int n = (int) shape.get(i);
                statistics.add(manager.eye(n, n, 0, weight.getDataType()).muli(matrixEpsilon));
                roots.add(manager.eye(n, n, 0, weight.getDataType()).muli(initialRoot));
            }
        }
        List<NDArray> moments =
                grafting == Grafting.ADAM
                        ? List.of(weight.zerosLike(), weight.zerosLike())
                        : List.of();
        return new State(0, List.copyOf(statistics), List.copyOf(roots), moments);
    }

    /** Adam grafting adds two moments; the largest dimension decides which axes have matrices. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of(
                "adam grafting",
                String.valueOf(grafting == Grafting.ADAM),
                "maxPreconditionerDim",
                String.valueOf(maxPreconditionerDim));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        int moments = grafting == Grafting.ADAM ? 2 : 0;
        int axes = (buffers.size() - moments) / 2;
        return new State(
                step,
                List.copyOf(buffers.subList(moments, moments + axes)),
                List.copyOf(buffers.subList(moments + axes, moments + 2 * axes)),
                List.copyOf(buffers.subList(0, moments)));
    }

    /**
     * The moments (the first tensors of {@link State#buffers()}) have the weight's shape; the
     * per-axis matrices are not checked against it (each is expected in its own shape).
     */
    @Override
    protected Shape expectedShape(State state, int index, Shape weight) {
        return index < state.moments().size() ? weight : state.buffers().get(index).getShape();
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        Shape shape = weight.getShape();
        boolean[] selected = preconditioned(shape);
        for (int i = 0, r = 0; i < selected.length; i++) {
            if (selected[i]) {
                try (NDArray c = AxisProducts.gram(grad, shape, i)) {
                    state.statistics().get(r++).addi(c);
                }
            }
        }
        List<NDArray> roots = state.roots();
        if ((t - 1) % preconditionFrequency == 0 && !roots.isEmpty()) {
            roots = newRoots(state, shape.dimension());
        }
        NDArray direction = AxisProducts.contract(grad, shape, selected, roots, false);
        if (direction == grad) {
            direction = grad.duplicate();
        }
        switch (grafting) {
            case NONE:
                direction.muli(lr);
                break;
            case SGD:
                graft(direction, grad, lr);
                break;
            case ADAM:
                NDArray adam =
                        AdamMoments.step(
                                state.moments().get(0),
                                state.moments().get(1),
                                grad,
                                beta1,
                                beta2,
                                adamEpsilon,
                                t,
                                1);
                graft(direction, adam, lr);
                break;
        }
        return new Step<>(new State(t, state.statistics(), roots, state.moments()), direction);
    }

    /** {@code d ← lr·d·‖reference‖/(‖d‖ + 1e-16)}, in the engine. */
    private static void graft(NDArray d, NDArray reference, double lr) {
        try (NDArray target = reference.norm();
                NDArray own = d.norm()) {
            d.muli(target.divi(own.addi(GRAFT_GUARD)).muli(lr));
        }
    }

    private List<NDArray> newRoots(State state, int order) {
        List<NDArray> roots = new ArrayList<>(state.roots());
        for (int r = 0; r < roots.size(); r++) {
            NDArray h = state.statistics().get(r);
            NDArray root = LinearAlgebra.inverseRoot(h, 2.0 * order, matrixEpsilon);
            if (root == null) {
                LOGGER.warn(
                        "Shampoo: the inverse root of a {}x{} statistic failed in float32 and"
                                + " float64; keeping the previous root",
                        h.getShape().get(0),
                        h.getShape().get(0));
                continue;
            }
            root.attach(h.getManager());
            roots.get(r).close();
            roots.set(r, root);
        }
        return List.copyOf(roots);
    }

    private boolean[] preconditioned(Shape shape) {
        boolean[] selected = new boolean[shape.dimension()];
        for (int i = 0; i < selected.length; i++) {
            selected[i] = shape.get(i) <= maxPreconditionerDim;
        }
        return selected;
    }

    /** Builds {@link Shampoo}; defaults are kozistr/pytorch_optimizer's {@code Shampoo}. */
    public static final class Builder extends AdaptiveMomentBuilder<Builder> {

        private double matrixEpsilon = 1e-6;
        private int preconditionFrequency = 1;
        private long maxPreconditionerDim = 8192;
        private Grafting grafting = Grafting.NONE;

        Builder() {
            super(1e-3, WeightDecayMode.COUPLED, 1e-8);
        }

        /**
         * Sets ε of the statistics' start {@code ε·I}, finite and {@code > 0}.
         *
         * @param epsilon the matrix ε
         * @return this builder
         */
        public Builder optMatrixEpsilon(double epsilon) {
            matrixEpsilon = epsilon;
            return this;
        }

        /**
         * Sets how many calls pass between recomputations of the roots, {@code >= 1}.
         *
         * @param frequency the period
         * @return this builder
         */
        public Builder optPreconditionFrequency(int frequency) {
            preconditionFrequency = frequency;
            return this;
        }

        /**
         * Sets the longest axis that is preconditioned, {@code >= 1}.
         *
         * @param maxDim the longest preconditioned axis
         * @return this builder
         */
        public Builder optMaxPreconditionerDim(long maxDim) {
            maxPreconditionerDim = maxDim;
            return this;
        }

        /**
         * Sets where the step length comes from (the Adam graft uses β1, β2 and ε of this builder).
         *
         * @param grafting the graft
         * @return this builder
         */
        public Builder optGrafting(Grafting grafting) {
            this.grafting = grafting;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Shampoo build() {
            validateMoments();
            Arguments.positive("matrixEpsilon", matrixEpsilon);
            Arguments.notNull("grafting", grafting);
            if (preconditionFrequency < 1) {
                throw new IllegalArgumentException(
                        "preconditionFrequency must be >= 1, got " + preconditionFrequency);
            }
            if (maxPreconditionerDim < 1) {
                throw new IllegalArgumentException(
                        "maxPreconditionerDim must be >= 1, got " + maxPreconditionerDim);
            }
            return new Shampoo(this);
        }
    }
}
