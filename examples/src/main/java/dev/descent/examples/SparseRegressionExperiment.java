package dev.descent.examples;

import dev.descent.solve.FeatureScreening;
import dev.descent.solve.LeastSquares;
import dev.descent.solve.Penalty;
import dev.descent.solve.ProximalConjugateGradient;
import dev.descent.solve.ProximalResult;
import dev.descent.solve.StandardizedDesign;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleFunction;

/**
 * The sparse-regression comparison of L1, SCAD and MCP: one seeded design per seed, a λ path fitted
 * by {@link ProximalConjugateGradient} with warm starts, λ chosen on an independent validation
 * sample, and the support recovery and coefficient error of the chosen fit.
 *
 * <p>Design: rows N(0, Σ) with AR(1) correlation {@code Σ_jk = rho^|j − k|}, columns standardized;
 * {@code s} nonzeros at columns {@code 0, p/s, 2p/s, …} with values {@code ±(1 + k/(s − 1))}
 * (alternating signs, magnitudes 1 … 2); noise N(0, σ²) with {@code σ² = Var(Xβ)/snr}; y centred.
 * The validation sample (n rows) comes from the same model and seed stream. Path: {@code
 * pathLength} values log-spaced from λ_max down to {@code 0.01·λ_max} (ncvreg's spacing; its lower
 * end is 0.05 for p &gt; n), the chosen λ minimizes the validation mean squared error. Optionally
 * the columns are screened first ({@link FeatureScreening}, top ⌊n / ln n⌋).
 */
final class SparseRegressionExperiment {

    /** The penalties compared, with their names in the report. */
    static final List<String> PENALTIES = List.of("L1", "SCAD", "MCP");

    /** Optional screening before the fit. */
    enum Screen {
        NONE,
        SIS,
        MI
    }

    /**
     * The settings of a run.
     *
     * @param n rows of the training (and validation) sample
     * @param p columns
     * @param s nonzeros
     * @param rho AR(1) correlation of neighbouring columns
     * @param snr signal-to-noise ratio Var(Xβ)/σ²
     * @param pathLength λ values on the path
     * @param screen screening before the fit
     */
    record Settings(int n, int p, int s, double rho, double snr, int pathLength, Screen screen) {}

    /**
     * The chosen fit of one penalty on one seed.
     *
     * @param seed the seed
     * @param penalty L1, SCAD or MCP
     * @param lambda the chosen λ
     * @param truePositives true nonzeros found
     * @param falsePositives nonzeros found outside the true support
     * @param error ‖β̂ − β‖₂
     * @param shrinkage mean over the true support of sign(β_j)(β̂_j − β_j): negative when the
     *     estimates are pulled towards 0 (the L1 bias)
     * @param screenedTrue true features kept by the screen (s without screening)
     * @param evaluations gradient evaluations over the whole path
     */
    record Fit(
            long seed,
            String penalty,
            double lambda,
            int truePositives,
            int falsePositives,
            double error,
            double shrinkage,
            int screenedTrue,
            long evaluations) {

        boolean exact(int s) {
            return truePositives == s && falsePositives == 0;
        }
    }

    private SparseRegressionExperiment() {}

    /**
     * Runs one seed: the design, the optional screen and the three penalties' paths.
     *
     * @param settings the settings
     * @param seed the seed
     * @return one fit per penalty, in {@link #PENALTIES} order
     */
    static List<Fit> run(Settings settings, long seed) {
        int n = settings.n();
        int p = settings.p();
        Random random = new Random(seed);
        double[][] train = correlatedRows(random, n, p, settings.rho());
        double[][] validation = correlatedRows(random, n, p, settings.rho());
        StandardizedDesign design = StandardizedDesign.of(train);
        double[] beta = new double[p];
        for (int k = 0; k < settings.s(); k++) {
            beta[k * (p / settings.s())] =
                    (k % 2 == 0 ? 1 : -1) * (1 + k / (double) Math.max(1, settings.s() - 1));
        }
        double[] signal = multiply(design.x(), beta);
        double sigma = Math.sqrt(variance(signal) / settings.snr());
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = signal[i] + sigma * random.nextGaussian();
        }
        double mean = mean(y);
        for (int i = 0; i < n; i++) {
            y[i] -= mean;
        }
        // validation rows in the training standardization, response from the same model
        double[][] xv = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                xv[i][j] = (validation[i][j] - design.means()[j]) / design.scales()[j];
            }
        }
        double[] yv = multiply(xv, beta);
        for (int i = 0; i < n; i++) {
            yv[i] += sigma * random.nextGaussian() - mean;
        }
        int[] kept = screen(settings, design.x(), y, seed);
        int screenedTrue = 0;
        for (int j : kept) {
            screenedTrue += beta[j] != 0 ? 1 : 0;
        }
        double[][] x = columns(design.x(), kept);
        double[][] xvKept = columns(xv, kept);
        LeastSquares loss = LeastSquares.of(x, y);
        double lambdaMax = loss.lambdaMax();
        List<Fit> fits = new ArrayList<>();
        List<DoubleFunction<Penalty>> kinds = List.of(Penalty::l1, Penalty::scad, Penalty::mcp);
        ProximalConjugateGradient solver =
                ProximalConjugateGradient.builder().optTolerance(1e-8).build();
        for (int k = 0; k < kinds.size(); k++) {
            double[] start = new double[kept.length];
            double bestError = Double.POSITIVE_INFINITY;
            double[] best = start;
            double bestLambda = lambdaMax;
            long evaluations = 0;
            for (int l = 0; l < settings.pathLength(); l++) {
                double lambda =
                        lambdaMax * Math.pow(0.01, l / (double) (settings.pathLength() - 1));
                ProximalResult r = solver.minimize(loss, kinds.get(k).apply(lambda), start);
                evaluations += r.gradientEvaluations();
                start = r.solution();
                double[] prediction = multiply(xvKept, start);
                double mse = 0;
                for (int i = 0; i < n; i++) {
                    mse += (yv[i] - prediction[i]) * (yv[i] - prediction[i]);
                }
                if (mse < bestError) {
                    bestError = mse;
                    best = start;
                    bestLambda = lambda;
                }
            }
            double[] full = new double[p];
            for (int j = 0; j < kept.length; j++) {
                full[kept[j]] = best[j];
            }
            fits.add(
                    score(
                            seed,
                            PENALTIES.get(k),
                            bestLambda,
                            full,
                            beta,
                            screenedTrue,
                            evaluations));
        }
        return fits;
    }

    private static int[] screen(Settings settings, double[][] x, double[] y, long seed) {
        int d = FeatureScreening.defaultSize(settings.n());
        return switch (settings.screen()) {
            case NONE -> java.util.stream.IntStream.range(0, settings.p()).toArray();
            case SIS -> FeatureScreening.sureIndependence(x, y).top(Math.min(d, settings.p()));
            case MI ->
                    FeatureScreening.mutualInformation(x, y, 3, seed)
                            .top(Math.min(d, settings.p()));
        };
    }

    private static Fit score(
            long seed,
            String penalty,
            double lambda,
            double[] estimate,
            double[] beta,
            int screenedTrue,
            long evaluations) {
        int tp = 0;
        int fp = 0;
        double squared = 0;
        double shrinkage = 0;
        int s = 0;
        for (int j = 0; j < beta.length; j++) {
            double d = estimate[j] - beta[j];
            squared += d * d;
            if (beta[j] != 0) {
                s++;
                tp += estimate[j] != 0 ? 1 : 0;
                shrinkage += Math.signum(beta[j]) * d;
            } else if (estimate[j] != 0) {
                fp++;
            }
        }
        return new Fit(
                seed,
                penalty,
                lambda,
                tp,
                fp,
                Math.sqrt(squared),
                shrinkage / s,
                screenedTrue,
                evaluations);
    }

    /** n rows of an AR(1) process across the columns: x_j = rho·x_{j−1} + sqrt(1 − rho²)·e. */
    private static double[][] correlatedRows(Random random, int n, int p, double rho) {
        double[][] x = new double[n][p];
        double c = Math.sqrt(1 - rho * rho);
        for (int i = 0; i < n; i++) {
            double previous = random.nextGaussian();
            x[i][0] = previous;
            for (int j = 1; j < p; j++) {
                previous = rho * previous + c * random.nextGaussian();
                x[i][j] = previous;
            }
        }
        return x;
    }

    private static double[][] columns(double[][] x, int[] kept) {
        double[][] out = new double[x.length][kept.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < kept.length; j++) {
                out[i][j] = x[i][kept[j]];
            }
        }
        return out;
    }

    private static double[] multiply(double[][] x, double[] beta) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < beta.length; j++) {
                s += x[i][j] * beta[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return s / v.length;
    }
}
