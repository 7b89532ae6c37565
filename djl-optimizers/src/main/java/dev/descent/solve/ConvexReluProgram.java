package dev.descent.solve;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The convex training program of a two-layer ReLU network with squared loss (Pilanci and Ergen,
 * ICML 2020, arXiv 2002.10553), over sampled activation patterns as in Bai, Gautam and Sojoudi
 * (SIMODS 2022, arXiv 2201.01965):
 *
 * <pre>
 * minimize   ½‖Σᵢ Dᵢ X (vᵢ − wᵢ) − y‖² + β Σᵢ (‖vᵢ‖ + ‖wᵢ‖)
 * subject to (2Dᵢ − I) X vᵢ ≥ 0,  (2Dᵢ − I) X wᵢ ≥ 0,   i = 1 .. P
 * </pre>
 *
 * with {@code X} the n × d data (a column of ones appended when {@code bias} is set, so that the
 * hidden layer has a bias), {@code Dᵢ = diag(1[X hᵢ ≥ 0])} for Gaussian generators {@code hᵢ ~ N(0,
 * I_d)} drawn from a seeded {@link Random}, and {@code β > 0}. The cone constraints make {@code Dᵢ
 * X vᵢ = (X vᵢ)₊}, so a feasible point is a ReLU network with 2P neurons and the program's value is
 * the regularized training loss of that network (see {@link ConvexReluNetwork}).
 *
 * <p>Sampling follows the first author's baseline (Bai-YT/Convex-NN-Training) and the ADMM
 * re-implementation zachary-shah/admmNN: draw {@code h}, keep the pattern if it is new, draw again
 * until {@code samples} distinct patterns are held. Deviations: the all-zero pattern ({@code X h ≤
 * 0} on every row, which adds nothing to the fit) is not kept, and the draws stop after {@value
 * #DRAWS_PER_SAMPLE}·samples attempts (the reference loops until it has them all, which never ends
 * when fewer patterns exist), so {@link #patterns()} may be below the number asked for. Each kept
 * pattern keeps the generator that first produced it: {@code (2Dᵢ − I) X hᵢ = |X hᵢ| ≥ 0}, a point
 * of the cone.
 *
 * <p>Instances are immutable; arrays handed out are copies.
 */
public final class ConvexReluProgram {

    /** Draws allowed per requested pattern before sampling gives up. */
    public static final int DRAWS_PER_SAMPLE = 10;

    private final double[][] x;
    private final double[] y;
    private final double beta;
    private final boolean bias;
    private final boolean[][] masks;
    private final double[][] generators;

    private ConvexReluProgram(
            double[][] x,
            double[] y,
            double beta,
            boolean bias,
            List<boolean[]> masks,
            List<double[]> gens) {
        this.x = x;
        this.y = y;
        this.beta = beta;
        this.bias = bias;
        this.masks = masks.toArray(new boolean[0][]);
        this.generators = gens.toArray(new double[0][]);
    }

    /**
     * Samples the activation patterns and builds the program.
     *
     * @param features n × p training inputs (not modified), n ≥ 1, p ≥ 1, finite
     * @param targets n training targets (not modified), finite
     * @param beta the group-lasso weight β, finite and &gt; 0
     * @param samples distinct patterns to draw, ≥ 1
     * @param seed seed of the generators' {@link Random}
     * @param bias whether to append a column of ones to the inputs (the reference's default)
     * @return the program
     * @throws IllegalArgumentException naming the argument that is out of range, ragged or not
     *     finite
     */
    public static ConvexReluProgram sample(
            double[][] features,
            double[] targets,
            double beta,
            int samples,
            long seed,
            boolean bias) {
        double[][] x = checkedData(features, bias);
        if (targets == null || targets.length != x.length) {
            throw new IllegalArgumentException(
                    "targets must have one entry per row of features ("
                            + x.length
                            + "), got "
                            + (targets == null ? "null" : targets.length));
        }
        for (int r = 0; r < targets.length; r++) {
            if (!Double.isFinite(targets[r])) {
                throw new IllegalArgumentException(
                        "targets[" + r + "] must be finite, got " + targets[r]);
            }
        }
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        int n = x.length;
        int d = x[0].length;
        Random random = new Random(seed);
        Map<BitSet, double[]> found = new LinkedHashMap<>();
        long draws = (long) DRAWS_PER_SAMPLE * samples;
        for (long k = 0; k < draws && found.size() < samples; k++) {
            double[] h = new double[d];
            for (int j = 0; j < d; j++) {
                h[j] = random.nextGaussian();
            }
            BitSet pattern = new BitSet(n);
            for (int r = 0; r < n; r++) {
                if (dot(x[r], h) >= 0) {
                    pattern.set(r);
                }
            }
            if (!pattern.isEmpty()) {
                found.putIfAbsent(pattern, h);
            }
        }
        List<boolean[]> masks = new ArrayList<>();
        List<double[]> gens = new ArrayList<>();
        for (Map.Entry<BitSet, double[]> e : found.entrySet()) {
            boolean[] mask = new boolean[n];
            for (int r = 0; r < n; r++) {
                mask[r] = e.getKey().get(r);
            }
            masks.add(mask);
            gens.add(e.getValue());
        }
        return new ConvexReluProgram(x, targets.clone(), beta, bias, masks, gens);
    }

    /**
     * The data matrix the program uses: the features, finite-checked, with a column of ones
     * appended when {@code bias} is set.
     *
     * @param features n × p inputs (not modified)
     * @param bias whether to append the ones column
     * @return a new n × (p or p + 1) array
     * @throws IllegalArgumentException when the features are empty, ragged or not finite
     */
    public static double[][] checkedData(double[][] features, boolean bias) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must have at least one row");
        }
        int p = features[0] == null ? 0 : features[0].length;
        if (p == 0) {
            throw new IllegalArgumentException("features must have at least one column");
        }
        double[][] x = new double[features.length][];
        for (int r = 0; r < features.length; r++) {
            if (features[r] == null || features[r].length != p) {
                throw new IllegalArgumentException(
                        "features must be rectangular: row 0 has "
                                + p
                                + " columns, row "
                                + r
                                + " has "
                                + (features[r] == null ? "none" : features[r].length));
            }
            x[r] = new double[bias ? p + 1 : p];
            for (int j = 0; j < p; j++) {
                double value = features[r][j];
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException(
                            "features[" + r + "][" + j + "] must be finite, got " + value);
                }
                x[r][j] = value;
            }
            if (bias) {
                x[r][p] = 1;
            }
        }
        return x;
    }

    /** The number of samples n. */
    public int samples() {
        return x.length;
    }

    /** The columns d of the data matrix X (the features, plus one with a bias). */
    public int dimension() {
        return x[0].length;
    }

    /** The number of distinct patterns P that sampling found. */
    public int patterns() {
        return masks.length;
    }

    /** The group-lasso weight β. */
    public double beta() {
        return beta;
    }

    /** Whether X carries the appended ones column. */
    public boolean bias() {
        return bias;
    }

    /** Row {@code r} of X (a copy). */
    public double[] row(int r) {
        return x[r].clone();
    }

    /** The targets y (a copy). */
    public double[] targets() {
        return y.clone();
    }

    /** The diagonal of Dᵢ (a copy). */
    public boolean[] pattern(int i) {
        return masks[i].clone();
    }

    /** The generator hᵢ that first produced pattern i (a copy). */
    public double[] generator(int i) {
        return generators[i].clone();
    }

    /**
     * The model's outputs Σᵢ Dᵢ X (vᵢ − wᵢ).
     *
     * @param solution the variables, P × d each (not modified)
     * @return n predictions
     */
    public double[] predictions(ConvexReluSolution solution) {
        checkShape(solution);
        int n = x.length;
        double[] out = new double[n];
        for (int i = 0; i < masks.length; i++) {
            double[] vi = solution.v()[i];
            double[] wi = solution.w()[i];
            for (int r = 0; r < n; r++) {
                if (masks[i][r]) {
                    out[r] += dot(x[r], vi) - dot(x[r], wi);
                }
            }
        }
        return out;
    }

    /**
     * The objective ½‖Σᵢ Dᵢ X (vᵢ − wᵢ) − y‖² + β Σᵢ (‖vᵢ‖ + ‖wᵢ‖), whether or not the point is
     * feasible.
     *
     * @param solution the variables (not modified)
     * @return the objective value
     */
    public double objective(ConvexReluSolution solution) {
        double[] p = predictions(solution);
        double loss = 0;
        for (int r = 0; r < p.length; r++) {
            double e = p[r] - y[r];
            loss += e * e;
        }
        double penalty = 0;
        for (int i = 0; i < masks.length; i++) {
            penalty += norm(solution.v()[i]) + norm(solution.w()[i]);
        }
        return 0.5 * loss + beta * penalty;
    }

    /**
     * The largest violation of the cone constraints, max over i, rows r and both variables of
     * max(0, −[(2Dᵢ − I) X vᵢ]_r); zero at a feasible point.
     *
     * @param solution the variables (not modified)
     * @return the violation, ≥ 0
     */
    public double coneViolation(ConvexReluSolution solution) {
        checkShape(solution);
        double worst = 0;
        for (int i = 0; i < masks.length; i++) {
            for (double[] u : new double[][] {solution.v()[i], solution.w()[i]}) {
                for (int r = 0; r < x.length; r++) {
                    double g = masks[i][r] ? dot(x[r], u) : -dot(x[r], u);
                    worst = Math.max(worst, -g);
                }
            }
        }
        return worst;
    }

    /** X itself, for the solvers in this package (not to be modified). */
    double[][] data() {
        return x;
    }

    /** The targets, for the solvers in this package (not to be modified). */
    double[] targetsView() {
        return y;
    }

    /** The masks, for the solvers in this package (not to be modified). */
    boolean[][] masks() {
        return masks;
    }

    /** FᵀF, dense 2Pd × 2Pd: [[K, −K], [−K, K]] with K = MᵀM, M = [D₁X … D_PX] (n × Pd). */
    DMatrixRMaj lossGram() {
        int n = x.length;
        int d = x[0].length;
        int p = masks.length;
        int half = p * d;
        DMatrixRMaj m = new DMatrixRMaj(n, half);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < p; i++) {
                if (masks[i][r]) {
                    for (int j = 0; j < d; j++) {
                        m.unsafe_set(r, i * d + j, x[r][j]);
                    }
                }
            }
        }
        DMatrixRMaj k = new DMatrixRMaj(half, half);
        CommonOps_DDRM.multTransA(m, m, k);
        DMatrixRMaj out = new DMatrixRMaj(2 * half, 2 * half);
        for (int i = 0; i < half; i++) {
            for (int j = 0; j < half; j++) {
                double value = k.unsafe_get(i, j);
                out.unsafe_set(i, j, value);
                out.unsafe_set(i + half, j + half, value);
                out.unsafe_set(i, j + half, -value);
                out.unsafe_set(i + half, j, -value);
            }
        }
        return out;
    }

    void checkShape(ConvexReluSolution solution) {
        int p = masks.length;
        int d = x[0].length;
        if (solution.v().length != p || solution.w().length != p) {
            throw new IllegalArgumentException(
                    "solution must have "
                            + p
                            + " groups in v and w, got "
                            + solution.v().length
                            + " and "
                            + solution.w().length);
        }
        for (int i = 0; i < p; i++) {
            if (solution.v()[i].length != d || solution.w()[i].length != d) {
                throw new IllegalArgumentException(
                        "solution group " + i + " must have " + d + " entries in v and w");
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
