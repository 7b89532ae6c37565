package dev.descent.surrogate;

import dev.descent.onnx.Surrogate;
import java.util.Random;

/**
 * A test surrogate: a float64 MLP x ↦ W_L tanh(… tanh(W_1 x + b_1) …) + b_L with its analytic
 * vector–Jacobian product, counting evaluations the way {@link Surrogate} specifies (one per point
 * evaluated, one forward pass per point differentiated).
 */
public final class MlpSurrogate implements Surrogate {

    private final double[][][] weights;
    private final double[][] biases;
    private long evaluations;
    private long derivativeRequests;
    private long calls;

    private MlpSurrogate(double[][][] weights, double[][] biases) {
        this.weights = weights;
        this.biases = biases;
    }

    /** Returns the linear network x ↦ A x + b. */
    public static MlpSurrogate linear(double[][] a, double[] b) {
        return new MlpSurrogate(new double[][][] {a}, new double[][] {b});
    }

    /**
     * Returns a tanh MLP with layer sizes {@code sizes} (input first), weights N(0, 1/fan_in) and
     * biases N(0, 0.1²) from the seed.
     */
    public static MlpSurrogate random(long seed, int... sizes) {
        Random random = new Random(seed);
        double[][][] w = new double[sizes.length - 1][][];
        double[][] b = new double[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = new double[sizes[l + 1]][sizes[l]];
            b[l] = new double[sizes[l + 1]];
            for (int i = 0; i < sizes[l + 1]; i++) {
                for (int j = 0; j < sizes[l]; j++) {
                    w[l][i][j] = random.nextGaussian() / Math.sqrt(sizes[l]);
                }
                b[l][i] = 0.1 * random.nextGaussian();
            }
        }
        return new MlpSurrogate(w, b);
    }

    @Override
    public int inputDimension() {
        return weights[0][0].length;
    }

    @Override
    public int outputDimension() {
        return weights[weights.length - 1].length;
    }

    /** Returns the activations a_0 = x, …, a_L = Φ(x) (tanh on hidden layers). */
    private double[][] forward(double[] x) {
        double[][] a = new double[weights.length + 1][];
        a[0] = x;
        for (int l = 0; l < weights.length; l++) {
            double[] z = biases[l].clone();
            for (int i = 0; i < z.length; i++) {
                for (int j = 0; j < a[l].length; j++) {
                    z[i] += weights[l][i][j] * a[l][j];
                }
                if (l < weights.length - 1) {
                    z[i] = Math.tanh(z[i]);
                }
            }
            a[l + 1] = z;
        }
        return a;
    }

    @Override
    public double[][] evaluate(double[][] points) {
        calls++;
        evaluations += points.length;
        double[][] out = new double[points.length][];
        for (int r = 0; r < points.length; r++) {
            double[][] a = forward(points[r]);
            out[r] = a[a.length - 1];
        }
        return out;
    }

    @Override
    public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
        evaluations += points.length;
        derivativeRequests += points.length;
        double[][] out = new double[points.length][];
        for (int r = 0; r < points.length; r++) {
            double[][] a = forward(points[r]);
            double[] delta = cotangents[r].clone();
            for (int l = weights.length - 1; l >= 0; l--) {
                if (l < weights.length - 1) {
                    for (int i = 0; i < delta.length; i++) {
                        delta[i] *= 1 - a[l + 1][i] * a[l + 1][i];
                    }
                }
                double[] back = new double[a[l].length];
                for (int i = 0; i < delta.length; i++) {
                    for (int j = 0; j < back.length; j++) {
                        back[j] += weights[l][i][j] * delta[i];
                    }
                }
                delta = back;
            }
            out[r] = delta;
        }
        return out;
    }

    /** Returns the number of {@link #evaluate} calls (batches). */
    public long evaluateCalls() {
        return calls;
    }

    @Override
    public boolean exactDerivatives() {
        return true;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }

    @Override
    public long derivativeRequests() {
        return derivativeRequests;
    }

    @Override
    public void close() {}
}
