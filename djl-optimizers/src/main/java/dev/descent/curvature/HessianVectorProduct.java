package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Products {@code H·v} with the Hessian of a scalar objective, with respect to a block's
 * parameters, to an input, or to the arguments of any function, at a fixed point.
 *
 * <p>{@link Method#EXACT} (default): double backward on the PyTorch engine. At construction the
 * objective {@code f} and its gradient {@code g = ∇f} are computed with the graph of {@code g}
 * kept; each product is one more backward pass, {@code H·v = ∇⟨g, v⟩} (Pearlmutter's R-operator).
 * Gradients are obtained with {@code torch.autograd.grad} (see {@link Autograd}), so no parameter's
 * {@code .grad} is touched and no graph is leaked.
 *
 * <p>{@link Method#FINITE_DIFFERENCE}: for engines or models without double backward, central
 * differences of gradients, {@code H·v ≈ (∇f(θ + hv) − ∇f(θ − hv))/(2h)} with {@code h = ε·(1 +
 * ‖θ‖∞)/‖v‖∞}, ε = 6e-6 in float64 and 5e-3 in float32 (about the cube root of the machine epsilon,
 * which balances truncation and rounding error). Two gradients per product.
 *
 * <p>The operator captures copies of the point (parameters or input) at construction; create a new
 * one after they change. The block's parameters and their gradients are not modified. Forward
 * passes run in inference mode ({@code training = false}: dropout off, batch normalization on its
 * running statistics). Close it to free the retained graph.
 *
 * <p>On DJL 0.36's PyTorch engine an array made from Java data ({@code manager.create(float[])},
 * and the scalar DJL makes for a {@code Number} argument, as in {@code x.mul(3f)}) keeps its values
 * in a Java direct buffer, which the garbage collector frees once the array is closed even when the
 * retained graph still reads it: products after a collection then read freed memory. In the
 * objective, write constants with {@link GraphConstants} ({@code GraphConstants.mul(x, 3)}, {@link
 * SafeL2Loss} for {@code Loss.l2Loss()}), and keep arrays made from Java data open until the
 * operator is closed or pass them through {@link GraphConstants#owned}; the defect and the rule are
 * in {@link GraphConstants}.
 */
public final class HessianVectorProduct implements SymmetricOperator, AutoCloseable {

    /** How products are computed. */
    public enum Method {
        /** Double backward (exact up to rounding). */
        EXACT,
        /** Central differences of two gradients (approximate, first-order autograd only). */
        FINITE_DIFFERENCE
    }

    private final NDManager manager;
    private final Leaves leaves;
    private final Function<List<NDArray>, NDArray> objective;
    private final Method method;
    private final double value;
    private final List<NDArray> gradient;

    private HessianVectorProduct(
            NDManager parent,
            List<NDArray> point,
            List<String> names,
            Function<List<NDArray>, NDArray> objective,
            Method method) {
        if (point.isEmpty()) {
            throw new IllegalArgumentException("nothing to differentiate: no parameters or inputs");
        }
        this.manager = parent.newSubManager();
        this.objective = objective;
        this.method = method;
        // Every temporary of the forward pass is closed with the scope; the retained graph
        // holds its own references to what the double backward needs.
        try (NDScope scope = new NDScope()) {
            leaves = Leaves.copiesOf(point, names, manager);
            leaves.arrays.forEach(NDScope::unregister);
            NDArray f = evaluate(leaves.arrays);
            value = HostArrays.scalar(f);
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("objective is not finite at the point: " + value);
            }
            gradient =
                    Autograd.grad(
                            List.of(f),
                            leaves.arrays,
                            List.of(manager.ones(f.getShape(), f.getDataType())),
                            method == Method.EXACT,
                            method == Method.EXACT,
                            manager);
            gradient.forEach(NDScope::unregister);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The Hessian of any scalar function at a point.
     *
     * @param point the arguments (copied; not modified)
     * @param function maps the arguments to a scalar
     * @param method how products are computed
     * @return the operator
     */
    public static HessianVectorProduct ofFunction(
            NDList point, Function<NDList, NDArray> function, Method method) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < point.size(); i++) {
            names.add("argument " + i);
        }
        return new HessianVectorProduct(
                point.head().getManager(),
                point,
                names,
                args -> function.apply(new NDList(args)),
                method);
    }

    /**
     * The Hessian of {@code objective(block(inputs))} with respect to the block's parameters that
     * require gradients, in the order of {@code block.getParameters()}.
     *
     * @param block an initialized block
     * @param inputs the batch (not modified)
     * @param objective maps the block's outputs to a scalar loss
     * @param method how products are computed
     * @return the operator
     */
    public static HessianVectorProduct ofParameters(
            Block block, NDList inputs, Function<NDList, NDArray> objective, Method method) {
        BlockParameters parameters = new BlockParameters(block);
        return new HessianVectorProduct(
                inputs.head().getManager(),
                parameters.values,
                parameters.names,
                leaves -> objective.apply(parameters.forward(leaves, inputs)),
                method);
    }

    /**
     * The Hessian of a DJL loss with respect to a block's parameters.
     *
     * @param block an initialized block
     * @param loss the loss, e.g. {@code Loss.softmaxCrossEntropyLoss()}
     * @param inputs the batch
     * @param labels its labels
     * @return the exact operator
     */
    public static HessianVectorProduct ofParameters(
            Block block, Loss loss, NDList inputs, NDList labels) {
        return ofParameters(block, inputs, outputs -> loss.evaluate(labels, outputs), Method.EXACT);
    }

    /**
     * The Hessian of {@code objective(block(input))} with respect to the input, for a block with
     * one input.
     *
     * @param block an initialized block
     * @param input the input (copied; not modified)
     * @param objective maps the block's outputs to a scalar
     * @param method how products are computed
     * @return the operator
     */
    public static HessianVectorProduct ofInputs(
            Block block, NDArray input, Function<NDList, NDArray> objective, Method method) {
        ParameterStore store = new ParameterStore(input.getManager(), false);
        return new HessianVectorProduct(
                input.getManager(),
                List.of(input),
                List.of("input"),
                leaves -> objective.apply(block.forward(store, new NDList(leaves), false)),
                method);
    }

    /**
     * Returns the objective at the point.
     *
     * @return f
     */
    public double value() {
        return value;
    }

    /**
     * Returns the gradient at the point as a flat vector.
     *
     * @param owner the manager that will own it
     * @return ∇f
     */
    public NDArray gradient(NDManager owner) {
        try (NDScope temporaries = new NDScope()) {
            List<NDArray> detached = new ArrayList<>();
            for (NDArray g : gradient) {
                detached.add(g.stopGradient());
            }
            NDArray result = Leaves.flatten(detached, owner);
            NDScope.unregister(result);
            return result;
        }
    }

    /**
     * Returns the names of the blocks of the flat vector: parameter names, "input", or "argument
     * i".
     *
     * @return the names, in order
     */
    public List<String> names() {
        return List.copyOf(leaves.names);
    }

    @Override
    public long dimension() {
        return leaves.dimension;
    }

    @Override
    public NDArray zeros(NDManager owner) {
        return leaves.zeros(owner);
    }

    @Override
    public NDArray apply(NDArray v) {
        try (NDScope temporaries = new NDScope();
                NDManager scope = manager.newSubManager()) {
            List<NDArray> parts = leaves.split(v, "vector");
            List<NDArray> hv =
                    method == Method.EXACT
                            ? exact(parts, scope)
                            : finiteDifference(v, parts, scope);
            NDArray result = Leaves.flatten(hv, v.getManager());
            NDScope.unregister(result);
            Leaves.requireFinite(result, "Hessian-vector product");
            return result;
        }
    }

    private List<NDArray> exact(List<NDArray> parts, NDManager scope) {
        return Autograd.grad(gradient, leaves.arrays, parts, true, false, scope);
    }

    /** {@code max |a|} read on the host, the temporaries closed. */
    private static double maxAbs(NDArray a) {
        try (NDArray abs = a.abs();
                NDArray max = abs.max()) {
            return HostArrays.scalar(max);
        }
    }

    private List<NDArray> finiteDifference(NDArray v, List<NDArray> parts, NDManager scope) {
        double vMax = maxAbs(v);
        if (vMax == 0) {
            List<NDArray> zeros = new ArrayList<>();
            for (NDArray p : parts) {
                zeros.add(p.zerosLike());
            }
            return zeros;
        }
        double thetaMax = 0;
        for (NDArray a : leaves.arrays) {
            try (NDArray detached = a.stopGradient()) {
                thetaMax = Math.max(thetaMax, maxAbs(detached));
            }
        }
        double eps = leaves.dataType() == DataType.FLOAT64 ? 6e-6 : 5e-3;
        double h = eps * (1 + thetaMax) / vMax;
        List<NDArray> plus = gradientAt(parts, h, scope);
        List<NDArray> minus = gradientAt(parts, -h, scope);
        List<NDArray> hv = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            hv.add(plus.get(i).sub(minus.get(i)).divi(2 * h));
        }
        return hv;
    }

    private List<NDArray> gradientAt(List<NDArray> direction, double step, NDManager scope) {
        List<NDArray> shifted = new ArrayList<>();
        for (int i = 0; i < direction.size(); i++) {
            NDArray x = leaves.arrays.get(i).stopGradient().add(direction.get(i).mul(step));
            x.attach(scope);
            x.setRequiresGradient(true);
            shifted.add(x);
        }
        NDArray f = evaluate(shifted);
        return Autograd.grad(
                List.of(f),
                shifted,
                List.of(scope.ones(f.getShape(), f.getDataType())),
                false,
                false,
                scope);
    }

    private NDArray evaluate(List<NDArray> at) {
        NDArray f = Autograd.recording(() -> objective.apply(at));
        if (f.getShape().dimension() != 0 && f.size() != 1) {
            throw new IllegalArgumentException(
                    "objective must return a scalar, got shape " + f.getShape());
        }
        return f.getShape().dimension() == 0 ? f : f.reshape(new Shape());
    }

    @Override
    public void close() {
        manager.close();
    }
}
