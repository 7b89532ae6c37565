package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.HostArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PSGD-Kron: SGD with momentum preconditioned by a Kronecker product of per-axis factors {@code P =
 * (Q₀ᵀQ₀) ⊗ (Q₁ᵀQ₁)}, each {@code Qᵢ} upper triangular (or diagonal), fitted online by Xi-Lin Li's
 * preconditioned stochastic gradient descent so that {@code P} whitens the gradient noise.
 *
 * <p>A weight is viewed as a vector or a matrix {@code G} (m×n): more than two dimensions are
 * merged into two, {@code (prod(shape[:-1]), shape[-1])} or {@code (shape[0], prod(shape[1:]))},
 * whichever has the smaller {@code cols − rows}. An axis gets a triangular factor when the tensor
 * has at least {@code minNdimTriangular} dimensions and {@code 1 < size ≤ maxSizeTriangular}, else
 * a diagonal one (a vector {@code q}, acting as {@code diag(q)}); each starts as {@code
 * precondInitScale^(1/ndim)} times the identity. Step {@code t} (from 1), after decoupled decay
 * {@code p ← p(1 − lr·wd)} of parameters with at least two dimensions:
 *
 * <pre>
 * m ← b1·m + (1 − b1)·g,   G = m / (1 − b1^t)
 * prob = clamp(maxProb·exp(−decay·(t − 1 − flatStart)), minProb, maxProb)   (or a constant)
 * counter ← counter + 1;  update = counter ≥ 1/prob;  if update: counter ← 0
 * if update:
 *     V ~ N(0, I) (seeded, see below);   G ← G + sqrt(ε_f32)·mean|G|·V
 *     A = Q₀·G·Q₁ᵀ,   B = Q₀⁻ᵀ·V·Q₁⁻¹
 *     for each axis i (the other axis summed out):   e.g. i = 0:  T_A = A·Aᵀ, T_B = B·Bᵀ
 *         triangular:  Qᵢ ← Qᵢ − precondLr · triu(T_A − T_B) / max(lb(T_A + T_B), tiny) · Qᵢ
 *         diagonal:    qᵢ ← qᵢ − precondLr · (T_A − T_B) ⊙ qᵢ / max(‖T_A + T_B‖_max, tiny)
 * u = Q₀ᵀQ₀ · G · Q₁ᵀQ₁
 * u ← u · min(1, 1.1 / (rms(u) + 1e-12))
 * p ← p − lr·u
 * </pre>
 *
 * <p>where {@code lb(T)} is the reference's cheap lower bound of the spectral norm of {@code T}
 * (one power step from the column of largest norm), {@code tiny} the smallest normal number of the
 * data type, {@code ε_f32} float32's machine epsilon; {@code A} and {@code B} are computed once,
 * before any factor changes, and when the preconditioner is updated the preconditioned {@code G} is
 * the perturbed one, as in the reference. With probability 0.01 per preconditioner update the
 * factors are first rebalanced ({@code Qᵢ ← Qᵢ·gm/‖Qᵢ‖_max}, {@code gm} the geometric mean of the
 * {@code ‖Qᵢ‖_max}), which leaves {@code P} unchanged.
 *
 * <p>Paper: Xi-Lin Li, "Preconditioned Stochastic Gradient Descent", arXiv:1512.04202, and "Black
 * Box Lie Group Preconditioners for SGD", arXiv:2211.04422. Variant: "Kron" as in
 * evanatyourservice/kron_torch {@code kron.py} (the PSGD-Kron compared in "Fantastic Pretraining
 * Optimizers", whose levanter implementation ports the same author's psgd_jax kron); defaults are
 * its: lr 3e-4, b1 0.9, weight decay 0, update probability annealed from 1 to 0.03 (flat for 500
 * steps, then {@code exp(−0.001·(t − 500))}), maxSizeTriangular 8192, minNdimTriangular 2, momentum
 * into the preconditioner update, precondLr 0.1, precondInitScale 1, merged dimensions.
 *
 * <p>Triangular solves: DJL has none, so {@code B} uses {@code Qᵢ⁻¹}, inverted in the engine by
 * halves with matrix products ({@link #upperTriangularInverse}; blocks of at most 128 rows by the
 * engine's {@code inverse()}, LU with partial pivoting, which on an upper-triangular matrix pivots
 * nothing), then matrix products. Host-side EJML would copy {@code V} and the factors off the
 * engine each update and solve single-threaded; the inverse keeps the update in the engine at
 * matmul speed for about {@code (2/3)(m³ + n³)} extra flops. When an inverse fails or any new
 * factor is not finite, the preconditioner update is skipped with a warning and the old factors are
 * kept; the weights never see NaN from it.
 *
 * <p>Deviations from the reference: {@code V} and the rebalancing draw come from a {@link
 * SplittableRandom} seeded per parameter and step (see {@link Builder#optSeed}; the reference uses
 * torch's global generator and one Python {@code Random(42)} for all parameters), so that runs and
 * checkpoints are reproducible; the update counter and schedule step are kept per parameter (the
 * reference's are per optimizer: the same when every parameter steps each time); factors are kept
 * in the weight's data type (the reference's default is float32 for every weight); solves by
 * inverse, as above; {@code memory_save_mode} is not offered (always triangular where the size
 * allows), dimensions are always merged, and {@code mu_dtype} is the weight's.
 */
public final class PsgdKron extends DescentOptimizer<PsgdKron.State> {

    /** float32's machine epsilon, whose square root scales the reference's probe noise. */
    static final double FLOAT32_EPSILON = 1.1920928955078125e-7;

    /** The reference's target of the update's RMS clip. */
    static final double RMS_CLIP = 1.1;

    /**
     * The largest block {@link #upperTriangularInverse} hands to the engine's {@code inverse()}.
     */
    static final int INVERSE_BLOCK = 128;

    /** The reference's probability of rebalancing the factors at a preconditioner update. */
    static final double BALANCE_PROBABILITY = 0.01;

    private static final Logger LOG = LoggerFactory.getLogger(PsgdKron.class);

    private final double b1;
    private final double maxProbability;
    private final double minProbability;
    private final double probabilityDecay;
    private final double flatStart;
    private final int maxSizeTriangular;
    private final int minNdimTriangular;
    private final boolean momentumIntoPreconditioner;
    private final double precondLr;
    private final double precondInitScale;
    private final long seed;

    private PsgdKron(Builder builder) {
        super(builder);
        b1 = builder.b1;
        maxProbability = builder.maxProbability;
        minProbability = builder.minProbability;
        probabilityDecay = builder.probabilityDecay;
        flatStart = builder.flatStart;
        maxSizeTriangular = builder.maxSizeTriangular;
        minNdimTriangular = builder.minNdimTriangular;
        momentumIntoPreconditioner = builder.momentumIntoPreconditioner;
        precondLr = builder.precondLr;
        precondInitScale = builder.precondInitScale;
        seed = builder.seed;
    }

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param momentum the momentum buffer, of the weight's shape
     * @param q the factor of each axis of the (merged) weight: a matrix (triangular) or a vector
     *     (diagonal)
     * @param counter steps since the last preconditioner update
     * @param seed the seed of this parameter's probe vectors
     */
    public record State(long step, NDArray momentum, List<NDArray> q, int counter, int seed)
            implements ParameterState {

        /** Copies the factor list. */
        public State {
            q = List.copyOf(q);
        }

        @Override
        public List<NDArray> buffers() {
            List<NDArray> all = new ArrayList<>(q.size() + 1);
            all.add(momentum);
            all.addAll(q);
            return all;
        }

        @Override
        public List<String> bufferNames() {
            List<String> names = new ArrayList<>(q.size() + 1);
            names.add("momentum");
            for (int i = 0; i < q.size(); i++) {
                names.add("q" + i);
            }
            return names;
        }

        @Override
        public double[] scalars() {
            return new double[] {counter, seed};
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
     * Returns the shape the preconditioner sees: a vector or a matrix, merged as the reference
     * merges dimensions.
     *
     * @param shape the weight's shape
     * @return a shape of one or two dimensions
     */
    static Shape preconditionedShape(Shape shape) {
        int d = shape.dimension();
        if (d == 0) {
            return new Shape(1);
        }
        if (d <= 2) {
            return shape;
        }
        long last = shape.get(d - 1);
        long lead = shape.size() / last;
        long first = shape.get(0);
        long rest = shape.size() / first;
        return last - lead <= rest - first ? new Shape(lead, last) : new Shape(first, rest);
    }

    /** Tells whether an axis of a preconditioned shape gets a triangular factor. */
    boolean triangular(Shape merged, int axis) {
        long size = merged.get(axis);
        return merged.dimension() >= minNdimTriangular && size > 1 && size <= maxSizeTriangular;
    }

    /**
     * Returns the generator of a parameter's draws at a step: first the rebalancing draw, then the
     * probe {@code V} in row-major order.
     *
     * @param seed the parameter's seed
     * @param step the step number, from 1
     * @return a generator
     */
    static SplittableRandom generator(int seed, long step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    }

    /**
     * The update probability at a schedule step (0 at the first step).
     *
     * @param n the schedule step
     * @return the probability
     */
    double probability(long n) {
        double p = maxProbability * Math.exp(-probabilityDecay * (n - flatStart));
        return Math.min(maxProbability, Math.max(minProbability, p));
    }

    @Override
    protected Group group(ParameterInfo info, double weightDecay) {
        return new Group(1, info.shape().dimension() >= 2 ? weightDecay : 0);
    }

    @Override
    protected State initialState(NDArray weight) {
        throw new UnsupportedOperationException("PSGD-Kron's state depends on the parameter");
    }

    @Override
    protected State initialState(ParameterInfo info, NDArray weight) {
        Shape merged = preconditionedShape(weight.getShape());
        NDManager manager = weight.getManager();
        DataType type = weight.getDataType();
        double scale = Math.pow(precondInitScale, 1.0 / merged.dimension());
        List<NDArray> q = new ArrayList<>();
        for (int i = 0; i < merged.dimension(); i++) {
            int size = (int) merged.get(i);
            NDArray factor =
                    triangular(merged, i)
                            ? manager.eye(size, size, 0, type)
                            : manager.ones(new Shape(size), type);
            q.add(factor.muli(scale));
        }
        return new State(0, weight.zerosLike(), q, 0, Objects.hash(seed, info.name()));
    }

    /** The triangular limits decide which factors are matrices and which diagonals. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of(
                "maxSizeTriangular",
                String.valueOf(maxSizeTriangular),
                "minNdimTriangular",
                String.valueOf(minNdimTriangular));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(
                step,
                buffers.get(0),
                buffers.subList(1, buffers.size()),
                (int) scalars[0],
                (int) scalars[1]);
    }

    /**
     * The momentum has the weight's shape; factor {@code i} is {@code (s, s)} for a triangular axis
     * of size {@code s} of the merged shape and {@code (s)} for a diagonal one.
     */
    @Override
    protected Shape expectedShape(State state, int index, Shape weight) {
        if (index == 0) {
            return weight;
        }
        Shape merged = preconditionedShape(weight);
        int axis = index - 1;
        if (axis >= merged.dimension()) {
            return new Shape(0); // more factors than axes: never fits
        }
        long size = merged.get(axis);
        return triangular(merged, axis) ? new Shape(size, size) : new Shape(size);
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        long t = state.step() + 1;
        int counter = state.counter() + 1;
        boolean update = counter >= 1 / probability(state.step());
        if (update) {
            counter = 0;
        }
        Shape shape = grad.getShape();
        Shape merged = preconditionedShape(shape);
        NDArray m = Elementwise.lerp(state.momentum(), grad, b1);
        NDArray raw = null;
        if (update && !momentumIntoPreconditioner) {
            try (NDArray view = grad.reshape(merged)) {
                raw = view.duplicate();
            }
        }
        Elementwise.copy(grad, m);
        grad.divi(1 - Math.pow(b1, t));
        List<NDArray> q = state.q();
        try (NDArray g = grad.reshape(merged)) {
            if (update) {
                SplittableRandom random = generator(state.seed(), t);
                if (random.nextDouble() < BALANCE_PROBABILITY && merged.dimension() > 1) {
                    balance(q);
                }
                try (NDArray probe = gaussian(random, g);
                        NDArray source = raw == null ? null : raw) {
                    q = updatePreconditioner(q, source == null ? g : source, probe, merged);
                }
            }
            NDArray u = precondition(q, g, merged);
            clipRms(u);
            u.muli(lr);
            try (NDArray flat = u) {
                return new Step<>(new State(t, m, q, counter, state.seed()), flat.reshape(shape));
            }
        }
    }

    /** A standard normal array of {@code like}'s shape and type, from the generator. */
    private static NDArray gaussian(SplittableRandom random, NDArray like) {
        double[] v = new double[Math.toIntExact(like.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        return HostArrays.fromHost(v, like.getShape(), like);
    }

    /**
     * Rescales the factors to a common max-norm, their geometric mean; their Kronecker product is
     * unchanged.
     */
    private static void balance(List<NDArray> q) {
        double[] norms = new double[q.size()];
        double logSum = 0;
        for (int i = 0; i < q.size(); i++) {
            norms[i] = maxAbs(q.get(i));
            logSum += Math.log(norms[i]);
        }
        double geometricMean = Math.exp(logSum / q.size());
        for (int i = 0; i < q.size(); i++) {
            q.get(i).muli(geometricMean / norms[i]);
        }
    }

    /**
     * Fits the factors one step to the pair (V, G). Returns the new factors, or the old ones (with
     * a warning) when an inverse fails or a new factor is not finite.
     *
     * @param q the factors (not modified)
     * @param g the gradient (modified: the probe noise is added to it)
     * @param v the probe
     * @param merged the preconditioned shape
     */
    private List<NDArray> updatePreconditioner(
            List<NDArray> q, NDArray g, NDArray v, Shape merged) {
        try (NDArray abs = g.abs();
                NDArray meanAbs = abs.mean();
                NDArray noise = v.mul(meanAbs.muli(Math.sqrt(FLOAT32_EPSILON)))) {
            g.addi(noise);
        }
        List<NDArray> next = new ArrayList<>(q.size());
        try (NDManager scratch = g.getManager().newSubManager()) {
            NDArray a = applyFactors(q, g, merged, false);
            NDArray b = applyInverses(q, v, merged);
            a.attach(scratch);
            b.attach(scratch);
            double tiny =
                    g.getDataType() == DataType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
            for (int i = 0; i < q.size(); i++) {
                NDArray termA = axisGram(a, i, merged, scratch);
                NDArray termB = axisGram(b, i, merged, scratch);
                NDArray step = termA.sub(termB).muli(precondLr);
                NDArray total = termA.addi(termB);
                step.attach(scratch);
                double norm = maxAbs(total);
                NDArray factor = q.get(i);
                NDArray updated;
                if (factor.getShape().dimension() == 2) {
                    double bound = norm > 0 ? lowerBound(total, norm) : norm;
                    upperTriangle(step, scratch).divi(Math.max(bound, tiny));
                    try (NDArray change = step.matMul(factor)) {
                        updated = factor.sub(change);
                    }
                } else {
                    step.muli(factor).divi(Math.max(norm, tiny));
                    updated = factor.sub(step);
                }
                next.add(updated);
                if (!DescentOptimizer.isFinite(updated)) {
                    return keep(q, next, "a new factor is not finite");
                }
            }
        } catch (ai.djl.engine.EngineException e) {
            return keep(q, next, "a factor could not be inverted (" + e.getMessage() + ")");
        }
        q.forEach(NDArray::close);
        return next;
    }

    private static List<NDArray> keep(List<NDArray> q, List<NDArray> discarded, String why) {
        discarded.forEach(NDArray::close);
        LOG.warn("PSGD-Kron: preconditioner update skipped, old factors kept: {}", why);
        return q;
    }

    /**
     * Returns {@code Q₀·X·Q₁ᵀ} ({@code transposeLeft} false) or {@code Q₀ᵀ·X·Q₁} (true), with a
     * diagonal factor acting elementwise; for a vector {@code q ⊙ x}.
     */
    private static NDArray applyFactors(
            List<NDArray> q, NDArray x, Shape merged, boolean transposeLeft) {
        if (merged.dimension() == 1) {
            return x.mul(q.get(0));
        }
        NDArray left = leftMultiply(q.get(0), x, transposeLeft);
        try (NDArray l = left) {
            return rightMultiply(l, q.get(1), !transposeLeft);
        }
    }

    /** {@code Q₀⁻ᵀ·V·Q₁⁻¹}; for a vector {@code v / q}. */
    private static NDArray applyInverses(List<NDArray> q, NDArray v, Shape merged) {
        if (merged.dimension() == 1) {
            return v.div(q.get(0));
        }
        NDArray q0 = q.get(0);
        NDArray q1 = q.get(1);
        NDArray left;
        if (q0.getShape().dimension() == 2) {
            try (NDArray inverse = upperTriangularInverse(q0);
                    NDArray inverseT = inverse.transpose()) {
                left = inverseT.matMul(v);
            }
        } else {
            try (NDArray column = q0.reshape(-1, 1)) {
                left = v.div(column);
            }
        }
        try (NDArray l = left) {
            if (q1.getShape().dimension() == 2) {
                try (NDArray inverse = upperTriangularInverse(q1)) {
                    return l.matMul(inverse);
                }
            }
            try (NDArray row = q1.reshape(1, -1)) {
                return l.div(row);
            }
        }
    }

    /**
     * The inverse of an upper-triangular matrix by halves, {@code [[A, B], [0, D]]⁻¹ = [[A⁻¹,
     * −A⁻¹·B·D⁻¹], [0, D⁻¹]]}, down to blocks of at most {@link #INVERSE_BLOCK} rows inverted by
     * the engine's {@code inverse()}: about {@code 2n³/3} flops, nearly all in matrix products,
     * where {@code inverse()} of the whole matrix spends {@code 2n³} in LU and its inversion.
     *
     * @param q the matrix, upper triangular (not modified)
     * @return a new array
     */
    static NDArray upperTriangularInverse(NDArray q) {
        long n = q.getShape().get(0);
        if (n <= INVERSE_BLOCK) {
            return q.inverse();
        }
        long h = n / 2;
        try (NDArray a = q.get(new NDIndex(":{}, :{}", h, h));
                NDArray b = q.get(new NDIndex(":{}, {}:", h, h));
                NDArray d = q.get(new NDIndex("{}:, {}:", h, h));
                NDArray aInverse = upperTriangularInverse(a);
                NDArray dInverse = upperTriangularInverse(d);
                NDArray ab = aInverse.matMul(b);
                NDArray corner = ab.matMul(dInverse).negi();
                NDArray zeros = q.getManager().zeros(new Shape(n - h, h), q.getDataType());
                NDArray top = aInverse.concat(corner, 1);
                NDArray bottom = zeros.concat(dInverse, 1)) {
            return top.concat(bottom, 0);
        }
    }

    /** {@code Q·X} or {@code Qᵀ·X}; a diagonal factor scales the rows. */
    private static NDArray leftMultiply(NDArray q, NDArray x, boolean transpose) {
        if (q.getShape().dimension() == 2) {
            if (!transpose) {
                return q.matMul(x);
            }
            try (NDArray qt = q.transpose()) {
                return qt.matMul(x);
            }
        }
        try (NDArray column = q.reshape(-1, 1)) {
            return x.mul(column);
        }
    }

    /**
     * {@code X·Qᵀ} ({@code transpose} true) or {@code X·Q}; a diagonal factor scales the columns.
     */
    private static NDArray rightMultiply(NDArray x, NDArray q, boolean transpose) {
        if (q.getShape().dimension() == 2) {
            if (!transpose) {
                return x.matMul(q);
            }
            try (NDArray qt = q.transpose()) {
                return x.matMul(qt);
            }
        }
        try (NDArray row = q.reshape(1, -1)) {
            return x.mul(row);
        }
    }

    /**
     * The statistic of one axis: for a matrix, {@code X·Xᵀ} (axis 0) or {@code Xᵀ·X} (axis 1) when
     * that axis is triangular, else the sum of squares over the other axis; for a vector {@code
     * x²}.
     */
    private NDArray axisGram(NDArray x, int axis, Shape merged, NDManager scratch) {
        NDArray result;
        if (merged.dimension() == 1) {
            result = x.square();
        } else if (triangular(merged, axis)) {
            try (NDArray xt = x.transpose()) {
                result = axis == 0 ? x.matMul(xt) : xt.matMul(x);
            }
        } else {
            try (NDArray square = x.square()) {
                result = square.sum(new int[] {1 - axis});
            }
        }
        result.attach(scratch);
        return result;
    }

    /** Zeroes the strictly lower triangle of a square matrix in place; returns it. */
    private static NDArray upperTriangle(NDArray matrix, NDManager scratch) {
        long n = matrix.getShape().get(0);
        NDArray index = scratch.arange(0, (int) n, 1, DataType.INT64);
        try (NDArray rows = index.reshape(-1, 1);
                NDArray cols = index.reshape(1, -1);
                NDArray upper = cols.gte(rows);
                NDArray mask = upper.toType(matrix.getDataType(), false)) {
            return matrix.muli(mask);
        }
    }

    /**
     * The reference's cheap lower bound of the spectral norm of a symmetric matrix: one power step
     * from its column of largest norm.
     *
     * @param t the matrix (not modified)
     * @param maxAbs its largest absolute element, {@code > 0}
     */
    private static double lowerBound(NDArray t, double maxAbs) {
        try (NDArray a = t.div(maxAbs);
                NDArray square = a.square();
                NDArray columns = square.sum(new int[] {0});
                NDArray best = columns.argMax()) {
            long i = (long) HostArrays.scalar(best);
            try (NDArray column = a.get(":, {}", i);
                    NDArray x = column.matMul(a);
                    NDArray xNorm = x.norm()) {
                x.divi(xNorm);
                try (NDArray y = a.matMul(x);
                        NDArray yNorm = y.norm()) {
                    return DescentOptimizer.scalar(yNorm) * maxAbs;
                }
            }
        }
    }

    private static double maxAbs(NDArray x) {
        try (NDArray abs = x.abs();
                NDArray max = abs.max()) {
            return DescentOptimizer.scalar(max);
        }
    }

    /** {@code P·G = Q₀ᵀQ₀·G·Q₁ᵀQ₁}, a new array. */
    private static NDArray precondition(List<NDArray> q, NDArray g, Shape merged) {
        if (merged.dimension() == 1) {
            return g.mul(q.get(0)).muli(q.get(0));
        }
        try (NDArray once = applyFactors(q, g, merged, false)) {
            return applyFactors(q, once, merged, true);
        }
    }

    /** {@code u ← u·min(1, 1.1/(rms(u) + 1e-12))}. */
    private static void clipRms(NDArray u) {
        try (NDArray square = u.square();
                NDArray mean = square.mean()) {
            double rms = Math.sqrt(DescentOptimizer.scalar(mean));
            u.muli(Math.min(1, RMS_CLIP / (rms + 1e-12)));
        }
    }

    /** Builds {@link PsgdKron}; defaults are kron_torch's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double b1 = 0.9;
        private double maxProbability = 1;
        private double minProbability = 0.03;
        private double probabilityDecay = 0.001;
        private double flatStart = 500;
        private int maxSizeTriangular = 8192;
        private int minNdimTriangular = 2;
        private boolean momentumIntoPreconditioner = true;
        private double precondLr = 0.1;
        private double precondInitScale = 1;
        private long seed = 42;

        Builder() {
            super(3e-4, WeightDecayMode.DECOUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets b1, the momentum, in [0, 1) (default 0.9).
         *
         * @param b1 the momentum
         * @return this builder
         */
        public Builder optB1(double b1) {
            this.b1 = b1;
            return this;
        }

        /**
         * Sets the annealing schedule of the preconditioner update probability: {@code
         * clamp(max·exp(−decay·(n − flatStart)), min, max)} at schedule step n (defaults 1, 0.03,
         * 0.001, 500). Probabilities in (0, 1] with {@code min <= max}; decay and flatStart finite
         * and {@code >= 0}.
         *
         * @param max the largest probability
         * @param min the smallest probability
         * @param decay the exponential decay per step
         * @param flatStart the steps at {@code max} (before clamping)
         * @return this builder
         */
        public Builder optUpdateProbabilitySchedule(
                double max, double min, double decay, double flatStart) {
            maxProbability = max;
            minProbability = min;
            probabilityDecay = decay;
            this.flatStart = flatStart;
            return this;
        }

        /**
         * Sets a constant preconditioner update probability in (0, 1] (the preconditioner is
         * updated every {@code ceil(1/p)} steps).
         *
         * @param p the probability
         * @return this builder
         */
        public Builder optUpdateProbability(double p) {
            return optUpdateProbabilitySchedule(p, p, 0, 0);
        }

        /**
         * Sets the largest axis with a triangular factor, {@code >= 1} (default 8192); longer axes
         * get a diagonal one.
         *
         * @param size the size
         * @return this builder
         */
        public Builder optMaxSizeTriangular(int size) {
            maxSizeTriangular = size;
            return this;
        }

        /**
         * Sets the fewest dimensions a (merged) weight needs for triangular factors, {@code >= 1}
         * (default 2: vectors get a diagonal one).
         *
         * @param ndim the dimensions
         * @return this builder
         */
        public Builder optMinNdimTriangular(int ndim) {
            minNdimTriangular = ndim;
            return this;
        }

        /**
         * Sets whether the preconditioner is fitted to the debiased momentum (default true) or to
         * the raw gradient.
         *
         * @param momentum whether to fit to the momentum
         * @return this builder
         */
        public Builder optMomentumIntoPreconditionerUpdate(boolean momentum) {
            momentumIntoPreconditioner = momentum;
            return this;
        }

        /**
         * Sets the step size of the preconditioner fit, in (0, 1] (default 0.1).
         *
         * @param lr the step size
         * @return this builder
         */
        public Builder optPrecondLr(double lr) {
            precondLr = lr;
            return this;
        }

        /**
         * Sets the scale of the initial preconditioner, finite and {@code > 0} (default 1).
         *
         * @param scale the scale
         * @return this builder
         */
        public Builder optPrecondInitScale(double scale) {
            precondInitScale = scale;
            return this;
        }

        /**
         * Sets the seed of the probe vectors and rebalancing draws (default 42); each parameter's
         * own seed mixes it with the parameter's name.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public PsgdKron build() {
            validateShared();
            Arguments.inClosedOpen("b1", b1, 0, 1);
            if (!(maxProbability > 0 && maxProbability <= 1)) {
                throw new IllegalArgumentException(
                        "maximum update probability must be in (0.0, 1.0], got " + maxProbability);
            }
            if (!(minProbability > 0 && minProbability <= maxProbability)) {
                throw new IllegalArgumentException(
                        "minimum update probability must be in (0.0, "
                                + maxProbability
                                + "], got "
                                + minProbability);
            }
            Arguments.nonNegative("probabilityDecay", probabilityDecay);
            Arguments.nonNegative("flatStart", flatStart);
            if (maxSizeTriangular < 1 || minNdimTriangular < 1) {
                throw new IllegalArgumentException(
                        "maxSizeTriangular and minNdimTriangular must be >= 1, got "
                                + maxSizeTriangular
                                + " and "
                                + minNdimTriangular);
            }
            if (!(precondLr > 0 && precondLr <= 1)) {
                throw new IllegalArgumentException(
                        "precondLr must be in (0.0, 1.0], got " + precondLr);
            }
            Arguments.positive("precondInitScale", precondInitScale);
            return new PsgdKron(this);
        }
    }
}
