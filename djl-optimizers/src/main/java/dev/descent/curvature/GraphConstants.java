package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.BinaryOperator;

/**
 * Constants for a forward pass that is differentiated: made so that libtorch owns their memory.
 *
 * <p>The defect (DJL 0.36, PyTorch engine, CPU): an array made from Java data — {@code
 * manager.create(float[])}, and the scalar DJL makes for every {@code Number} argument ({@code
 * x.mul(3f)}, {@code x.add(1)}, {@code x.maximum(0)}, {@code x.pow(2)}, {@code x.clip(a, b)}, and
 * so the weight in {@code Loss.l2Loss()}) — is a tensor over a Java direct buffer ({@code
 * torch::from_blob}, no copy). DJL closes the scalar of a {@code Number} argument as soon as the
 * operation returns; the autograd graph still holds the tensor, but not the buffer, which the
 * garbage collector then frees. A backward pass after a collection reads freed memory: the gradient
 * of {@code x.mul(3f)} read −2.8e37 or 9.7e30 instead of 3 in 300 of 300 runs with a collection
 * between forward and backward, and one of 20,000 steps with {@code Loss.l2Loss()} in a plain
 * training loop was garbage. A graph kept for Hessian-vector products reads a constant again at
 * every product where second derivatives pass through it ({@code x.mul(3f).square()}), one applied
 * after the last nonlinearity (L2's weight) only in the first backward pass. {@code
 * toDevice(sameDevice, true)} and {@code toType(sameType, true)} are no copies there either: their
 * result shares the buffer.
 *
 * <p>The rule: <b>no {@code Number} operand and no array made from Java data in a differentiated
 * graph, unless that array stays open until the graph is gone.</b> Write {@code
 * GraphConstants.mul(x, 3)} for {@code x.mul(3f)} ({@link #add}, {@link #sub}, {@link #div}, {@link
 * #maximum}, {@link #minimum} alike, or an array from {@link #scalar}), and pass host data through
 * {@link #owned}. {@link SafeL2Loss} is DJL's L2 loss written this way. Arithmetic outside any
 * recorded graph (an optimizer's step, products on gradients already computed) reads its operands
 * before it returns and needs none of this.
 *
 * <p>The results are those of the {@code Number} forms to the bit for arrays of one or more
 * dimensions: a constant of a float32 array is the value rounded to float32, as PyTorch rounds a
 * scalar operand. A zero-dimensional float32 array with a {@code double} {@code Number} was
 * promoted to float64 (PyTorch promotes between zero-dimensional tensors); its constant keeps
 * float32.
 */
public final class GraphConstants {

    private GraphConstants() {}

    /**
     * A zero-dimensional array holding {@code value}, made by libtorch ({@code torch::full}).
     *
     * @param like a floating-point array whose data type, device and manager the constant takes
     *     (not modified)
     * @param value the value (rounded to {@code like}'s data type)
     * @return the constant, attached to {@code like}'s manager
     * @throws IllegalArgumentException if {@code like} is not a floating-point array of DJL's
     *     PyTorch engine
     */
    public static NDArray scalar(NDArray like, double value) {
        if (!like.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "a graph constant takes a floating-point array's type, got "
                            + like.getDataType());
        }
        if (!(like.getManager() instanceof PtNDManager manager)) {
            throw new IllegalArgumentException(
                    "graph constants are made by DJL's PyTorch engine, got an array of "
                            + like.getManager().getEngine().getEngineName());
        }
        return JniUtils.full(
                manager,
                new Shape(),
                value,
                like.getDataType(),
                like.getDevice(),
                SparseFormat.DENSE);
    }

    /**
     * {@code x + c}.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray add(NDArray x, double c) {
        return withConstant(x, c, NDArray::add);
    }

    /**
     * {@code x − c}.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray sub(NDArray x, double c) {
        return withConstant(x, c, NDArray::sub);
    }

    /**
     * {@code x · c}.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray mul(NDArray x, double c) {
        return withConstant(x, c, NDArray::mul);
    }

    /**
     * {@code x / c}.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray div(NDArray x, double c) {
        return withConstant(x, c, NDArray::div);
    }

    /**
     * {@code max(x, c)} elementwise.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray maximum(NDArray x, double c) {
        return withConstant(x, c, NDArray::maximum);
    }

    /**
     * {@code min(x, c)} elementwise.
     *
     * @param x a floating-point array (not modified)
     * @param c the constant
     * @return a new array
     */
    public static NDArray minimum(NDArray x, double c) {
        return withConstant(x, c, NDArray::minimum);
    }

    /** {@code op(x, k)} with k the constant c, closed after (the graph holds its own reference). */
    private static NDArray withConstant(NDArray x, double c, BinaryOperator<NDArray> op) {
        try (NDArray k = scalar(x, c)) {
            return op.apply(x, k);
        }
    }

    /**
     * A copy of an array made from Java data whose memory libtorch owns ({@code duplicate()}, a
     * clone): it stays valid in a differentiated graph, and as the storage of its views, after the
     * Java array's buffer is gone.
     *
     * @param fromJavaData an array made from Java data, e.g. by {@code manager.create(long[])};
     *     closed by this call
     * @return the copy, attached to the same manager
     */
    public static NDArray owned(NDArray fromJavaData) {
        try (fromJavaData) {
            return fromJavaData.duplicate();
        }
    }
}
