package dev.descent.surrogate;

import java.util.Random;

/** Small problems over test surrogates. */
public final class TestProblems {

    private TestProblems() {}

    /**
     * Target matching on a tanh MLP 4 → 8 → 2 (weights from seed 7): maximize f(y) = −‖y − y*‖²
     * with y* = Φ(x*) for an interior x*, over [−1, 1]⁴ from a start drawn by the seed. The maximum
     * is 0.
     */
    public static SurrogateProblem targetMatching(long seed) {
        MlpSurrogate phi = MlpSurrogate.random(7, 4, 8, 2);
        double[] target = phi.evaluate(new double[][] {{0.3, -0.4, 0.5, 0.1}})[0];
        phi = MlpSurrogate.random(7, 4, 8, 2);
        Random random = new Random(seed);
        double[] start = new double[4];
        for (int i = 0; i < 4; i++) {
            start[i] = 2 * random.nextDouble() - 1;
        }
        double[] t = target;
        return SurrogateProblem.builder(phi)
                .setStart(start)
                .setObjective(
                        OutputFunction.of(
                                y ->
                                        -((y[0] - t[0]) * (y[0] - t[0])
                                                + (y[1] - t[1]) * (y[1] - t[1])),
                                y -> new double[] {-2 * (y[0] - t[0]), -2 * (y[1] - t[1])}))
                .optBounds(new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1})
                .optInitialRadius(0.2)
                .build();
    }
}
