package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.function.Function;

/**
 * The empirical Fisher matrix {@code F = (1/N)·Σ_n g_n g_nᵀ} of a batch, where {@code g_n} is the
 * gradient of the n-th example's loss with respect to a block's parameters: products {@code F·v =
 * Gᵀ(G·v)/N} and the diagonal {@code (1/N)·Σ_n g_n²} from the N×d matrix G of per-example gradients
 * (N backward passes at construction, then O(Nd) per product).
 *
 * <p>Reference: Martens, "New insights and perspectives on the natural gradient method",
 * arXiv:1412.1193, §11 (the empirical Fisher and its limitations); Kunstner, Balles, Hennig,
 * "Limitations of the Empirical Fisher Approximation", arXiv:1905.12558.
 */
public final class EmpiricalFisher implements SymmetricOperator, AutoCloseable {

    private final NDManager manager;
    private final NDArray perExample;

    private EmpiricalFisher(NDManager manager, NDArray perExample) {
        this.manager = manager;
        this.perExample = perExample;
    }

    /**
     * Builds the empirical Fisher of a batch.
     *
     * @param block an initialized block
     * @param inputs the batch (not modified)
     * @param perExampleLoss maps the block's outputs to the vector of the N examples' losses
     * @return the operator
     */
    public static EmpiricalFisher ofParameters(
            Block block, NDList inputs, Function<NDList, NDArray> perExampleLoss) {
        BlockParameters parameters = new BlockParameters(block);
        NDManager manager = inputs.head().getManager().newSubManager();
        try (NDScope scope = new NDScope()) {
            Leaves leaves = Leaves.copiesOf(parameters.values, parameters.names, manager);
            NDArray losses =
                    Autograd.recording(
                            () -> perExampleLoss.apply(parameters.forward(leaves.arrays, inputs)));
            if (losses.getShape().dimension() != 1) {
                throw new IllegalArgumentException(
                        "per-example loss must be a vector (N), got shape " + losses.getShape());
            }
            int n = Math.toIntExact(losses.size());
            NDList rows = new NDList(n);
            for (int i = 0; i < n; i++) {
                NDArray seed = losses.zerosLike();
                seed.set(new ai.djl.ndarray.index.NDIndex(i), 1);
                List<NDArray> g =
                        Autograd.grad(
                                List.of(losses),
                                leaves.arrays,
                                List.of(seed),
                                true,
                                false,
                                manager);
                rows.add(Leaves.flatten(g, manager));
            }
            NDArray matrix = NDArrays.stack(rows);
            matrix.attach(manager);
            NDScope.unregister(matrix);
            return new EmpiricalFisher(manager, matrix);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the per-example gradients as rows.
     *
     * @return G, N×d (owned by this operator)
     */
    public NDArray perExampleGradients() {
        return perExample;
    }

    /**
     * Returns the diagonal {@code (1/N)·Σ_n g_n²}.
     *
     * @param owner the manager that will own it
     * @return the diagonal, a vector of length d
     */
    public NDArray diagonal(NDManager owner) {
        NDArray d = perExample.square().mean(new int[] {0});
        d.attach(owner);
        return d;
    }

    @Override
    public long dimension() {
        return perExample.getShape().get(1);
    }

    @Override
    public NDArray zeros(NDManager owner) {
        return owner.zeros(
                new Shape(dimension()), perExample.getDataType(), perExample.getDevice());
    }

    @Override
    public NDArray apply(NDArray v) {
        if (v.getShape().dimension() != 1 || v.size() != dimension()) {
            throw new IllegalArgumentException(
                    "vector must be a 1-D vector of length "
                            + dimension()
                            + ", got shape "
                            + v.getShape());
        }
        try (NDScope temporaries = new NDScope()) {
            NDArray gv = perExample.matMul(v.reshape(dimension(), 1));
            NDArray result =
                    perExample
                            .transpose()
                            .matMul(gv)
                            .reshape(dimension())
                            .div(perExample.getShape().get(0));
            result.attach(v.getManager());
            NDScope.unregister(result);
            return result;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
