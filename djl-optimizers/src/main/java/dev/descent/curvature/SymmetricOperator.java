package dev.descent.curvature;

import ai.djl.ndarray.NDArray;

/**
 * A symmetric linear operator on flat vectors, such as a Hessian, a Gauss–Newton matrix or a Fisher
 * matrix, known only through its products with vectors.
 */
public interface SymmetricOperator {

    /**
     * Returns the dimension d of the vectors the operator acts on.
     *
     * @return d
     */
    long dimension();

    /**
     * Returns {@code A·v}.
     *
     * @param v a 1-D vector of length {@link #dimension()} (not modified)
     * @return {@code A·v}, a new 1-D array owned by {@code v}'s manager
     */
    NDArray apply(NDArray v);

    /**
     * Returns a new vector of the operator's dimension, data type and device, filled with zeros,
     * owned by the given manager; estimators draw their probe vectors in its image.
     *
     * @param manager the manager that will own it
     * @return the zero vector
     */
    NDArray zeros(ai.djl.ndarray.NDManager manager);
}
