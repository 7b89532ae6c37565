package dev.descent.surrogate.mbo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.onnx.OnnxExporter;
import dev.descent.onnx.Surrogate;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A surrogate MLP trained by {@link SurrogateTraining}, as a {@link Surrogate} over standardized
 * designs: its input rows are z-scored designs and its outputs standardized predictions (column 0
 * the score μ; for the Gaussian head column 1 the raw log-σ). Input gradients come from {@code
 * torch.autograd.grad} through the curvature toolkit, so the block's parameter gradients are never
 * touched.
 */
public final class TrainedSurrogate implements Surrogate {

    private final NDManager manager;
    private final Block block;
    private final SurrogateHead head;
    private final int inputs;
    private final Standardization designScale;
    private final Standardization scoreScale;
    private final double[][] trainingDesigns;
    private final double validationLoss;
    private final double finalLambda;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong derivativeRequests = new AtomicLong();

    TrainedSurrogate(
            NDManager manager,
            Block block,
            SurrogateHead head,
            int inputs,
            Standardization designScale,
            Standardization scoreScale,
            double[][] trainingDesigns,
            double validationLoss,
            double finalLambda) {
        this.manager = manager;
        this.block = block;
        this.head = head;
        this.inputs = inputs;
        this.designScale = designScale;
        this.scoreScale = scoreScale;
        this.trainingDesigns = trainingDesigns;
        this.validationLoss = validationLoss;
        this.finalLambda = finalLambda;
    }

    /**
     * Returns the network (owned by this surrogate).
     *
     * @return the block
     */
    public Block block() {
        return block;
    }

    /**
     * Returns the head the network was trained with.
     *
     * @return the head
     */
    public SurrogateHead head() {
        return head;
    }

    /**
     * Returns the standardization of designs the network reads.
     *
     * @return the design standardization
     */
    public Standardization designScale() {
        return designScale;
    }

    /**
     * Returns the standardization of scores the network predicts.
     *
     * @return the score standardization
     */
    public Standardization scoreScale() {
        return scoreScale;
    }

    /**
     * Returns the head's loss on the validation split after training (NaN without one).
     *
     * @return the validation loss, in standardized units
     */
    public double validationLoss() {
        return validationLoss;
    }

    /**
     * Returns IGNITE's multiplier at the end of training (NaN without the regularizer).
     *
     * @return lambda
     */
    public double finalLambda() {
        return finalLambda;
    }

    /**
     * Measures the sharpness {@code rho·‖∇_β G(β)‖} with G the mean predicted (standardized) score
     * over the training designs — the quantity IGNITE bounds by epsilon.
     *
     * @param rho the sharpness radius
     * @return rho times the parameter-gradient norm
     */
    public double sharpness(double rho) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = toArray(scope, trainingDesigns);
            NDArray g = IgniteRegularizer.meanPredictionGradient(block, new NDList(x), scope);
            return rho * IgniteRegularizer.norm(g);
        }
    }

    /**
     * Writes the network as an ONNX model (float32, input {@code [batch, n]}) that {@code
     * Surrogates} loads back.
     *
     * @param path the file to write (replaced)
     */
    public void exportOnnx(Path path) {
        OnnxExporter.export(block, new Shape(1, inputs), path);
    }

    @Override
    public int inputDimension() {
        return inputs;
    }

    @Override
    public int outputDimension() {
        return head.outputs();
    }

    @Override
    public double[][] evaluate(double[][] points) {
        if (points.length == 0) {
            return new double[0][];
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = toArray(scope, points);
            NDArray y =
                    block.forward(new ParameterStore(scope, false), new NDList(x), false)
                            .singletonOrThrow();
            evaluations.addAndGet(points.length);
            return rows(y, points.length);
        }
    }

    @Override
    public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
        if (cotangents.length != points.length) {
            throw new IllegalArgumentException(
                    "need one cotangent row per point: "
                            + points.length
                            + " points, "
                            + cotangents.length
                            + " cotangents");
        }
        if (points.length == 0) {
            return new double[0][];
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = toArray(scope, points);
            NDArray v = toArray(scope, cotangents);
            try (HessianVectorProduct h =
                    HessianVectorProduct.ofInputs(
                            block,
                            x,
                            out -> out.singletonOrThrow().mul(v).sum(),
                            HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
                NDArray g = h.gradient(scope);
                evaluations.addAndGet(points.length);
                derivativeRequests.addAndGet(points.length);
                return rows(g, points.length);
            }
        }
    }

    @Override
    public boolean exactDerivatives() {
        return true;
    }

    @Override
    public long evaluations() {
        return evaluations.get();
    }

    @Override
    public long derivativeRequests() {
        return derivativeRequests.get();
    }

    @Override
    public void close() {
        manager.close();
    }

    private NDArray toArray(NDManager scope, double[][] rows) {
        int width = rows[0].length;
        double[] flat = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException(
                        "row " + r + " has length " + rows[r].length + ", expected " + width);
            }
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return SurrogateTraining.create(scope, flat, new Shape(rows.length, width), dataType());
    }

    DataType dataType() {
        return block.getParameters().valueAt(0).getArray().getDataType();
    }

    private static double[][] rows(NDArray a, int count) {
        double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
        int width = flat.length / count;
        double[][] out = new double[count][width];
        for (int r = 0; r < count; r++) {
            System.arraycopy(flat, r * width, out[r], 0, width);
        }
        return out;
    }
}
