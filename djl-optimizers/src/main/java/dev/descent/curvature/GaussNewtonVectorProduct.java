package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import java.util.List;
import java.util.function.Function;

/**
 * Products with the generalized Gauss–Newton matrix {@code G = Jᵀ·H_ℓ·J} of a loss {@code ℓ(z)} of
 * a block's output {@code z = f(θ)}, where J = ∂z/∂θ and H_ℓ = ∂²ℓ/∂z². G drops the term of the
 * Hessian that involves the block's own curvature, so it is positive semi-definite whenever ℓ is
 * convex in z (squared error, cross-entropy on logits).
 *
 * <p>Matrix-free, all by reverse mode: {@code Jv} by the double-vector-Jacobian trick ({@code Jv =
 * ∂⟨Jᵀu, v⟩/∂u} with a dummy u), then {@code H_ℓ(Jv)} by a double backward through ℓ alone, then
 * {@code Jᵀ(H_ℓJv)} by one backward. The graphs are built once at construction; each product is
 * three backward passes through them.
 *
 * <p>Reference: Schraudolph, "Fast Curvature Matrix-Vector Products for Second-Order Gradient
 * Descent", Neural Computation 14(7), 2002; Martens, "New insights and perspectives on the natural
 * gradient method", arXiv:1412.1193.
 */
public final class GaussNewtonVectorProduct implements SymmetricOperator, AutoCloseable {

    private final NDManager manager;
    private final Leaves leaves;
    private final NDArray output;
    private final NDArray outputLeaf;
    private final NDArray dummy;
    private final List<NDArray> jacobianTransposeDummy;
    private final NDArray lossGradient;

    private GaussNewtonVectorProduct(
            BlockParameters parameters, NDList inputs, Function<NDList, NDArray> loss) {
        manager = inputs.head().getManager().newSubManager();
        try (NDScope scope = new NDScope()) {
            leaves = Leaves.copiesOf(parameters.values, parameters.names, manager);
            leaves.arrays.forEach(NDScope::unregister);
            output = Autograd.recording(() -> parameters.forward(leaves.arrays, inputs).head());
            outputLeaf = output.stopGradient().duplicate();
            outputLeaf.setRequiresGradient(true);
            NDArray value = Autograd.recording(() -> loss.apply(new NDList(outputLeaf)));
            if (value.size() != 1) {
                throw new IllegalArgumentException(
                        "loss must return a scalar, got shape " + value.getShape());
            }
            lossGradient =
                    Autograd.grad(
                                    List.of(value),
                                    List.of(outputLeaf),
                                    List.of(value.onesLike()),
                                    true,
                                    true,
                                    manager)
                            .head();
            dummy = output.stopGradient().zerosLike();
            dummy.setRequiresGradient(true);
            jacobianTransposeDummy =
                    Autograd.grad(
                            List.of(output), leaves.arrays, List.of(dummy), true, true, manager);
            for (NDArray kept : List.of(output, outputLeaf, lossGradient, dummy)) {
                NDScope.unregister(kept);
                kept.attach(manager);
            }
            jacobianTransposeDummy.forEach(NDScope::unregister);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The Gauss–Newton matrix of {@code loss(block(inputs))} with respect to the block's parameters
     * that require gradients (in {@code block.getParameters()} order).
     *
     * @param block an initialized block with one output
     * @param inputs the batch (not modified)
     * @param loss maps the block's output to a scalar, convex in it for G to be PSD
     * @return the operator
     */
    public static GaussNewtonVectorProduct ofParameters(
            Block block, NDList inputs, Function<NDList, NDArray> loss) {
        return new GaussNewtonVectorProduct(new BlockParameters(block), inputs, loss);
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
            NDArray jv =
                    Autograd.grad(jacobianTransposeDummy, List.of(dummy), parts, true, false, scope)
                            .head();
            NDArray hjv =
                    Autograd.grad(
                                    List.of(lossGradient),
                                    List.of(outputLeaf),
                                    List.of(jv),
                                    true,
                                    false,
                                    scope)
                            .head();
            List<NDArray> gv =
                    Autograd.grad(List.of(output), leaves.arrays, List.of(hjv), true, false, scope);
            NDArray result = Leaves.flatten(gv, v.getManager());
            NDScope.unregister(result);
            Leaves.requireFinite(result, "Gauss-Newton-vector product");
            return result;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
