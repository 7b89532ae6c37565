package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.descent.curvature.GraphConstants;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.curvature.HostArrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The two estimators of the diagonal curvature that {@link Sophia} folds into its running {@code
 * h}. Each returns {@code ĥ} in the units of {@link Sophia.State#h}, where {@code bs·h} estimates
 * the diagonal of the Hessian of the mean loss:
 *
 * <ul>
 *   <li>{@link #HUTCHINSON} (SophiaH): {@code ĥ = u⊙(Hu)/bs}, one Rademacher probe {@code u} per
 *       refresh, {@code H} the exact Hessian of the training loss on the batch;
 *   <li>{@link #GAUSS_NEWTON_BARTLETT} (SophiaG): labels {@code ŷ} are sampled from the model's own
 *       softmax over the last axis of its first output, {@code ĝ} is the gradient of the mean
 *       cross-entropy on {@code ŷ}, and {@code ĥ = ĝ⊙ĝ}, the reference's {@code update_hessian}
 *       (the paper's estimate {@code B·ĝ⊙ĝ} is {@code bs·ĥ} when the batch holds {@code bs}
 *       examples or tokens, as in the reference).
 * </ul>
 *
 * <p>Both run the block in inference mode ({@code training = false}) on copies of its parameters,
 * through {@link HessianVectorProduct}, so the parameters and their gradients (the training step's,
 * still waiting for {@code trainer.step()}) are not modified. All randomness comes from the {@link
 * SplittableRandom} passed in.
 */
public enum SophiaEstimator {

    /** SophiaH: Hutchinson's diagonal estimate with one Rademacher probe. */
    HUTCHINSON {
        @Override
        public Map<String, NDArray> estimate(
                Block block,
                Loss loss,
                NDList inputs,
                NDList labels,
                double batchSize,
                SplittableRandom random,
                NDManager owner) {
            try (HessianVectorProduct hessian =
                    HessianVectorProduct.ofParameters(block, loss, inputs, labels)) {
                NDArray diagonal = hutchinsonDiagonal(hessian, random, owner);
                diagonal.divi(batchSize);
                return split(block, diagonal);
            }
        }
    },

    /** SophiaG: the Gauss–Newton–Bartlett estimate from labels sampled from the model. */
    GAUSS_NEWTON_BARTLETT {
        @Override
        public Map<String, NDArray> estimate(
                Block block,
                Loss loss,
                NDList inputs,
                NDList labels,
                double batchSize,
                SplittableRandom random,
                NDManager owner) {
            SampledLabels sampled = new SampledLabels(random);
            Function<NDList, NDArray> crossEntropy =
                    outputs -> {
                        NDArray logits = outputs.head();
                        NDArray oneHot = sampled.oneHot(logits);
                        return logits.logSoftmax(-1).mul(oneHot).sum(new int[] {-1}).mean().neg();
                    };
            // Method.FINITE_DIFFERENCE keeps no graph for double backward: only the gradient
            // at the point is computed, and no Hessian-vector product is ever asked for.
            try (HessianVectorProduct at =
                    HessianVectorProduct.ofParameters(
                            block,
                            inputs,
                            crossEntropy,
                            HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
                NDArray g = at.gradient(owner);
                g.muli(g);
                return split(block, g);
            }
        }
    };

    /**
     * Estimates {@code ĥ} on one batch for every parameter of the block that requires gradients.
     *
     * @param block the model (not modified)
     * @param loss the training loss (used by {@link #HUTCHINSON})
     * @param inputs the batch's inputs (not modified)
     * @param labels the batch's labels (used by {@link #HUTCHINSON}; not modified)
     * @param batchSize {@code bs} of the optimizer
     * @param random the source of the probe or of the sampled labels
     * @param owner the manager that will own the estimates
     * @return {@code ĥ} by parameter name ({@code block.getParameters()} keys)
     */
    public abstract Map<String, NDArray> estimate(
            Block block,
            Loss loss,
            NDList inputs,
            NDList labels,
            double batchSize,
            SplittableRandom random,
            NDManager owner);

    /**
     * Returns {@code u⊙(Hu)} as a flat vector, {@code u} a Rademacher vector whose i-th entry is
     * {@code random.nextBoolean() ? 1 : −1}.
     *
     * @param hessian the operator
     * @param random the source of {@code u}
     * @param owner the manager that will own the result
     * @return the flat estimate
     */
    static NDArray hutchinsonDiagonal(
            HessianVectorProduct hessian, SplittableRandom random, NDManager owner) {
        double[] signs = new double[Math.toIntExact(hessian.dimension())];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = random.nextBoolean() ? 1 : -1;
        }
        NDArray u;
        try (NDArray zeros = hessian.zeros(owner)) {
            // owned: the estimate is computed in u, and the split estimates are views of it
            u = GraphConstants.owned(HostArrays.fromHost(signs, zeros.getShape(), zeros));
        }
        try (NDArray hu = hessian.apply(u)) {
            return u.muli(hu);
        }
    }

    /** Splits a flat vector in the order of the block's parameters that require gradients. */
    private static Map<String, NDArray> split(Block block, NDArray flat) {
        Map<String, NDArray> parts = new HashMap<>();
        long offset = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient()) {
                Shape shape = parameter.getArray().getShape();
                long n = shape.size();
                parts.put(p.getKey(), flat.get(offset + ":" + (offset + n)).reshape(shape));
                offset += n;
            }
        }
        return parts;
    }

    /**
     * Labels drawn once from the softmax of the logits (inverse CDF with one uniform per row), kept
     * so that every evaluation of the objective sees the same labels.
     */
    private static final class SampledLabels {
        private final SplittableRandom random;
        private double[] oneHot;

        SampledLabels(SplittableRandom random) {
            this.random = random;
        }

        NDArray oneHot(NDArray logits) {
            if (oneHot == null) {
                oneHot = sample(logits);
            }
            // owned: the differentiated cross-entropy reads it in its backward pass
            return GraphConstants.owned(HostArrays.fromHost(oneHot, logits.getShape(), logits));
        }

        private double[] sample(NDArray logits) {
            Shape shape = logits.getShape();
            if (shape.dimension() < 1 || shape.get(shape.dimension() - 1) < 1) {
                throw new IllegalArgumentException(
                        "Gauss–Newton–Bartlett needs logits with a class axis last, got shape "
                                + shape);
            }
            int classes = Math.toIntExact(shape.get(shape.dimension() - 1));
            double[] p;
            try (NDArray detached = logits.stopGradient();
                    NDArray softmax = detached.softmax(-1)) {
                p = HostArrays.toDoubles(softmax);
            }
            double[] result = new double[p.length];
            for (int row = 0; row < p.length / classes; row++) {
                int base = row * classes;
                double u = random.nextDouble();
                int chosen = classes - 1;
                double cumulative = 0;
                for (int c = 0; c < classes; c++) {
                    cumulative += p[base + c];
                    if (u < cumulative) {
                        chosen = c;
                        break;
                    }
                }
                result[base + chosen] = 1;
            }
            return result;
        }
    }
}
