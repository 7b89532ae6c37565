package dev.descent.solve;

import java.util.Random;

/** Seeded sparse regression designs for the solver and screening tests. */
final class SparseDesigns {

    private SparseDesigns() {}

    /** A design, its response and the true coefficients. */
    record Problem(double[][] x, double[] y, double[] beta) {}

    /**
     * Rows with AR(1) correlation {@code rho^|j − k|} between columns, standardized; {@code s}
     * nonzeros of ±(1 … 2) at evenly spaced columns; noise N(0, sigma²).
     */
    static Problem ar1(int n, int p, int s, double rho, double sigma, long seed) {
        Random random = new Random(seed);
        double[][] raw = new double[n][p];
        for (int i = 0; i < n; i++) {
            double previous = random.nextGaussian();
            raw[i][0] = previous;
            for (int j = 1; j < p; j++) {
                previous = rho * previous + Math.sqrt(1 - rho * rho) * random.nextGaussian();
                raw[i][j] = previous;
            }
        }
        double[][] x = StandardizedDesign.of(raw).x();
        double[] beta = new double[p];
        for (int k = 0; k < s; k++) {
            beta[k * (p / s)] = (k % 2 == 0 ? 1 : -1) * (1 + k / (double) Math.max(1, s - 1));
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int j = 0; j < p; j++) {
                fit += x[i][j] * beta[j];
            }
            y[i] = fit + sigma * random.nextGaussian();
        }
        return new Problem(x, y, beta);
    }

    /**
     * Cyclic coordinate descent for {@code ‖y − Xβ‖²/(2n) + Σ p(β_j)} on standardized columns, with
     * the coordinate minimizers written out from ncvreg's gaussian.c (not {@code Penalty}'s prox),
     * until {@code max |Δβ_j| < 1e-12}; warm-started from {@code start}.
     *
     * @param kind "l1", "scad" (a = 3.7) or "mcp" (gamma = 3)
     */
    static double[] coordinateDescent(
            double[][] x, double[] y, String kind, double lambda, double[] start) {
        int n = x.length;
        int p = x[0].length;
        double[] beta = start.clone();
        double[] r = y.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                r[i] -= x[i][j] * beta[j];
            }
        }
        for (int sweep = 0; sweep < 200_000; sweep++) {
            double largest = 0;
            for (int j = 0; j < p; j++) {
                double z = beta[j];
                for (int i = 0; i < n; i++) {
                    z += x[i][j] * r[i] / n;
                }
                double b = update(kind, z, lambda);
                double d = b - beta[j];
                if (d != 0) {
                    for (int i = 0; i < n; i++) {
                        r[i] -= d * x[i][j];
                    }
                    beta[j] = b;
                    largest = Math.max(largest, Math.abs(d));
                }
            }
            if (largest < 1e-12) {
                return beta;
            }
        }
        throw new AssertionError("coordinate descent did not converge");
    }

    private static double update(String kind, double z, double lambda) {
        double u = Math.abs(z);
        double soft = Math.signum(z) * Math.max(u - lambda, 0);
        return switch (kind) {
            case "l1" -> soft;
            case "mcp" -> u <= 3 * lambda ? soft / (1 - 1 / 3.0) : z;
            case "scad" ->
                    u <= 2 * lambda
                            ? soft
                            : u <= 3.7 * lambda
                                    ? Math.signum(z)
                                            * Math.max(u - 3.7 * lambda / 2.7, 0)
                                            / (1 - 1 / 2.7)
                                    : z;
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
