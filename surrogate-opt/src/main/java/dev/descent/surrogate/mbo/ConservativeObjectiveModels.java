package dev.descent.surrogate.mbo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.descent.curvature.GraphConstants;
import dev.descent.curvature.HessianVectorProduct;
import java.util.List;

/**
 * Conservative objective models (COMs): the surrogate is trained to fit the data while pushing down
 * its own predictions at the points its gradient ascent would reach, so that ascent on it stays
 * near the data; then gradient ascent on it proposes the designs.
 *
 * <p>Training, per batch (x, y) of standardized data: {@code x_neg} = {@code particleSteps} steps
 * of {@code x ← x + particleScale·√n·∇ₓμ(x)} from x (no gradient through them); {@code gap =
 * mean(μ(x_neg) − μ(x))}; loss {@code mean (μ(x) − y)² + alpha·gap}; after the model's Adam step
 * the multiplier moves by Adam (lr {@code alphaRate}) on {@code log alpha} with gradient {@code
 * alpha·(limit − gap)} — alpha grows while the overestimation gap exceeds {@code limit}. Search:
 * {@code searchSteps} steps of the same ascent from the top designs ({@link GradientAscent}).
 *
 * <p>Paper: Trabucco, Kumar, Geng, Levine, "Conservative Objective Models for Effective Offline
 * Model-Based Optimization" (arXiv 2107.06882). Reference: brandontrabucco/design-baselines {@code
 * coms_cleaned}; defaults there: particle lr 0.05·√n, 50 training and 50 search steps, alpha₀ = 1,
 * alpha lr 0.01, overestimation limit 0.5, MSE head, Adam 3e-4, 2 × 2048 layers.
 *
 * <p>Deviations from the reference: the head of the given training configuration is replaced by MSE
 * (as in COMs); no input noise, no entropy term (the reference's default coefficient is 0).
 */
public final class ConservativeObjectiveModels implements OfflineOptimizer {

    private final double particleScale;
    private final int particleSteps;
    private final int searchSteps;
    private final double initialAlpha;
    private final double alphaRate;
    private final double limit;

    /**
     * Creates COMs with the reference's alpha settings.
     *
     * @param particleScale the ascent step as a multiple of √n, {@code > 0} (reference 0.05)
     * @param particleSteps the ascent steps making x_neg during training, {@code >= 1} (reference
     *     50)
     * @param searchSteps the ascent steps of the search, {@code >= 0} (reference 50)
     */
    public ConservativeObjectiveModels(double particleScale, int particleSteps, int searchSteps) {
        if (!(particleScale > 0) || Double.isInfinite(particleScale)) {
            throw new IllegalArgumentException(
                    "particleScale must be finite and > 0, got " + particleScale);
        }
        if (particleSteps < 1 || searchSteps < 0) {
            throw new IllegalArgumentException(
                    "particleSteps must be >= 1 and searchSteps >= 0, got "
                            + particleSteps
                            + " and "
                            + searchSteps);
        }
        this.particleScale = particleScale;
        this.particleSteps = particleSteps;
        this.searchSteps = searchSteps;
        this.initialAlpha = 1.0;
        this.alphaRate = 0.01;
        this.limit = 0.5;
    }

    @Override
    public String name() {
        return "coms";
    }

    @Override
    public Proposal propose(OfflineDataset data, SurrogateTraining training, int count, long seed) {
        int n = data.designs()[0].length;
        double step = particleScale * Math.sqrt(n);
        Conservatism objective = new Conservatism(step);
        try (TrainedSurrogate s = training.train(data, seed * 1000, objective)) {
            Standardization scale = s.designScale();
            double[][] starts = OfflineOptimizer.starts(data, scale, count);
            double[][] found =
                    GradientAscent.ascend(
                            List.of(s), GradientAscent.Aggregation.MEAN, starts, step, searchSteps);
            return new Proposal(scale.invert(found), s.sharpness(SHARPNESS_RHO));
        }
    }

    /**
     * The training loss {@code mean (μ(x) − y)² + alpha·gap}, differentiated: alpha enters as a
     * {@link GraphConstants} constant, not a {@code Number} operand.
     *
     * @param positive μ(x), shape (batch)
     * @param y the standardized scores, shape (batch)
     * @param gap the overestimation {@code mean(μ(x_neg) − μ(x))}, a scalar
     * @param alpha the multiplier
     * @return the scalar loss
     */
    static NDArray penalizedFit(NDArray positive, NDArray y, NDArray gap, double alpha) {
        return positive.sub(y).square().mean().add(GraphConstants.mul(gap, alpha));
    }

    /** The COMs batch objective with its dual variable log alpha, moved by Adam. */
    private final class Conservatism implements BatchObjective {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPS = 1e-7; // Keras' Adam default, as in the reference

        private final double particleStep;
        private double logAlpha = Math.log(initialAlpha);
        private double m;
        private double v;
        private long t;
        private double gap;
        private int rows;

        Conservatism(double particleStep) {
            this.particleStep = particleStep;
        }

        @Override
        public NDList inputs(Block block, NDArray x) {
            rows = Math.toIntExact(x.getShape().get(0));
            NDArray particles = x;
            for (int i = 0; i < particleSteps; i++) {
                try (HessianVectorProduct h =
                        HessianVectorProduct.ofInputs(
                                block,
                                particles,
                                out -> SurrogateHead.mean(out).sum(),
                                HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
                    NDArray g = h.gradient(x.getManager()).reshape(particles.getShape());
                    particles = particles.add(g.muli(particleStep));
                }
            }
            return new NDList(NDArrays.concat(new NDList(x, particles)));
        }

        @Override
        public NDArray loss(NDList outputs, NDArray y) {
            NDArray mu = SurrogateHead.mean(outputs);
            NDArray positive = mu.get(new NDIndex("0:" + rows));
            NDArray negative = mu.get(new NDIndex(rows + ":"));
            NDArray overestimation = negative.sub(positive).mean();
            gap = overestimation.toType(DataType.FLOAT64, false).getDouble();
            return penalizedFit(positive, y, overestimation, Math.exp(logAlpha));
        }

        @Override
        public void afterStep() {
            double grad = Math.exp(logAlpha) * (limit - gap);
            t++;
            m = BETA1 * m + (1 - BETA1) * grad;
            v = BETA2 * v + (1 - BETA2) * grad * grad;
            double mHat = m / (1 - Math.pow(BETA1, t));
            double vHat = v / (1 - Math.pow(BETA2, t));
            logAlpha -= alphaRate * mHat / (Math.sqrt(vHat) + EPS);
        }
    }
}
