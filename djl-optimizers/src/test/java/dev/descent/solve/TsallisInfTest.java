package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TsallisInfTest {

    private static double sum(double[] p) {
        double s = 0;
        for (double v : p) {
            s += v;
        }
        return s;
    }

    /** Σp = 1 to 1e-12 and p strictly decreasing in K, early (K = 0) and late (K ~ t). */
    @Test
    void normalizerSumsToOneAndDecreasesInLoss() {
        double[][] losses = {
            new double[20],
            {0, 3, 1, 7, 2},
            RelaxTestData.linspace(40, 300, 20), // the case where the reference's start diverges
            {5000, 5001, 5003, 9000, 12000, 4800},
        };
        double[] etas = {2, 0.2, 2 / Math.sqrt(100), 2 / Math.sqrt(5000)};
        for (int c = 0; c < losses.length; c++) {
            double[] k = losses[c];
            double[] p = TsallisInf.distribution(k, 1, etas[c]);
            assertThat(sum(p)).as("case %d", c).isCloseTo(1, within(1e-12));
            for (int i = 0; i < k.length; i++) {
                for (int j = 0; j < k.length; j++) {
                    if (k[i] < k[j]) {
                        assertThat(p[i])
                                .as("case %d, K %s < %s", c, k[i], k[j])
                                .isGreaterThan(p[j]);
                    }
                }
            }
        }
        // equal losses: the closed form x = K/s − 2√K/η, p = 1/K
        double[] p = TsallisInf.distribution(new double[] {7, 7, 7, 7}, 2, 0.5);
        for (double v : p) {
            assertThat(v).isCloseTo(0.25, within(1e-14));
        }
    }

    /**
     * The reference's normalizer (x = −1, then 20 Newton steps x ← x − (Σp − 1)/(η Σp^{3/2}), as
     * learners/TsallisINF.m), re-derived here in float64, fails on K = linspace(40, 300, 20), s =
     * 1, t = 100 (η = 0.2): Σp(−1) &lt; 1, the first step jumps past the pole min K = 40, and the
     * iterate settles between poles, so Σp is far from 1 or the largest p is not on the arm of
     * least K. {@link TsallisInf#distribution} on the same state: Σp = 1 to 1e-12, largest p on arm
     * 0.
     */
    @Test
    void referenceNormalizerOvershootsWhereTheFixHolds() {
        double[] k = RelaxTestData.linspace(40, 300, 20);
        double eta = 2 / Math.sqrt(100);
        double x = -1;
        double[] reference = new double[k.length];
        double start = 0;
        for (double ki : k) {
            double g = eta * (ki - x);
            start += 4 / (g * g);
        }
        assertThat(start).as("Σp at the reference's start").isLessThan(1);
        boolean pastPole = false;
        for (int step = 0; step < 20; step++) {
            double s1 = 0;
            double s15 = 0;
            for (int i = 0; i < k.length; i++) {
                double g = eta * (k[i] - x);
                reference[i] = 4 / (g * g);
                s1 += reference[i];
                s15 += Math.pow(reference[i], 1.5);
            }
            x -= (s1 - 1) / (eta * s15);
            pastPole |= x > k[0];
        }
        for (int i = 0; i < k.length; i++) {
            double g = eta * (k[i] - x);
            reference[i] = 4 / (g * g);
        }
        assertThat(pastPole).as("a Newton iterate beyond the pole min K = 40").isTrue();
        boolean wrongSum = Math.abs(sum(reference) - 1) > 1e-3;
        boolean wrongArm = argmax(reference) != 0;
        assertThat(wrongSum || wrongArm)
                .as("reference Σp = %s, argmax %d", sum(reference), argmax(reference))
                .isTrue();
        double[] fixed = TsallisInf.distribution(k, 1, eta);
        assertThat(sum(fixed)).isCloseTo(1, within(1e-12));
        assertThat(argmax(fixed)).isZero();
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Arms with mean costs 60, 40, 25, 45, 80 (± 5): the draws concentrate on arm 2. */
    @Test
    void concentratesOnTheBestArmOfAStochasticBandit() {
        double[] means = {60, 40, 25, 45, 80};
        TsallisInf learner = new TsallisInf(means.length, 7);
        SplittableRandom noise = new SplittableRandom(11);
        int rounds = 4000;
        int lateBest = 0;
        for (int t = 0; t < rounds; t++) {
            int arm = learner.select();
            learner.update(means[arm] + noise.nextInt(-5, 6));
            if (t >= rounds - 1000 && arm == 2) {
                lateBest++;
            }
        }
        assertThat(lateBest).isGreaterThan(800);
        double[] p = learner.probabilities();
        for (int i = 0; i < p.length; i++) {
            if (i != 2) {
                assertThat(p[2]).isGreaterThan(p[i]);
            }
        }
    }

    /** E over the draw of the increment of K equals ℓ − 1 for every arm, computed exactly. */
    @Test
    void importanceWeightedLossesAreUnbiased() {
        double[] costs = {12, 30, 7, 19};
        double[] warmU = {0.1, 0.7, 0.4, 0.95, 0.2, 0.55};
        double[] warmCost = {20, 5, 33, 8, 14, 3};
        TsallisInf probe = replay(costs.length, warmU, warmCost);
        double[] p = probe.probabilities();
        double[] before = probe.cumulativeLosses();
        double[] expected = new double[costs.length];
        double lower = 0;
        for (int j = 0; j < costs.length; j++) {
            TsallisInf copy = replay(costs.length, warmU, warmCost);
            assertThat(copy.selectWith(lower + p[j] / 2)).isEqualTo(j);
            copy.update(costs[j]);
            double[] after = copy.cumulativeLosses();
            for (int i = 0; i < costs.length; i++) {
                expected[i] += p[j] * (after[i] - before[i]);
            }
            lower += p[j];
        }
        for (int i = 0; i < costs.length; i++) {
            assertThat(expected[i]).isCloseTo(costs[i] - 1, within(1e-10 * costs[i]));
        }
    }

    private static TsallisInf replay(int arms, double[] u, double[] cost) {
        TsallisInf learner = new TsallisInf(arms, new SplittableRandom(0));
        for (int t = 0; t < u.length; t++) {
            learner.selectWith(u[t]);
            learner.update(cost[t]);
        }
        return learner;
    }

    @Test
    void sameSeedSamePicks() {
        TsallisInf a = new TsallisInf(6, 42);
        TsallisInf b = new TsallisInf(6, 42);
        for (int t = 0; t < 200; t++) {
            int i = a.select();
            assertThat(b.select()).isEqualTo(i);
            a.update(1 + 3 * i);
            b.update(1 + 3 * i);
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new TsallisInf(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arm set must not be empty");
        TsallisInf learner = new TsallisInf(3, 1);
        assertThatThrownBy(() -> learner.update(5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a select");
        assertThatThrownBy(() -> learner.select(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context must be finite, got NaN");
        learner.select();
        assertThatThrownBy(learner::select).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> learner.update(0.5))
                .hasMessageContaining("cost must be finite and >= 1")
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> learner.update(Double.NaN)).hasMessageContaining("NaN");
    }
}
