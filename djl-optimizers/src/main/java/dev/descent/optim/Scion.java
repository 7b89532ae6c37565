package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Scion (stochastic conditional gradient with operator norms): each layer steps along the linear
 * minimization oracle (LMO) of a norm chosen for it — spectral for hidden matrices, sign for the
 * output layer, RMS for vectors — applied to a momentum average of the gradient.
 *
 * <p>Per parameter, with {@code momentum} α the weight of the new gradient (1 − the usual
 * momentum):
 *
 * <pre>
 * d ← (1 − α)·d + α·g              (d = g when α = 1; d starts at 0)
 * p ← (1 − lr)·p                   (constrained variant only)
 * p ← p − lr · scale · lmo(d)
 * </pre>
 *
 * <p>with the LMOs of the reference ({@link Norm}): {@code SPECTRAL}: the Newton–Schulz-5
 * orthogonalization ({@link NewtonSchulz}) of {@code d} viewed as {@code (shape[0], −1)}, times
 * {@code sqrt(d_out/d_in)} for a matrix, {@code sqrt(out/in)/k} for a 1-D convolution kernel {@code
 * (out, in, k)} and {@code sqrt(out/in)/k²} for a 2-D one {@code (out, in, k, k)}; {@code SIGN}:
 * {@code sign(d)/d_in} for a matrix {@code (d_out, d_in)}; {@code BIAS_RMS}: {@code d /
 * (sqrt(mean(d², axis 0)) + 1e-8)}.
 *
 * <p>The norm and the scale (radius) of each parameter: the first rule added with {@link
 * Builder#optNormRule} that matches; otherwise the reference's "Auto" choice by shape — {@code
 * SPECTRAL} for two or more dimensions, {@code BIAS_RMS} for fewer — except that the output layer
 * (the last parameter with at least two dimensions of a block bound with {@link #bind}) and
 * parameters whose name contains "embedding" get {@code SIGN}, as in the reference's examples (so a
 * parameter of two or more dimensions that no rule matches needs the block bound: unbound, it is
 * refused rather than guessed); the scale is {@link Builder#optScale} (default 1), {@link
 * Builder#optSignScale} for {@code SIGN}.
 *
 * <p>Paper: Pethick, Xie, Antonakopoulos, Zhu, Silveti-Falls, Cevher, "Training Deep Learning
 * Models with Norm-Constrained LMOs", arXiv:2502.07529. Reference implementation: LIONS-EPFL/scion
 * {@code scion.py} ({@code Scion}); defaults are its: lr 1e-3, momentum α 1 (no averaging; its
 * README advises 0.1), scale 1, constrained ({@code unconstrained=False}), 5 Newton–Schulz steps,
 * {@code Spectral(normalized=True, max=False)}, {@code Sign(normalized=True)}. "Fantastic
 * Pretraining Optimizers" (Wen et al., 2025) ran the levanter variant: unconstrained, α = 0.05,
 * spectral steps with scale {@code max(1, d_out/d_in)^½} on hidden matrices and sign momentum at a
 * quarter of the learning rate elsewhere; rules of this class express the former, not the latter's
 * unnormalized sign.
 *
 * <p>Deviations from the reference: Newton–Schulz runs in the weight's data type instead of
 * bfloat16; the reference's {@code ColNorm}/{@code RowNorm} LMOs, {@code Spectral(max=True)} and
 * its {@code init()} (re-initialising weights in each norm's ball) are not provided; {@code SIGN}
 * accepts only matrices, as the reference's does.
 */
public final class Scion extends DescentOptimizer<Scion.State> {

    /** Added to the RMS of {@code BIAS_RMS} (the reference's). */
    public static final double RMS_EPSILON = 1e-8;

    private static final Pattern EMBEDDING = Pattern.compile("(?i)embedding");

    private final double momentum;
    private final boolean constrained;
    private final int nsSteps;
    private final double scale;
    private final double signScale;
    private final List<NormRule> rules;
    private volatile String outputLayer;
    private volatile boolean outputLayerKnown;

    private Scion(Builder builder) {
        super(builder);
        momentum = builder.momentum;
        constrained = builder.constrained;
        nsSteps = builder.nsSteps;
        scale = builder.scale;
        signScale = builder.signScale;
        rules = List.copyOf(builder.rules);
    }

    /** The norms whose LMO a parameter can step along. */
    public enum Norm {
        /** Spectral norm (operator norm ℓ2 → ℓ2) of the weight viewed as a matrix. */
        SPECTRAL,
        /** Max-norm (ℓ1 → ℓ∞ operator norm) of a matrix: a scaled sign step. */
        SIGN,
        /** RMS norm along the first axis, for biases and gains. */
        BIAS_RMS
    }

    /**
     * A choice of norm and scale for the parameters a predicate selects.
     *
     * @param matches which parameters
     * @param norm the norm
     * @param scale the radius the LMO's output is multiplied by, finite and {@code > 0}
     */
    public record NormRule(Predicate<ParameterInfo> matches, Norm norm, double scale) {}

    /**
     * The state of one parameter.
     *
     * @param step the steps taken
     * @param d the averaged gradient, or {@code null} when α = 1
     * @param norm the parameter's norm
     * @param scale the parameter's scale
     */
    public record State(long step, NDArray d, Norm norm, double scale) implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return d == null ? List.of() : List.of(d);
        }

        @Override
        public List<String> bufferNames() {
            return d == null ? List.of() : List.of("d");
        }

        @Override
        public double[] scalars() {
            return new double[] {norm.ordinal(), scale};
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
     * Binds the block's parameter names (see {@link DescentOptimizer#bind}); its last parameter
     * with at least two dimensions, the output layer, which gets {@code SIGN} unless a rule says
     * otherwise, is found from the shapes when first needed, so the block need not be initialized
     * yet.
     *
     * @param block the block whose parameters this optimizer updates
     * @return this optimizer
     */
    @Override
    public Scion bind(Block block) {
        super.bind(block);
        outputLayerKnown = false;
        return this;
    }

    /** The bound block's output layer, found once. */
    private String outputLayer() {
        if (!outputLayerKnown) {
            outputLayer = Muon.lastMatrix(boundParameters());
            outputLayerKnown = true;
        }
        return outputLayer;
    }

    /**
     * Returns the rule that decides a parameter's norm and scale.
     *
     * @param info the parameter
     * @return the matching rule, or the default choice
     * @throws IllegalStateException for a parameter with two or more dimensions that no rule
     *     matches when no block is bound, as the output layer is then unknown
     */
    public NormRule normOf(ParameterInfo info) {
        for (NormRule rule : rules) {
            if (rule.matches().test(info)) {
                return rule;
            }
        }
        if (info.shape().dimension() < 2) {
            return new NormRule(p -> true, Norm.BIAS_RMS, scale);
        }
        if (EMBEDDING.matcher(info.name()).find()) {
            return new NormRule(p -> true, Norm.SIGN, signScale);
        }
        if (!isBound()) {
            throw new IllegalStateException(
                    "Scion cannot tell whether parameter '"
                            + info.name()
                            + "' "
                            + info.shape()
                            + " is a hidden matrix (spectral LMO) or the output layer (sign LMO)"
                            + " without the model: train with Descent.trainingConfig(loss, scion),"
                            + " add BindingListener.of(scion) to the training config or call"
                            + " scion.bind(block); or choose its norm with optNormRule(...)");
        }
        if (info.name().equals(outputLayer())) {
            return new NormRule(p -> true, Norm.SIGN, signScale);
        }
        return new NormRule(p -> true, Norm.SPECTRAL, scale);
    }

    @Override
    protected Group group(ParameterInfo info, double weightDecay) {
        return new Group(1, constrained ? 1 : weightDecay);
    }

    @Override
    protected State initialState(NDArray weight) {
        throw new UnsupportedOperationException("Scion's state depends on the parameter's norm");
    }

    @Override
    protected State initialState(ParameterInfo info, NDArray weight) {
        NormRule rule = normOf(info);
        int dims = info.shape().dimension();
        if ((rule.norm() == Norm.SIGN && dims != 2)
                || (rule.norm() == Norm.SPECTRAL && (dims < 2 || dims > 4))) {
            throw new IllegalArgumentException(
                    "the "
                            + rule.norm()
                            + " norm needs "
                            + (rule.norm() == Norm.SIGN ? "a matrix" : "2 to 4 dimensions")
                            + ", but parameter '"
                            + info.name()
                            + "' has shape "
                            + info.shape());
        }
        return new State(0, momentum < 1 ? weight.zerosLike() : null, rule.norm(), rule.scale());
    }

    /** A momentum below 1 adds the averaged gradient {@code d}. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of("momentum < 1", String.valueOf(momentum < 1));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        return new State(
                step,
                buffers.isEmpty() ? null : buffers.get(0),
                Norm.values()[(int) scalars[0]],
                scalars[1]);
    }

    @Override
    protected Step<State> step(State state, NDArray grad, NDArray weight, double lr) {
        NDArray d = state.d();
        if (d != null) {
            Elementwise.lerp(d, grad, 1 - momentum);
            Elementwise.copy(grad, d);
        }
        NDArray delta = lmo(state.norm(), grad, nsSteps);
        delta.muli(lr * state.scale());
        return new Step<>(new State(state.step() + 1, d, state.norm(), state.scale()), delta);
    }

    /**
     * Returns the LMO of a norm at {@code d}: in {@code d}'s buffer (consumed) or a new array.
     *
     * @param norm the norm
     * @param d the averaged gradient (consumed)
     * @param nsSteps the Newton–Schulz iterations of {@code SPECTRAL}
     * @return the LMO's output, of {@code d}'s shape, before the scale
     */
    static NDArray lmo(Norm norm, NDArray d, int nsSteps) {
        Shape shape = d.getShape();
        switch (norm) {
            case SPECTRAL:
                return Muon.orthogonalizedUpdate(d, nsSteps).muli(spectralScale(shape));
            case SIGN:
                return d.signi().muli(1.0 / shape.get(1));
            case BIAS_RMS:
                try (NDArray square = d.square();
                        NDArray meanSquare = square.mean(new int[] {0}, true);
                        NDArray rms = meanSquare.sqrt()) {
                    return d.divi(rms.addi(RMS_EPSILON));
                }
            default:
                throw new IllegalStateException("unknown norm " + norm);
        }
    }

    /**
     * The reference's scale of the spectral LMO: {@code sqrt(d_out/d_in)} for a matrix, divided by
     * the kernel size {@code k} (3-D) or {@code k²} (4-D) for a convolution.
     */
    static double spectralScale(Shape shape) {
        double s = Math.sqrt((double) shape.get(0) / shape.get(1));
        if (shape.dimension() == 3) {
            return s / shape.get(2);
        }
        if (shape.dimension() == 4) {
            return s / ((double) shape.get(2) * shape.get(2));
        }
        return s;
    }

    /** Builds {@link Scion}; defaults are the reference's. */
    public static final class Builder extends DescentOptimizer.Builder<Builder> {

        private double momentum = 1;
        private boolean constrained = true;
        private int nsSteps = 5;
        private double scale = 1;
        private double signScale = 1;
        private final List<NormRule> rules = new ArrayList<>();

        Builder() {
            super(1e-3, WeightDecayMode.DECOUPLED);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets α, the weight of the new gradient in the average ({@code 1 −} the usual momentum),
         * in (0, 1] (default 1: no averaging).
         *
         * @param momentum α
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets whether the constrained variant shrinks the weights by {@code (1 − lr)} each step
         * (default true), which keeps them in the norm ball of radius {@code scale}; the
         * unconstrained variant may take a weight decay instead ({@link #optWeightDecay} applies
         * only to it).
         *
         * @param constrained whether to shrink
         * @return this builder
         */
        public Builder optConstrained(boolean constrained) {
            this.constrained = constrained;
            return this;
        }

        /**
         * Sets the number of Newton–Schulz iterations of the spectral LMO, in [1, 100] (default 5).
         *
         * @param steps the iterations
         * @return this builder
         */
        public Builder optNsSteps(int steps) {
            nsSteps = steps;
            return this;
        }

        /**
         * Sets the scale of parameters no norm rule matches, finite and {@code > 0} (default 1).
         *
         * @param scale the radius
         * @return this builder
         */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets the scale of the output layer and embeddings when no norm rule matches them (their
         * default norm is {@code SIGN}), finite and {@code > 0} (default 1; the reference's MLP
         * example uses 2¹⁰ with {@code optScale(1)}).
         *
         * @param scale the radius
         * @return this builder
         */
        public Builder optSignScale(double scale) {
            signScale = scale;
            return this;
        }

        /**
         * Adds a choice of norm and scale; the first rule that matches a parameter decides.
         *
         * @param matches which parameters (names need a bound block)
         * @param norm the norm
         * @param scale the radius, finite and {@code > 0}
         * @return this builder
         */
        public Builder optNormRule(Predicate<ParameterInfo> matches, Norm norm, double scale) {
            rules.add(
                    new NormRule(
                            Arguments.notNull("matches", matches),
                            Arguments.notNull("norm", norm),
                            scale));
            return this;
        }

        @Override
        public Scion build() {
            validateShared();
            if (!(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException(
                        "momentum must be in (0.0, 1.0], got " + momentum);
            }
            Arguments.inClosed("nsSteps", nsSteps, 1, 100);
            Arguments.positive("scale", scale);
            Arguments.positive("signScale", signScale);
            for (NormRule rule : rules) {
                Arguments.positive("scale of a norm rule", rule.scale());
            }
            return new Scion(this);
        }
    }
}
