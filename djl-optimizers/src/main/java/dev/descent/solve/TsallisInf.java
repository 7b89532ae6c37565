package dev.descent.solve;

import java.util.SplittableRandom;

/**
 * Tsallis-INF (the ½-Tsallis-entropy online mirror descent bandit of Zimmert and Seldin) as the
 * Learning-to-Relax reference uses it to pick SOR's ω across a sequence of linear systems (Khodak,
 * Chow, Balcan, Talwalkar, <i>Learning to relax</i>, ICLR 2024; {@code learners/TsallisINF.m} of
 * mkhodak/learning-to-relax).
 *
 * <p>Round t = 1, 2, …, with K arms, importance-weighted cumulative losses {@code cumulative[i]}
 * (K_i, all 0 at first) and the loss scale s:
 *
 * <pre>
 * η = 2 / √t
 * p_i = 4 (η (K_i / s − x))⁻²,  the normalizer x &lt; min_i K_i / s solving Σ_i p_i = 1
 *        by Newton steps x ← x − (Σ p_i − 1) / (η Σ p_i^{3/2})
 * draw the arm I ~ p, observe its cost ℓ (an iteration count, ≥ 1)
 * K_I ← K_I + (ℓ − 1) / p_I      (an unbiased estimate of every arm's loss ℓ_i − 1)
 * s ← mean of the costs so far − 1
 * </pre>
 *
 * <p>Defaults and deviations from the reference: the reference starts Newton at x = −1 and takes 20
 * steps. Σp is convex and increasing in x left of the pole min K_i / s, so from a start where Σp
 * &lt; 1 (once the K_i / s exceed about 2√K / η, after a few dozen rounds) the first Newton step
 * jumps past the pole and the iteration settles between poles (TsallisInfTest re-derives the
 * reference's 20 steps on K = linspace(40, 300, 20), t = 100: an iterate passes the pole and the
 * result is not a distribution favouring the least K). Here the 20 steps start at x = −1 when
 * Σp(−1) ≥ 1 (the reference's start, where it is correct) and otherwise at x = min K_i / s − 2 / η,
 * where the smallest p is 1, so Newton descends to the root monotonically from the right; the draw
 * uses p / Σp. When every cost so far is 1 (s = 0) the scale stays 1 instead of dividing by 0.
 */
public final class TsallisInf implements ArmLearner {

    /** Newton steps on the normalizer, as in the reference. */
    public static final int NEWTON_STEPS = 20;

    private final double[] cumulative;
    private final SplittableRandom random;
    private int round = 1;
    private double scale = 1;
    private double costSum;
    private int picked = -1;
    private double pickedProbability;

    /**
     * A Tsallis-INF learner.
     *
     * @param arms K ≥ 1
     * @param seed seed of the arm draws (the same seed gives the same picks for the same costs)
     * @throws IllegalArgumentException when there are no arms
     */
    public TsallisInf(int arms, long seed) {
        this(arms, new SplittableRandom(seed));
    }

    TsallisInf(int arms, SplittableRandom random) {
        LearnerChecks.requireArms(arms);
        this.cumulative = new double[arms];
        this.random = random;
    }

    @Override
    public int arms() {
        return cumulative.length;
    }

    /** Picks an arm; the context is not used (it must still be finite). */
    @Override
    public int select(double context) {
        LearnerChecks.requireFiniteContext(context);
        return select();
    }

    /**
     * Picks an arm.
     *
     * @return the arm's index
     * @throws IllegalStateException when the previous pick has not been told its cost
     */
    public int select() {
        return selectWith(random.nextDouble());
    }

    /**
     * {@link #select()} with the uniform draw u ∈ [0, 1) given (the arm whose share of p holds u).
     */
    int selectWith(double u) {
        if (picked >= 0) {
            throw new IllegalStateException("Tsallis-INF: update(cost) must follow each select");
        }
        double[] p = probabilities();
        picked = LearnerChecks.sample(p, u);
        pickedProbability = p[picked];
        return picked;
    }

    @Override
    public void update(double cost) {
        LearnerChecks.requireCost(cost);
        if (picked < 0) {
            throw new IllegalStateException("Tsallis-INF: update(cost) without a select");
        }
        cumulative[picked] += (cost - 1) / pickedProbability;
        costSum += cost;
        double s = costSum / round - 1;
        scale = s > 0 ? s : 1;
        round++;
        picked = -1;
    }

    /** The importance-weighted cumulative losses K_i (a copy). */
    double[] cumulativeLosses() {
        return cumulative.clone();
    }

    /** The distribution of the next pick, p / Σp (a new array). */
    public double[] probabilities() {
        double eta = 2 / Math.sqrt(round);
        double[] p = distribution(cumulative, scale, eta);
        double total = 0;
        for (double v : p) {
            total += v;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /**
     * p_i = 4 (η (K_i / s − x))⁻² at the normalizer x after {@link #NEWTON_STEPS} Newton steps (not
     * renormalized, so Σp − 1 shows how well Newton converged).
     *
     * @param cumulative K_i ≥ 0, not modified
     * @param scale s &gt; 0
     * @param eta η &gt; 0
     * @return p
     */
    static double[] distribution(double[] cumulative, double scale, double eta) {
        double[] u = new double[cumulative.length];
        double least = Double.POSITIVE_INFINITY;
        for (int i = 0; i < u.length; i++) {
            u[i] = cumulative[i] / scale;
            least = Math.min(least, u[i]);
        }
        double x = -1;
        if (sum(u, x, eta, 1) < 1) {
            x = least - 2 / eta;
        }
        for (int step = 0; step < NEWTON_STEPS; step++) {
            double f = sum(u, x, eta, 1) - 1;
            double slope = eta * sum(u, x, eta, 1.5);
            double next = x - f / slope;
            if (next == x) {
                break;
            }
            x = next;
        }
        double[] p = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            double g = eta * (u[i] - x);
            p[i] = 4 / (g * g);
        }
        return p;
    }

    /** Σ_i p_i^power for p_i = 4 (η (u_i − x))⁻². */
    private static double sum(double[] u, double x, double eta, double power) {
        double s = 0;
        for (double ui : u) {
            double g = eta * (ui - x);
            double p = 4 / (g * g);
            s += power == 1 ? p : Math.pow(p, power);
        }
        return s;
    }
}
