package dev.descent.surrogate.bench;

import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.spec.ProblemSpec;
import java.util.function.Function;

/**
 * One problem of the benchmark set: a network, a problem declared over its outputs (the same {@link
 * ProblemSpec} a problem file gives the command line), and how its best value f* is known.
 *
 * @param name a short unique name
 * @param description what the problem is, in one line
 * @param network where the network comes from
 * @param spec the problem over the opened surrogate (a function because target-distance problems
 *     take their target from the network itself)
 * @param optimum how f* is known
 */
public record BenchmarkProblem(
        String name,
        String description,
        Network network,
        Function<Surrogate, ProblemSpec> spec,
        Optimum optimum) {

    /** How f* is known. */
    public enum Optimum {
        /**
         * Exactly 0: a target-distance objective −Σ(y_j − t_j)² whose target is the network's own
         * output at a point of the box, so the maximum 0 is attained there.
         */
        EXACT_ZERO,
        /** Estimated by {@link ReferenceOptimum} (multistart projected gradient ascent). */
        ESTIMATED
    }

    /** Starts of the reference-optimum estimate. */
    public static final int REFERENCE_STARTS = 64;

    /** Ascent steps per start of the reference-optimum estimate. */
    public static final int REFERENCE_STEPS = 200;

    /** Seed of the random starts of the reference-optimum estimate. */
    public static final long REFERENCE_SEED = 20261130L;

    /**
     * Opens the network and builds the problem over it.
     *
     * @return the open instance; close it to release the network
     */
    public Instance open() {
        OnnxModel model = network.open();
        Surrogate surrogate = null;
        try {
            surrogate = Surrogates.builder(model).build();
            SurrogateProblem problem = spec.apply(surrogate).toProblem(surrogate);
            return new Instance(this, model, surrogate, problem);
        } catch (RuntimeException e) {
            if (surrogate != null) {
                surrogate.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * An opened benchmark problem.
     *
     * @param definition the problem's definition
     * @param model the network, owned
     * @param surrogate Φ over the network, owned
     * @param problem the problem over Φ
     */
    public record Instance(
            BenchmarkProblem definition,
            OnnxModel model,
            Surrogate surrogate,
            SurrogateProblem problem)
            implements AutoCloseable {

        /**
         * Returns f*: 0 for {@link Optimum#EXACT_ZERO}, otherwise the {@link ReferenceOptimum}
         * estimate with {@value #REFERENCE_STARTS} starts and {@value #REFERENCE_STEPS} steps
         * (which evaluates Φ outside any solver's budget).
         *
         * @return f*
         */
        public double optimum() {
            return definition.optimum == Optimum.EXACT_ZERO
                    ? 0
                    : ReferenceOptimum.estimate(
                            problem, REFERENCE_STARTS, REFERENCE_STEPS, REFERENCE_SEED);
        }

        @Override
        public void close() {
            surrogate.close();
            model.close();
        }
    }
}
