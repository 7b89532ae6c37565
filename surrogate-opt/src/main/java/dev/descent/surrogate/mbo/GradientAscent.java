package dev.descent.surrogate.mbo;

import dev.descent.onnx.Surrogate;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient ascent on the input of trained surrogates from the best designs of the data — the
 * Design-Bench baseline, alone or over an ensemble whose predictions are aggregated by their mean
 * or their minimum.
 *
 * <p>From the standardized top-{@code count} designs {@code x₀}, {@code steps} steps of {@code x ←
 * x + stepScale·√n·∇ₓ agg_k μ_k(x)}, where {@code agg} is the mean over the {@code models}
 * surrogates (its gradient the mean of their gradients) or their minimum (the gradient of the
 * member that is smallest at that point); the final points are mapped back to design space.
 *
 * <p>Reference: brandontrabucco/design-baselines {@code gradient_ascent} (and cuong-dm/IGNITE's
 * copy with the regularizer); defaults there: 200 steps of 0.01·√n, 128 starting designs, mean
 * aggregation; the ensemble scripts use 5 models. Paper: Trabucco et al., Design-Bench (arXiv
 * 2202.08450).
 *
 * <p>Deviations from the reference: the ensemble members differ by their seeds (initial weights,
 * validation split, batch order), not by bootstrap resamples; the discrete tasks are searched on
 * the standardized one-hot codes instead of logits.
 */
public final class GradientAscent implements OfflineOptimizer {

    /** How the predictions of an ensemble are combined. */
    public enum Aggregation {
        /** The mean prediction. */
        MEAN,
        /** The smallest prediction (a pessimistic ensemble). */
        MIN
    }

    private final int models;
    private final Aggregation aggregation;
    private final double stepScale;
    private final int steps;

    /**
     * Creates the optimizer.
     *
     * @param models the ensemble size, {@code >= 1}
     * @param aggregation how predictions are combined
     * @param stepScale the step as a multiple of √n, {@code > 0} (reference 0.01)
     * @param steps the number of steps, {@code >= 0} (reference 200)
     */
    public GradientAscent(int models, Aggregation aggregation, double stepScale, int steps) {
        if (models < 1) {
            throw new IllegalArgumentException("models must be >= 1, got " + models);
        }
        if (!(stepScale > 0) || Double.isInfinite(stepScale)) {
            throw new IllegalArgumentException(
                    "stepScale must be finite and > 0, got " + stepScale);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        this.models = models;
        this.aggregation = aggregation;
        this.stepScale = stepScale;
        this.steps = steps;
    }

    @Override
    public String name() {
        if (models == 1) {
            return "grad";
        }
        return aggregation == Aggregation.MEAN ? "ens-mean" : "ens-min";
    }

    @Override
    public Proposal propose(OfflineDataset data, SurrogateTraining training, int count, long seed) {
        List<TrainedSurrogate> trained = new ArrayList<>();
        try {
            double sharpness = 0;
            for (int k = 0; k < models; k++) {
                TrainedSurrogate s = training.train(data, seed * 1000 + k);
                trained.add(s);
                sharpness += s.sharpness(SHARPNESS_RHO) / models;
            }
            Standardization scale = trained.get(0).designScale();
            double[][] starts = OfflineOptimizer.starts(data, scale, count);
            double step = stepScale * Math.sqrt(starts[0].length);
            return new Proposal(
                    scale.invert(ascend(trained, aggregation, starts, step, steps)), sharpness);
        } finally {
            trained.forEach(TrainedSurrogate::close);
        }
    }

    /**
     * Runs the ascent on surrogates whose output column 0 is the predicted score.
     *
     * @param surrogates at least one surrogate, all of the starts' dimension
     * @param aggregation how their predictions are combined
     * @param starts the starting points; not modified
     * @param step the step size
     * @param steps the number of steps
     * @return the final points
     */
    public static double[][] ascend(
            List<? extends Surrogate> surrogates,
            Aggregation aggregation,
            double[][] starts,
            double step,
            int steps) {
        double[][] x = new double[starts.length][];
        for (int i = 0; i < starts.length; i++) {
            x[i] = starts[i].clone();
        }
        for (int t = 0; t < steps; t++) {
            double[][] g = gradient(surrogates, aggregation, x);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[i].length; j++) {
                    x[i][j] += step * g[i][j];
                }
            }
        }
        return x;
    }

    private static double[][] gradient(
            List<? extends Surrogate> surrogates, Aggregation aggregation, double[][] x) {
        int k = surrogates.size();
        double[][][] each = new double[k][][];
        for (int m = 0; m < k; m++) {
            Surrogate s = surrogates.get(m);
            double[] weights = new double[s.outputDimension()];
            weights[0] = 1;
            each[m] = s.gradient(x, weights);
        }
        if (k == 1) {
            return each[0];
        }
        double[][] g = new double[x.length][x[0].length];
        if (aggregation == Aggregation.MEAN) {
            for (double[][] member : each) {
                for (int i = 0; i < x.length; i++) {
                    for (int j = 0; j < x[i].length; j++) {
                        g[i][j] += member[i][j] / k;
                    }
                }
            }
            return g;
        }
        double[][][] values = new double[k][][];
        for (int m = 0; m < k; m++) {
            values[m] = surrogates.get(m).evaluate(x);
        }
        for (int i = 0; i < x.length; i++) {
            int lowest = 0;
            for (int m = 1; m < k; m++) {
                if (values[m][i][0] < values[lowest][i][0]) {
                    lowest = m;
                }
            }
            g[i] = each[lowest][i];
        }
        return g;
    }
}
