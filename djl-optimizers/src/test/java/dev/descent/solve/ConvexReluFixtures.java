package dev.descent.solve;

import java.util.Random;

/** Small seeded regression sets for the convex ReLU tests. */
final class ConvexReluFixtures {

    /** The reference's β. */
    static final double BETA = 1e-3;

    private ConvexReluFixtures() {}

    /**
     * n points x uniform in [−1, 1]^dim, y = sin(3 Σ x) + 0.1 N(0, 1).
     *
     * @return {features, targets as a one-column array}
     */
    static double[][][] sine(int n, int dim, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[n][dim];
        double[][] y = new double[n][1];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int j = 0; j < dim; j++) {
                x[r][j] = 2 * random.nextDouble() - 1;
                sum += x[r][j];
            }
            y[r][0] = Math.sin(3 * sum) + 0.1 * random.nextGaussian();
        }
        return new double[][][] {x, y};
    }

    static double[] column(double[][] y) {
        double[] out = new double[y.length];
        for (int r = 0; r < y.length; r++) {
            out[r] = y[r][0];
        }
        return out;
    }

    /** The 1-D problem: n = 30, 60 patterns asked (48 found), bias. */
    static ConvexReluProgram oneDimensional() {
        double[][][] data = sine(30, 1, 1);
        return ConvexReluProgram.sample(data[0], column(data[1]), BETA, 60, 7, true);
    }

    /** The 2-D problem: n = 30, 60 patterns, bias. */
    static ConvexReluProgram twoDimensional() {
        double[][][] data = sine(30, 2, 1);
        return ConvexReluProgram.sample(data[0], column(data[1]), BETA, 60, 7, true);
    }

    static double[][] features(ConvexReluProgram program) {
        int p = program.bias() ? program.dimension() - 1 : program.dimension();
        double[][] out = new double[program.samples()][p];
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(program.row(r), 0, out[r], 0, p);
        }
        return out;
    }
}
