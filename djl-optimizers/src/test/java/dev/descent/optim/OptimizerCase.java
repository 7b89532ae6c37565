package dev.descent.optim;

import dev.descent.optim.ReferenceOptimizers.Reference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One entry of the optimizer registry that drives the shared tests.
 *
 * @param name a readable name, used as the test display name
 * @param lr the learning rate of the parity and checkpoint tests
 * @param builder the optimizer with its non-default hyper-parameters (the learning rate is set by
 *     the test)
 * @param reference the float64 re-derivation with the same hyper-parameters, for n elements
 * @param convergenceLr the learning rate for the quadratic, Rosenbrock and MLP tests
 */
record OptimizerCase(
        String name,
        double lr,
        Supplier<DescentOptimizer.Builder<?>> builder,
        IntFunction<Reference> reference,
        double convergenceLr) {

    DescentOptimizer<?> build(double learningRate) {
        return builder.get().optLearningRate(learningRate).build();
    }

    @Override
    public String toString() {
        return name;
    }
}
