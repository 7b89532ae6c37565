package dev.descent.surrogate.mbo;

import java.util.List;

/**
 * One offline optimization run scored the Design-Bench way: an optimizer proposes designs from the
 * offline data, the task's oracle scores them, and the 100th, 80th and 50th percentiles of the
 * scores, normalized by the full sample's range, are reported with the surrogate's sharpness.
 */
public final class MboExperiment {

    private MboExperiment() {}

    /**
     * The result of one run.
     *
     * @param task the task's name
     * @param optimizer the optimizer's name
     * @param ignite whether the surrogates were trained with IGNITE
     * @param seed the run's seed
     * @param p100 the normalized best proposal
     * @param p80 the normalized 80th percentile of the proposals
     * @param p50 the normalized median proposal
     * @param sharpness rho·‖∇_β G‖ of the trained surrogate(s)
     * @param seconds the wall time of the run
     */
    public record Outcome(
            String task,
            String optimizer,
            boolean ignite,
            long seed,
            double p100,
            double p80,
            double p50,
            double sharpness,
            double seconds) {}

    /**
     * Mean and population standard deviation (numpy's default) of a quantity over seeds.
     *
     * @param mean the mean
     * @param std the standard deviation
     */
    public record Spread(double mean, double std) {

        /**
         * Summarizes values.
         *
         * @param values at least one value
         * @return the mean and standard deviation
         */
        public static Spread of(double[] values) {
            double mean = 0;
            for (double v : values) {
                mean += v / values.length;
            }
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Spread(mean, Math.sqrt(squares / values.length));
        }
    }

    /**
     * Runs an optimizer once and scores its proposals with the task's oracle.
     *
     * @param task the task (its oracle)
     * @param data the offline data drawn from it
     * @param optimizer the optimizer
     * @param training the surrogate training (with or without IGNITE)
     * @param count the number of proposals (Design-Bench: 128)
     * @param seed the seed of the run
     * @return the normalized percentiles and the sharpness
     */
    public static Outcome run(
            OfflineTask task,
            OfflineDataset data,
            OfflineOptimizer optimizer,
            SurrogateTraining training,
            int count,
            long seed) {
        long start = System.nanoTime();
        OfflineOptimizer.Proposal proposal = optimizer.propose(data, training, count, seed);
        double[] normalized = new double[proposal.designs().length];
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = data.normalize(task.score(proposal.designs()[i]));
        }
        return new Outcome(
                task.name(),
                optimizer.name(),
                training.regularized(),
                seed,
                Percentiles.of(normalized, 100),
                Percentiles.of(normalized, 80),
                Percentiles.of(normalized, 50),
                proposal.sharpness(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Summarizes one quantity over runs.
     *
     * @param outcomes the runs
     * @param quantity which value
     * @return its mean and standard deviation
     */
    public static Spread spread(
            List<Outcome> outcomes, java.util.function.ToDoubleFunction<Outcome> quantity) {
        return Spread.of(outcomes.stream().mapToDouble(quantity).toArray());
    }
}
