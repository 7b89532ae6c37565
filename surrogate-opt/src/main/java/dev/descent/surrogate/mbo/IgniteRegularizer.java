package dev.descent.surrogate.mbo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.descent.curvature.HessianVectorProduct;
import java.util.ArrayList;
import java.util.List;

/**
 * IGNITE's sharpness regularizer for surrogate training: a Lagrangian bound on the norm of the
 * gradient of the surrogate's mean prediction with respect to its <b>parameters</b>, {@code min_β
 * L(β) s.t. ρ‖∇_β G(β)‖ ≤ ε} with {@code G(β) = mean over the batch of μ_β(x)}.
 *
 * <p>Per batch, with {@code g = ∇_β G(β)} and the current multiplier {@code lambda}, {@link #addTo}
 * adds to the loss gradient
 *
 * <pre>{@code
 * lambda·(rho/radius)·(∇G(β + radius·g/‖g‖) − ∇G(β))      (FINITE_DIFFERENCE, the reference)
 * lambda·rho·H_G·g/‖g‖                                     (EXACT: the limit radius → 0)
 * }</pre>
 *
 * which is {@code lambda·∇_β(rho·‖∇_β G‖)} up to O(radius), then moves the multiplier by {@code
 * lambda ← lambda + dualRate·(rho·‖g‖ − epsilon)} (no clipping at 0, as in the reference; the new
 * value applies from the next batch). With {@link Builder#optFixedLambda} the multiplier stays
 * constant (the reference's second variant: lambda = 0.01, rho = radius = 0.2).
 *
 * <p>The finite-difference gradient is taken at the block's own parameters moved in place by {@code
 * radius·g/‖g‖}; they are then restored by copying back a saved copy, so they are bit-identical
 * afterwards. Gradients come from {@link HessianVectorProduct} ({@code torch.autograd.grad}), so no
 * parameter's {@code .grad} is read or written. The exact variant uses its double-backward product.
 *
 * <p>Paper: Dao et al., "Boosting offline optimizers with surrogate sharpness-aware minimization"
 * (IGNITE). Reference implementation: cuong-dm/IGNITE ({@code
 * design_baselines/*_IGNITE/trainers.py}); defaults there: epsilon = 0.1, lambda₀ = 1e-3,
 * eta_lambda = 1e-3, rho = r = 0.05.
 *
 * <p>Deviations from the reference: the reference restores the parameters by subtracting the step
 * it added (not bit-exact in floating point); here they are copied back. The EXACT option is an
 * addition. An instance carries the multiplier of one training run: use a fresh one per model.
 */
public final class IgniteRegularizer {

    /** How the Hessian–vector product of the regularizer's gradient is formed. */
    public enum Product {
        /** The reference's difference of two gradients at distance radius. */
        FINITE_DIFFERENCE,
        /** The curvature toolkit's double-backward product (radius unused). */
        EXACT
    }

    private final double epsilon;
    private final double dualRate;
    private final double rho;
    private final double radius;
    private final boolean fixed;
    private final Product product;
    private double lambda;
    private double lastGradientNorm = Double.NaN;

    private IgniteRegularizer(Builder b) {
        this.epsilon = b.epsilon;
        this.dualRate = b.dualRate;
        this.rho = b.rho;
        this.radius = b.radius;
        this.fixed = b.fixed;
        this.product = b.product;
        this.lambda = b.lambda;
    }

    /**
     * Starts a regularizer with the reference's defaults (dual update on).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the current multiplier.
     *
     * @return lambda
     */
    public double lambda() {
        return lambda;
    }

    /**
     * Returns ‖∇_β G‖ measured on the last batch (NaN before the first).
     *
     * @return the gradient norm
     */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * Returns rho.
     *
     * @return the sharpness radius of the constraint
     */
    public double rho() {
        return rho;
    }

    /**
     * Adds the regularizer's gradient for one batch to a flat loss gradient, then updates the
     * multiplier (unless fixed).
     *
     * @param block the surrogate; its parameters are moved and restored bit-exactly
     * @param inputs the batch
     * @param lossGradient the flat gradient of the loss over the block's parameters that require
     *     gradients, in {@code block.getParameters()} order (modified: the term is added)
     */
    public void addTo(Block block, NDList inputs, NDArray lossGradient) {
        NDManager manager = lossGradient.getManager();
        double gNorm;
        NDArray term;
        if (product == Product.EXACT) {
            try (HessianVectorProduct h =
                    HessianVectorProduct.ofParameters(
                            block,
                            inputs,
                            out -> SurrogateHead.mean(out).mean(),
                            HessianVectorProduct.Method.EXACT)) {
                NDArray g = h.gradient(manager);
                gNorm = norm(g);
                term = gNorm > 0 ? h.apply(g.div(gNorm)).muli(rho) : g;
            }
        } else {
            NDArray g = meanPredictionGradient(block, inputs, manager);
            gNorm = norm(g);
            term =
                    gNorm > 0
                            ? gradientAtShift(block, inputs, g.mul(radius / gNorm), manager)
                                    .subi(g)
                                    .muli(rho / radius)
                            : g;
        }
        if (lambda != 0 && gNorm > 0) {
            lossGradient.addi(term.muli(lambda));
        }
        lastGradientNorm = gNorm;
        if (!fixed) {
            lambda = nextLambda(lambda, dualRate, rho, gNorm, epsilon);
        }
    }

    /**
     * The dual step {@code lambda + dualRate·(rho·gNorm − epsilon)}.
     *
     * @param lambda the current multiplier
     * @param dualRate eta_lambda
     * @param rho the sharpness radius
     * @param gNorm ‖∇_β G‖ on the batch
     * @param epsilon the bound
     * @return the next multiplier
     */
    static double nextLambda(
            double lambda, double dualRate, double rho, double gNorm, double epsilon) {
        return lambda + dualRate * (rho * gNorm - epsilon);
    }

    /**
     * Returns the flat gradient ∇_β G of the mean prediction over the parameters that require
     * gradients; the block's gradients are not touched.
     *
     * @param block the surrogate
     * @param inputs the batch
     * @param owner the manager of the result
     * @return ∇_β G
     */
    static NDArray meanPredictionGradient(Block block, NDList inputs, NDManager owner) {
        try (HessianVectorProduct h =
                HessianVectorProduct.ofParameters(
                        block,
                        inputs,
                        out -> SurrogateHead.mean(out).mean(),
                        HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
            return h.gradient(owner);
        }
    }

    /** ∇G at the parameters moved by {@code step}; the parameters are restored bit-exactly. */
    private static NDArray gradientAtShift(
            Block block, NDList inputs, NDArray step, NDManager owner) {
        List<NDArray> arrays = trainable(block);
        List<NDArray> saved = new ArrayList<>(arrays.size());
        try (NDManager scope = owner.newSubManager()) {
            long offset = 0;
            for (NDArray a : arrays) {
                NDArray copy = a.duplicate();
                copy.attach(scope);
                saved.add(copy);
                NDArray part = step.get(offset + ":" + (offset + a.size())).reshape(a.getShape());
                a.addi(part);
                offset += a.size();
            }
            try {
                return meanPredictionGradient(block, inputs, owner);
            } finally {
                for (int i = 0; i < arrays.size(); i++) {
                    saved.get(i).copyTo(arrays.get(i));
                }
            }
        }
    }

    /** The arrays of the parameters that require gradients, in {@code getParameters()} order. */
    static List<NDArray> trainable(Block block) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                arrays.add(p.getValue().getArray());
            }
        }
        return arrays;
    }

    static double norm(NDArray v) {
        try (NDArray squares = v.square();
                NDArray sum = squares.sum();
                NDArray d = sum.toType(DataType.FLOAT64, false)) {
            return Math.sqrt(d.getDouble());
        }
    }

    /** Settings of a regularizer; {@link #build()} validates them. */
    public static final class Builder {
        private double epsilon = 0.1;
        private double lambda = 1e-3;
        private double dualRate = 1e-3;
        private double rho = 0.05;
        private double radius = 0.05;
        private boolean fixed;
        private Product product = Product.FINITE_DIFFERENCE;

        private Builder() {}

        /**
         * Sets the bound epsilon ≥ 0 on rho·‖∇_β G‖ (default 0.1).
         *
         * @param epsilon the bound
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets the initial multiplier lambda₀, finite (default 1e-3).
         *
         * @param lambda the initial multiplier
         * @return this builder
         */
        public Builder optInitialLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /**
         * Sets the dual step size eta_lambda ≥ 0 (default 1e-3).
         *
         * @param dualRate the step size
         * @return this builder
         */
        public Builder optDualRate(double dualRate) {
            this.dualRate = dualRate;
            return this;
        }

        /**
         * Sets rho > 0 (default 0.05).
         *
         * @param rho the sharpness radius
         * @return this builder
         */
        public Builder optRho(double rho) {
            this.rho = rho;
            return this;
        }

        /**
         * Sets the finite-difference radius r > 0 (default 0.05).
         *
         * @param radius r
         * @return this builder
         */
        public Builder optRadius(double radius) {
            this.radius = radius;
            return this;
        }

        /**
         * Keeps the multiplier fixed at lambda (the reference's fixed-λ variant uses 0.01 with rho
         * = radius = 0.2).
         *
         * @param lambda the multiplier, finite
         * @return this builder
         */
        public Builder optFixedLambda(double lambda) {
            this.lambda = lambda;
            this.fixed = true;
            return this;
        }

        /**
         * Sets how the Hessian–vector product is formed (default FINITE_DIFFERENCE).
         *
         * @param product the method
         * @return this builder
         */
        public Builder optProduct(Product product) {
            this.product = product;
            return this;
        }

        /**
         * Builds the regularizer.
         *
         * @return the regularizer
         * @throws IllegalArgumentException naming a parameter out of its range
         */
        public IgniteRegularizer build() {
            if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException(
                        "epsilon must be finite and >= 0, got " + epsilon);
            }
            if (!Double.isFinite(lambda)) {
                throw new IllegalArgumentException("lambda must be finite, got " + lambda);
            }
            if (!(dualRate >= 0) || Double.isInfinite(dualRate)) {
                throw new IllegalArgumentException(
                        "dualRate must be finite and >= 0, got " + dualRate);
            }
            if (!(rho > 0) || Double.isInfinite(rho)) {
                throw new IllegalArgumentException("rho must be finite and > 0, got " + rho);
            }
            if (!(radius > 0) || Double.isInfinite(radius)) {
                throw new IllegalArgumentException("radius must be finite and > 0, got " + radius);
            }
            if (product == null) {
                throw new IllegalArgumentException("product must not be null");
            }
            return new IgniteRegularizer(this);
        }
    }
}
