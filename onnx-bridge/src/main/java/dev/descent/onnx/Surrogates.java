package dev.descent.onnx;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a {@link Surrogate} from an {@link OnnxModel}: evaluation always through ONNX Runtime (the
 * fast path); derivatives exact through the graph imported into DJL when it imports, otherwise
 * estimated through ONNX Runtime by central differences or SPSA.
 *
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.open(path);
 *         Surrogate phi = Surrogates.builder(model).build()) {   // AUTO
 *     double[][] g = phi.gradient(points, new double[] {1});
 * }
 * }</pre>
 *
 * <p>Defaults: {@link DerivativeMode#AUTO}; central-difference relative step ∛ε(float32) ≈ 4.9e-3;
 * SPSA with perturbation 1e-2, 64 samples and seed 0.
 */
public final class Surrogates {

    private Surrogates() {}

    /**
     * Starts a surrogate over an open model with one input and one output; the model stays owned by
     * the caller and must outlive the surrogate.
     *
     * @param model the model
     * @return a builder
     */
    public static Builder builder(OnnxModel model) {
        return new Builder(model);
    }

    /** Options of a surrogate; {@link #build()} validates them. */
    public static final class Builder {
        private final OnnxModel model;
        private DerivativeMode mode = DerivativeMode.AUTO;
        private double relativeStep = GradientEstimator.CentralDifferences.FLOAT32_STEP;
        private double spsaPerturbation = 1e-2;
        private int spsaSamples = 64;
        private long seed;

        private Builder(OnnxModel model) {
            this.model = model;
        }

        /**
         * Sets how derivatives are obtained (default AUTO).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder optMode(DerivativeMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets the relative step of central differences, in (0, 1) (default ∛ε(float32)).
         *
         * @param relativeStep the step
         * @return this builder
         */
        public Builder optRelativeStep(double relativeStep) {
            this.relativeStep = relativeStep;
            return this;
        }

        /**
         * Sets SPSA's perturbation c > 0 (default 1e-2) and number of directions ≥ 1 (default 64).
         *
         * @param perturbation c
         * @param samples the directions per point
         * @return this builder
         */
        public Builder optSpsa(double perturbation, int samples) {
            this.spsaPerturbation = perturbation;
            this.spsaSamples = samples;
            return this;
        }

        /**
         * Sets the seed of SPSA's directions (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the surrogate.
         *
         * @return the surrogate
         * @throws UnsupportedGraphException if EXACT is asked for a graph that does not import
         * @throws IllegalArgumentException if a step, perturbation or sample count is out of range
         * @throws OnnxException if the model does not have one input with a batch dimension and one
         *     output
         */
        public Surrogate build() {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
            GradientEstimator estimator =
                    switch (mode) {
                        case SPSA -> new GradientEstimator.Spsa(spsaPerturbation, spsaSamples);
                        default -> new GradientEstimator.CentralDifferences(relativeStep);
                    };
            boolean importable = OnnxImporter.problems(model.proto()).isEmpty();
            if (mode == DerivativeMode.EXACT || (mode == DerivativeMode.AUTO && importable)) {
                return new Imported(model);
            }
            return new Estimated(model, estimator, seed);
        }
    }

    private abstract static class Base implements Surrogate {
        /** Rows per ONNX Runtime call, bounding the memory of large probe batches. */
        private static final int MAX_ROWS_PER_RUN = 4096;

        final OnnxModel model;
        final RowBatches rows;
        final NDManager manager;
        final int outputs;
        final AtomicLong evaluations = new AtomicLong();
        final AtomicLong derivativeRequests = new AtomicLong();

        Base(OnnxModel model) {
            this.model = model;
            this.rows = new RowBatches(model);
            this.manager = NDManager.newBaseManager();
            this.outputs = run(new double[][] {new double[rows.width()]})[0].length;
        }

        /** Evaluates through ONNX Runtime without counting. */
        final double[][] run(double[][] points) {
            if (!rows.batched()) {
                double[][] out = new double[points.length][];
                for (int r = 0; r < points.length; r++) {
                    out[r] = runChunk(new double[][] {points[r]})[0];
                }
                return out;
            }
            if (points.length <= MAX_ROWS_PER_RUN) {
                return runChunk(points);
            }
            double[][] out = new double[points.length][];
            for (int start = 0; start < points.length; start += MAX_ROWS_PER_RUN) {
                int end = Math.min(points.length, start + MAX_ROWS_PER_RUN);
                double[][] part = runChunk(java.util.Arrays.copyOfRange(points, start, end));
                System.arraycopy(part, 0, out, start, part.length);
            }
            return out;
        }

        private double[][] runChunk(double[][] points) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = rows.toArray(scope, points, rows.inputType());
                return RowBatches.toRows(model.evaluate(x));
            }
        }

        void checkCotangents(double[][] points, double[][] cotangents) {
            if (cotangents.length != points.length) {
                throw new IllegalArgumentException(
                        "need one cotangent row per point: "
                                + points.length
                                + " points, "
                                + cotangents.length
                                + " cotangents");
            }
            for (int r = 0; r < cotangents.length; r++) {
                if (cotangents[r].length != outputs) {
                    throw new IllegalArgumentException(
                            "cotangent "
                                    + r
                                    + " has length "
                                    + cotangents[r].length
                                    + " but model "
                                    + model.source()
                                    + " has "
                                    + outputs
                                    + " outputs per point");
                }
            }
        }

        @Override
        public int inputDimension() {
            return rows.width();
        }

        @Override
        public int outputDimension() {
            return outputs;
        }

        @Override
        public double[][] evaluate(double[][] points) {
            double[][] out = run(points);
            evaluations.addAndGet(points.length);
            return out;
        }

        @Override
        public long evaluations() {
            return evaluations.get();
        }

        @Override
        public long derivativeRequests() {
            return derivativeRequests.get();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Exact derivatives by reverse mode through the imported float32 block. */
    private static final class Imported extends Base {
        private final OnnxBlock block;

        Imported(OnnxModel model) {
            super(model);
            this.block = OnnxImporter.importModel(model, manager);
            // only input gradients are wanted here: no parameter gradients to accumulate
            block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            checkCotangents(points, cotangents);
            if (points.length == 0) {
                return new double[0][];
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = rows.toArray(scope, points, block.floatType());
                NDArray v = scope.create(flatten(cotangents)).toType(block.floatType(), false);
                double[][] result;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    x.setRequiresGradient(true);
                    NDArray y =
                            block.forward(new ParameterStore(scope, false), new NDList(x), false)
                                    .singletonOrThrow();
                    collector.backward(y.reshape(v.getShape()).mul(v).sum());
                    result = RowBatches.toRows(x.getGradient().reshape(points.length, -1));
                }
                evaluations.addAndGet(points.length);
                derivativeRequests.addAndGet(points.length);
                return result;
            }
        }

        private static double[] flatten(double[][] rows) {
            int width = rows[0].length;
            double[] flat = new double[rows.length * width];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, flat, r * width, width);
            }
            return flat;
        }

        @Override
        public boolean exactDerivatives() {
            return true;
        }
    }

    /** Derivatives estimated from symmetric probes evaluated in batches by ONNX Runtime. */
    private static final class Estimated extends Base {
        private final GradientEstimator estimator;
        private final Random random;

        Estimated(OnnxModel model, GradientEstimator estimator, long seed) {
            super(model);
            this.estimator = estimator;
            this.random = new Random(seed);
        }

        @Override
        public double[][] vectorJacobianProduct(double[][] points, double[][] cotangents) {
            checkCotangents(points, cotangents);
            int n = rows.width();
            List<List<GradientEstimator.Probe>> probes = new ArrayList<>(points.length);
            List<double[]> batch = new ArrayList<>();
            for (double[] x : points) {
                if (x.length != n) {
                    throw new OnnxException(
                            "point has length "
                                    + x.length
                                    + " but model "
                                    + model.source()
                                    + " needs rows of length "
                                    + n);
                }
                List<GradientEstimator.Probe> ps = estimator.probes(x, random);
                probes.add(ps);
                for (GradientEstimator.Probe p : ps) {
                    double[] plus = x.clone();
                    double[] minus = x.clone();
                    for (int i = 0; i < n; i++) {
                        plus[i] += p.step() * p.direction()[i];
                        minus[i] -= p.step() * p.direction()[i];
                    }
                    batch.add(plus);
                    batch.add(minus);
                }
            }
            double[][] values = run(batch.toArray(new double[0][]));
            evaluations.addAndGet(values.length);
            derivativeRequests.addAndGet(points.length);
            double[][] result = new double[points.length][n];
            int row = 0;
            for (int r = 0; r < points.length; r++) {
                for (GradientEstimator.Probe p : probes.get(r)) {
                    double difference = 0;
                    for (int j = 0; j < outputs; j++) {
                        difference += cotangents[r][j] * (values[row][j] - values[row + 1][j]);
                    }
                    row += 2;
                    double slope = difference / (2 * p.step() * estimator.divisor());
                    for (int i = 0; i < n; i++) {
                        result[r][i] += slope * p.direction()[i];
                    }
                }
            }
            return result;
        }

        @Override
        public boolean exactDerivatives() {
            return false;
        }
    }
}
