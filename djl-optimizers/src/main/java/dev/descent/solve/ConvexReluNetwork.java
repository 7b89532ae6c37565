package dev.descent.solve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * The two-layer ReLU network {@code f(x) = Σ_j α_j (W_j·x + b_j)₊} recovered from a point (v, w) of
 * a {@link ConvexReluProgram} (Pilanci and Ergen, Theorem 1; the scaling of
 * Bai-YT/Convex-NN-Training and zachary-shah/admmNN {@code optimal_weights_transform}): every
 * nonzero group becomes one hidden neuron,
 *
 * <pre>
 * vᵢ ≠ 0:  (W_j, b_j) = vᵢ/√‖vᵢ‖,   α_j = +√‖vᵢ‖
 * wᵢ ≠ 0:  (W_j, b_j) = wᵢ/√‖wᵢ‖,   α_j = −√‖wᵢ‖
 * </pre>
 *
 * where, when the program has a bias column, the last entry of the group is the neuron's bias b_j
 * (else b = 0). Then {@code ½α_j² + ½‖(W_j, b_j)‖² = ‖vᵢ‖}, so the weight-decayed loss {@link
 * #loss} with the program's β equals the program's objective, and where the cone constraints hold
 * ({@code Dᵢ X vᵢ = (X vᵢ)₊}) the outputs equal the program's predictions. Neurons are ordered: the
 * vᵢ in pattern order, then the wᵢ.
 *
 * <p>{@link #toBlock} gives the same network as a DJL block (Linear–ReLU–Linear, float32) for
 * inference or export (the onnx-bridge's {@code OnnxExporter} writes it as Gemm–Relu–Gemm).
 */
public final class ConvexReluNetwork {

    private final double[][] weights;
    private final double[] biases;
    private final double[] outputs;
    private final boolean bias;
    private final int inputs;

    private ConvexReluNetwork(
            double[][] weights, double[] biases, double[] outputs, boolean bias, int inputs) {
        this.inputs = inputs;
        this.weights = weights;
        this.biases = biases;
        this.outputs = outputs;
        this.bias = bias;
    }

    /**
     * Recovers the network of a point of the program.
     *
     * @param program the program the point belongs to (not modified)
     * @param solution the point (not modified)
     * @return the network, with one neuron per nonzero group (possibly none)
     * @throws IllegalArgumentException when the point's shape is not the program's or it is not
     *     finite
     */
    public static ConvexReluNetwork recover(
            ConvexReluProgram program, ConvexReluSolution solution) {
        program.checkShape(solution);
        int d = program.dimension();
        int inputs = program.bias() ? d - 1 : d;
        List<double[]> rows = new ArrayList<>();
        List<Double> alphas = new ArrayList<>();
        for (double[][] groups : new double[][][] {solution.v(), solution.w()}) {
            double sign = groups == solution.v() ? 1 : -1;
            for (int i = 0; i < groups.length; i++) {
                for (double value : groups[i]) {
                    if (!Double.isFinite(value)) {
                        throw new IllegalArgumentException(
                                "solution group " + i + " is not finite: " + value);
                    }
                }
                double norm = ConvexReluProgram.norm(groups[i]);
                if (norm > 0) {
                    double root = Math.sqrt(norm);
                    double[] row = new double[d];
                    for (int j = 0; j < d; j++) {
                        row[j] = groups[i][j] / root;
                    }
                    rows.add(row);
                    alphas.add(sign * root);
                }
            }
        }
        int m = rows.size();
        double[][] weights = new double[m][inputs];
        double[] biases = new double[m];
        double[] outputs = new double[m];
        for (int k = 0; k < m; k++) {
            System.arraycopy(rows.get(k), 0, weights[k], 0, inputs);
            biases[k] = program.bias() ? rows.get(k)[d - 1] : 0;
            outputs[k] = alphas.get(k);
        }
        return new ConvexReluNetwork(weights, biases, outputs, program.bias(), inputs);
    }

    /** The hidden width m. */
    public int width() {
        return outputs.length;
    }

    /** The first layer's weights, m × p (a copy). */
    public double[][] hiddenWeights() {
        double[][] copy = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            copy[k] = weights[k].clone();
        }
        return copy;
    }

    /** The first layer's biases, m (a copy; zeros without a bias column). */
    public double[] hiddenBiases() {
        return biases.clone();
    }

    /** The second layer's weights α, m (a copy). */
    public double[] outputWeights() {
        return outputs.clone();
    }

    /**
     * The outputs Σ_j α_j (W_j·x + b_j)₊ in float64.
     *
     * @param features n × p inputs (not modified), finite
     * @return n outputs
     * @throws IllegalArgumentException when the inputs are ragged, of the wrong width or not finite
     */
    public double[] predict(double[][] features) {
        double[][] x = ConvexReluProgram.checkedData(features, false);
        if (x[0].length != inputs) {
            throw new IllegalArgumentException(
                    "features must have " + inputs + " columns, got " + x[0].length);
        }
        double[] out = new double[x.length];
        for (int r = 0; r < x.length; r++) {
            double sum = 0;
            for (int k = 0; k < outputs.length; k++) {
                double pre = ConvexReluProgram.dot(weights[k], x[r]) + biases[k];
                sum += outputs[k] * Math.max(pre, 0);
            }
            out[r] = sum;
        }
        return out;
    }

    /**
     * The training objective of the network: ½Σ(f(x_r) − y_r)² + (β/2)(‖W‖² + ‖b‖² + ‖α‖²).
     *
     * @param features n × p inputs (not modified)
     * @param targets n targets (not modified)
     * @param beta the weight-decay weight β, finite and ≥ 0
     * @return the loss
     * @throws IllegalArgumentException on shape mismatches or non-finite values
     */
    public double loss(double[][] features, double[] targets, double beta) {
        double[] p = predict(features);
        if (targets == null || targets.length != p.length) {
            throw new IllegalArgumentException(
                    "targets must have one entry per row of features ("
                            + p.length
                            + "), got "
                            + (targets == null ? "null" : targets.length));
        }
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        double sse = 0;
        for (int r = 0; r < p.length; r++) {
            if (!Double.isFinite(targets[r])) {
                throw new IllegalArgumentException(
                        "targets[" + r + "] must be finite, got " + targets[r]);
            }
            double e = p[r] - targets[r];
            sse += e * e;
        }
        double squares = 0;
        for (int k = 0; k < outputs.length; k++) {
            squares += ConvexReluProgram.dot(weights[k], weights[k]) + biases[k] * biases[k];
            squares += outputs[k] * outputs[k];
        }
        return 0.5 * sse + 0.5 * beta * squares;
    }

    /**
     * The network as an initialized DJL block {@code Linear(m, bias) → ReLU → Linear(1, no bias)}
     * with float32 parameters, taking inputs of shape (batch, p).
     *
     * @param manager the manager that owns the parameters
     * @return the block
     * @throws IllegalStateException when the network has no neuron (every group zero)
     */
    public SequentialBlock toBlock(NDManager manager) {
        int m = width();
        if (m == 0) {
            throw new IllegalStateException(
                    "the recovered network has no neuron (every group of the solution is zero)");
        }
        Linear hidden = Linear.builder().setUnits(m).optBias(bias).build();
        Linear output = Linear.builder().setUnits(1).optBias(false).build();
        SequentialBlock block =
                new SequentialBlock().add(hidden).add(Activation.reluBlock()).add(output);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));
        float[] w = new float[m * inputs];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < inputs; j++) {
                w[k * inputs + j] = (float) weights[k][j];
            }
        }
        hidden.getParameters().get("weight").getArray().set(w);
        if (bias) {
            float[] b = new float[m];
            for (int k = 0; k < m; k++) {
                b[k] = (float) biases[k];
            }
            hidden.getParameters().get("bias").getArray().set(b);
        }
        float[] a = new float[m];
        for (int k = 0; k < m; k++) {
            a[k] = (float) outputs[k];
        }
        output.getParameters().get("weight").getArray().set(a);
        return block;
    }
}
