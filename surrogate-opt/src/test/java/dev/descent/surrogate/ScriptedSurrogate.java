package dev.descent.surrogate;

import dev.descent.onnx.Surrogate;

/**
 * A test oracle Φ: ℝⁿ → ℝ returning scripted values in call order, whatever the point; after the
 * script ends it returns −∞-like failures ({@code -1e300}).
 */
public final class ScriptedSurrogate implements Surrogate {

    private final int n;
    private final double[] script;
    private long evaluations;

    public ScriptedSurrogate(int n, double... script) {
        this.n = n;
        this.script = script;
    }

    @Override
    public int inputDimension() {
        return n;
    }

    @Override
    public int outputDimension() {
        return 1;
    }

    @Override
    public double[][] evaluate(double[][] points) {
        double[][] out = new double[points.length][];
        for (int r = 0; r < points.length; r++) {
            int k = (int) evaluations++;
            out[r] = new double[] {k < script.length ? script[k] : -1e300};
        }
        return out;
    }

    @Override
    public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
        throw new UnsupportedOperationException("the scripted oracle has no derivatives");
    }

    @Override
    public boolean exactDerivatives() {
        return false;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }

    @Override
    public long derivativeRequests() {
        return 0;
    }

    @Override
    public void close() {}
}
