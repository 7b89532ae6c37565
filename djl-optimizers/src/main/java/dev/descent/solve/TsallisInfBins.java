package dev.descent.solve;

import java.util.SplittableRandom;

/**
 * Tsallis-INF-CB: a contextual bandit that cuts the context range [low, high] into equal bins and
 * runs an independent {@link TsallisInf} in each (Khodak et al., <i>Learning to relax</i>, ICLR
 * 2024; {@code learners/TsallisINFCB.m} of mkhodak/learning-to-relax).
 *
 * <p>A context c goes to the bin whose centre low + (high − low)(j + ½)/bins is nearest, i.e. bin
 * ⌊bins (c − low)/(high − low)⌋ (the top edge joins the last bin). The reference uses 5 bins over
 * [−0.15, 0.65] for the shifted-Laplacian sequences and 6 over the diffusion range for the heat
 * equation. As in the reference (each bin's {@code TsallisINF} is its own object), every bin keeps
 * its own round counter t_j, so its step is η = 2/√t_j with t_j the rounds that bin has seen, its
 * own loss scale (the mean of its own costs − 1) and its own importance-weighted losses; nothing is
 * shared between bins. The offsets c = −0.15 + 0.6·Beta never exceed 0.45, so the top bin of the
 * reference's range stays empty; under the high-variance law the other four get 63%, 21%, 12% and
 * 4% of the instances, under the low-variance law 60%, 36% and 4% (and 0%), so each bin learns from
 * a fraction of T. Deviation: the reference sends a context outside the range to the nearest bin;
 * here it is an error, since it means the range given does not describe the contexts.
 */
public final class TsallisInfBins implements ArmLearner {

    private final TsallisInf[] bins;
    private final double low;
    private final double high;
    private final double width;
    private int active = -1;

    /**
     * A binned Tsallis-INF.
     *
     * @param arms K ≥ 1
     * @param bins number of bins ≥ 1
     * @param low lower end of the context range
     * @param high upper end, &gt; low
     * @param seed seed of the draws (each bin's learner gets its own split stream)
     * @throws IllegalArgumentException naming the argument out of range
     */
    public TsallisInfBins(int arms, int bins, double low, double high, long seed) {
        LearnerChecks.requireArms(arms);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        this.width = LearnerChecks.requireRange(low, high);
        this.low = low;
        this.high = high;
        this.bins = new TsallisInf[bins];
        SplittableRandom root = new SplittableRandom(seed);
        for (int j = 0; j < bins; j++) {
            this.bins[j] = new TsallisInf(arms, root.split());
        }
    }

    @Override
    public int arms() {
        return bins[0].arms();
    }

    /**
     * The bin a context falls in.
     *
     * @param context a context in [low, high]
     * @return its bin in [0, bins)
     */
    public int bin(double context) {
        LearnerChecks.requireInRange(context, low, high);
        return Math.min(bins.length - 1, (int) Math.floor(bins.length * (context - low) / width));
    }

    @Override
    public int select(double context) {
        int j = bin(context);
        if (active >= 0) {
            throw new IllegalStateException("Tsallis-INF-CB: update(cost) must follow each select");
        }
        int arm = bins[j].select();
        active = j;
        return arm;
    }

    @Override
    public void update(double cost) {
        if (active < 0) {
            throw new IllegalStateException("Tsallis-INF-CB: update(cost) without a select");
        }
        bins[active].update(cost);
        active = -1;
    }
}
