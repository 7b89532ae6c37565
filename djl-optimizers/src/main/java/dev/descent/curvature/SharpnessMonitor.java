package dev.descent.curvature;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A training listener that tracks the sharpness of the loss against the linear-stability thresholds
 * of gradient descent and SGD.
 *
 * <p>Every {@code interval} training batches, at the weights of that moment, it builds the exact
 * Hessian {@code H} of {@code loss(labels, block(inputs))} with respect to the block's trainable
 * parameters on a <em>fixed monitoring batch</em> given at construction ({@link
 * HessianVectorProduct#ofParameters(Block, Loss, NDList, NDList)}, closed after use), and records
 *
 * <ul>
 *   <li>{@code lambdaMax}: the top eigenvalue of H, by Lanczos with full reorthogonalization
 *       ({@link Eigenvalues#lanczos}, the largest Ritz value of {@code lanczosSteps} steps;
 *       default) or by power iteration ({@link Eigenvalues#power}, k = 1: the eigenvalue largest in
 *       <em>magnitude</em>, which is λ_max only while H has no negative eigenvalue larger in
 *       magnitude);
 *   <li>{@code trace}: Tr(H) by Hutchinson's estimator ({@link Hutchinson#trace}), with its
 *       standard error;
 *   <li>{@code threshold = 2/η}, with η the learning rate of the update that follows ({@link
 *       Tracker#getNewValue(int)} at update number {@code step + 1}, DJL's counting from 1).
 * </ul>
 *
 * <p>Wu and Su (ICML 2023, arXiv:2305.17490) show that a minimum is linearly stable for gradient
 * descent with step η only if {@code λ_max(H) ≤ 2/η}, and (roughly, batch-size dependent) for SGD
 * only if {@code Tr(H) ≤ 2/η}. Cohen et al. (ICLR 2021, arXiv:2103.00065) observed that full-batch
 * GD drives λ_max up to 2/η and then hovers there ("edge of stability"); plotting the records makes
 * this visible.
 *
 * <p>{@code step} is the number of optimizer updates applied before the measurement: DJL's {@code
 * EasyTrain} calls {@link #onTrainingBatch} after the backward pass and before {@code
 * trainer.step()}, so the k-th call (counted from 0) sees the weights after k updates, and records
 * are taken at steps 0, interval, 2·interval, … A custom loop can call {@link #onTrainingBatch}
 * (the batch data is not used) or {@link #measure(Block, long)} directly.
 *
 * <p>Every measurement uses the same seed for its random start and probe vectors (common random
 * numbers), so that the change between records reflects the weights, not the probes. The monitoring
 * batch is not copied: it must stay open, unchanged, in the data type and on the device of the
 * parameters while the monitor is used. Records are kept in memory; {@link #writeCsv} writes them.
 *
 * <p>Cost per record: one forward and backward pass with the graph kept, plus {@code lanczosSteps}
 * (or up to {@code powerIterations}) Hessian-vector products, plus up to {@code traceSamples}.
 */
public final class SharpnessMonitor extends TrainingListenerAdapter {

    /** The columns of {@link #writeCsv}, in order. */
    public static final String CSV_HEADER =
            "step,lambda_max,eigen_iterations,trace,trace_standard_error,trace_samples,"
                    + "learning_rate,threshold,loss";

    /** How λ_max is computed. */
    public enum EigenMethod {
        /** The largest Ritz value of a Lanczos run with full reorthogonalization. */
        LANCZOS,
        /** Power iteration (largest magnitude), PyHessian's practice. */
        POWER
    }

    /**
     * One measurement.
     *
     * @param step the number of optimizer updates applied before it
     * @param lambdaMax the estimated top eigenvalue of the Hessian
     * @param eigenIterations the Hessian-vector products spent on it (Lanczos steps or power
     *     iterations)
     * @param trace the Hutchinson estimate of Tr(H)
     * @param traceStandardError its standard error (NaN with one sample)
     * @param traceSamples the probes drawn
     * @param learningRate η of the update that follows
     * @param threshold 2/η, the stability bound of both λ_max (GD) and Tr(H) (SGD)
     * @param loss the loss on the monitoring batch
     */
    public record Sharpness(
            long step,
            double lambdaMax,
            int eigenIterations,
            double trace,
            double traceStandardError,
            int traceSamples,
            double learningRate,
            double threshold,
            double loss) {

        /**
         * Returns whether gradient descent's condition {@code λ_max ≤ 2/η} holds.
         *
         * @return {@code lambdaMax <= threshold}
         */
        public boolean gdStable() {
            return lambdaMax <= threshold;
        }

        /**
         * Returns whether SGD's condition {@code Tr(H) ≤ 2/η} holds.
         *
         * @return {@code trace <= threshold}
         */
        public boolean sgdStable() {
            return trace <= threshold;
        }

        String csvRow() {
            return String.format(
                    Locale.ROOT,
                    "%d,%.9g,%d,%.9g,%.9g,%d,%.9g,%.9g,%.9g",
                    step,
                    lambdaMax,
                    eigenIterations,
                    trace,
                    traceStandardError,
                    traceSamples,
                    learningRate,
                    threshold,
                    loss);
        }
    }

    private final NDList inputs;
    private final NDList labels;
    private final Loss loss;
    private final Tracker learningRate;
    private final int interval;
    private final EigenMethod eigenMethod;
    private final int lanczosSteps;
    private final int powerIterations;
    private final double powerTolerance;
    private final int traceSamples;
    private final double traceTolerance;
    private final long seed;
    private final List<Sharpness> records = new ArrayList<>();
    private long batches;

    private SharpnessMonitor(Builder b) {
        this.inputs = b.inputs;
        this.labels = b.labels;
        this.loss = b.loss;
        this.learningRate = b.learningRate;
        this.interval = b.interval;
        this.eigenMethod = b.eigenMethod;
        this.lanczosSteps = b.lanczosSteps;
        this.powerIterations = b.powerIterations;
        this.powerTolerance = b.powerTolerance;
        this.traceSamples = b.traceSamples;
        this.traceTolerance = b.traceTolerance;
        this.seed = b.seed;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Counts the batch and, on every {@code interval}-th one starting with the first, records the
     * sharpness at the trainer's current weights.
     *
     * @param trainer the trainer (its model's block is measured)
     * @param batchData not used (may be null)
     */
    @Override
    public void onTrainingBatch(Trainer trainer, TrainingListener.BatchData batchData) {
        long step = batches++;
        if (step % interval == 0) {
            measure(trainer.getModel().getBlock(), step);
        }
    }

    /**
     * Records the sharpness of the block at its current weights now, whatever the interval.
     *
     * @param block the initialized block (its parameters are not modified)
     * @param step the step to record it under, {@code >= 0}
     * @return the record, also appended to {@link #records()}
     */
    public Sharpness measure(Block block, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        double eta = learningRate.getNewValue(Math.toIntExact(step + 1));
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalStateException(
                    "learning rate at update "
                            + (step + 1)
                            + " must be finite and > 0, got "
                            + eta);
        }
        Sharpness record;
        try (HessianVectorProduct h =
                HessianVectorProduct.ofParameters(block, loss, inputs, labels)) {
            double lambda;
            int iterations;
            if (eigenMethod == EigenMethod.LANCZOS) {
                int steps = (int) Math.min(lanczosSteps, h.dimension());
                Eigenvalues.Lanczos l = Eigenvalues.lanczos(h, steps, seed);
                lambda = l.top(1)[0];
                iterations = l.alpha().length;
            } else {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Eigenvalues.Power p =
                            Eigenvalues.power(h, 1, manager, seed, powerTolerance, powerIterations);
                    lambda = p.values()[0];
                    iterations = p.iterations()[0];
                }
            }
            Estimate trace = Hutchinson.trace(h, seed, traceSamples, traceTolerance);
            record =
                    new Sharpness(
                            step,
                            lambda,
                            iterations,
                            trace.mean(),
                            trace.standardError(),
                            trace.samples(),
                            eta,
                            2 / eta,
                            h.value());
        }
        records.add(record);
        return record;
    }

    /**
     * Returns the records so far, in the order taken.
     *
     * @return an unmodifiable view
     */
    public List<Sharpness> records() {
        return Collections.unmodifiableList(records);
    }

    /**
     * Returns the number of training batches seen by {@link #onTrainingBatch}.
     *
     * @return the count
     */
    public long batches() {
        return batches;
    }

    /**
     * Writes records as CSV: {@link #CSV_HEADER}, then one row each.
     *
     * @param records the records
     * @param out where to write (not closed)
     * @throws IOException when writing fails
     */
    public static void writeCsv(List<Sharpness> records, Writer out) throws IOException {
        out.write(CSV_HEADER);
        out.write('\n');
        for (Sharpness r : records) {
            out.write(r.csvRow());
            out.write('\n');
        }
        out.flush();
    }

    /**
     * Writes this monitor's records as a CSV file (replaced).
     *
     * @param file the file
     * @throws IOException when writing fails
     */
    public void writeCsv(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeCsv(records, out);
        }
    }

    /** Builds a {@link SharpnessMonitor}; {@code set*} values are required. */
    public static final class Builder {
        private NDList inputs;
        private NDList labels;
        private Loss loss;
        private Tracker learningRate;
        private int interval = 1;
        private EigenMethod eigenMethod = EigenMethod.LANCZOS;
        private int lanczosSteps = 20;
        private int powerIterations = 100;
        private double powerTolerance = 1e-3;
        private int traceSamples = Hutchinson.DEFAULT_MAX_SAMPLES;
        private double traceTolerance = Hutchinson.DEFAULT_TOLERANCE;
        private long seed;

        private Builder() {}

        /**
         * Sets the fixed monitoring batch and its loss.
         *
         * @param inputs the inputs (not copied; must stay open and unchanged)
         * @param labels the labels (not copied)
         * @param loss the training loss, evaluated as {@code loss.evaluate(labels, predictions)}
         * @return this builder
         */
        public Builder setBatch(NDList inputs, NDList labels, Loss loss) {
            this.inputs = inputs;
            this.labels = labels;
            this.loss = loss;
            return this;
        }

        /**
         * Sets a constant learning rate η.
         *
         * @param eta η, finite and {@code > 0}
         * @return this builder
         */
        public Builder setLearningRate(double eta) {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException(
                        "learning rate must be finite and > 0, got " + eta);
            }
            this.learningRate = Tracker.fixed((float) eta);
            return this;
        }

        /**
         * Sets the learning-rate schedule the optimizer uses.
         *
         * @param tracker the schedule, read at update {@code step + 1}
         * @return this builder
         */
        public Builder setLearningRate(Tracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * Sets how often to measure: every {@code interval} training batches. Default 1.
         *
         * @param interval {@code >= 1}
         * @return this builder
         */
        public Builder optInterval(int interval) {
            this.interval = interval;
            return this;
        }

        /**
         * Sets λ_max by Lanczos with the given number of steps (capped at the dimension). Default:
         * Lanczos, 20 steps.
         *
         * @param steps {@code >= 1}
         * @return this builder
         */
        public Builder optLanczos(int steps) {
            this.eigenMethod = EigenMethod.LANCZOS;
            this.lanczosSteps = steps;
            return this;
        }

        /**
         * Sets λ_max by power iteration (the eigenvalue largest in magnitude). PyHessian's defaults
         * are 100 iterations and tolerance 1e-3.
         *
         * @param maxIterations {@code >= 1}
         * @param tolerance the relative change that stops it, {@code >= 0}
         * @return this builder
         */
        public Builder optPower(int maxIterations, double tolerance) {
            this.eigenMethod = EigenMethod.POWER;
            this.powerIterations = maxIterations;
            this.powerTolerance = tolerance;
            return this;
        }

        /**
         * Sets Hutchinson's budget and stopping tolerance. Defaults: {@link
         * Hutchinson#DEFAULT_MAX_SAMPLES} and {@link Hutchinson#DEFAULT_TOLERANCE}.
         *
         * @param maxSamples {@code >= 2} (a standard error needs two)
         * @param relativeTolerance {@code >= 0} (0: always the whole budget)
         * @return this builder
         */
        public Builder optTrace(int maxSamples, double relativeTolerance) {
            this.traceSamples = maxSamples;
            this.traceTolerance = relativeTolerance;
            return this;
        }

        /**
         * Sets the seed of the eigenvalue start vector and the trace probes. Default 0.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Checks the settings and builds the monitor.
         *
         * @return the monitor
         */
        public SharpnessMonitor build() {
            if (inputs == null || labels == null || loss == null) {
                throw new IllegalArgumentException(
                        "the monitoring batch is required: call setBatch(inputs, labels, loss)");
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("the monitoring inputs are empty");
            }
            if (learningRate == null) {
                throw new IllegalArgumentException(
                        "the learning rate is required: call setLearningRate");
            }
            if (interval < 1) {
                throw new IllegalArgumentException("interval must be >= 1, got " + interval);
            }
            if (lanczosSteps < 1) {
                throw new IllegalArgumentException(
                        "lanczosSteps must be >= 1, got " + lanczosSteps);
            }
            if (powerIterations < 1) {
                throw new IllegalArgumentException(
                        "power maxIterations must be >= 1, got " + powerIterations);
            }
            if (!(powerTolerance >= 0)) {
                throw new IllegalArgumentException(
                        "power tolerance must be >= 0, got " + powerTolerance);
            }
            if (traceSamples < 2) {
                throw new IllegalArgumentException(
                        "trace maxSamples must be >= 2, got " + traceSamples);
            }
            if (!(traceTolerance >= 0)) {
                throw new IllegalArgumentException(
                        "trace relativeTolerance must be >= 0, got " + traceTolerance);
            }
            return new SharpnessMonitor(this);
        }
    }
}
