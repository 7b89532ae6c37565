package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.descent.curvature.SafeL2Loss;
import dev.descent.optim.Descent;
import dev.descent.optim.WeightDecayMode;
import dev.descent.solve.ConvexReluAdmm;
import dev.descent.solve.ConvexReluInteriorPoint;
import dev.descent.solve.ConvexReluNetwork;
import dev.descent.solve.ConvexReluProgram;
import java.util.Random;

/**
 * Convex training of a two-layer ReLU network against Adam on the same architecture: a seeded
 * regression set, the sampled convex program ({@link ConvexReluProgram}), its optimum from the
 * barrier method ({@link ConvexReluInteriorPoint}), ADMM ({@link ConvexReluAdmm}), the network
 * recovered from ADMM's point ({@link ConvexReluNetwork}) and its regularized training loss, and
 * the same objective ½Σ(f(x) − y)² + (β/2)‖θ‖² minimized over a network of the recovered width by
 * Adam (Descent's AdamW with coupled weight decay β, which is exactly the gradient of (β/2)‖θ‖²)
 * from several seeded random starts, full batch, DJL's Trainer.
 */
public final class ConvexReluExperiment {

    private ConvexReluExperiment() {}

    /**
     * What to run.
     *
     * @param samples training points n
     * @param inputs input dimension, 1 or 2
     * @param beta the regularization β
     * @param patterns activation patterns to sample
     * @param seed the seed of the data, the patterns (seed + 1) and Adam's starts (seed + 100 + k)
     * @param rho ADMM's ρ (the dual step is set to ρ, the reference's ratio 1)
     * @param admmIterations ADMM's iteration budget (tolerance 1e-9, so it runs them all)
     * @param starts Adam's random starts
     * @param adamSteps Adam's full-batch steps per start
     * @param adamLearningRate Adam's learning rate
     */
    public record Setup(
            int samples,
            int inputs,
            double beta,
            int patterns,
            long seed,
            double rho,
            int admmIterations,
            int starts,
            int adamSteps,
            double adamLearningRate) {

        /** The command's defaults. */
        public static Setup defaults() {
            return new Setup(
                    40, 1, 1e-3, 200, 1, ConvexReluAdmm.DEFAULT_RHO, 20_000, 10, 4_000, 1e-2);
        }
    }

    /**
     * What it gave.
     *
     * @param program the sampled program
     * @param optimum the barrier method's result (its objective is the convex optimum)
     * @param admm ADMM's result
     * @param network the network recovered from ADMM's point
     * @param networkLoss that network's regularized training loss (float64)
     * @param adamLosses the regularized training loss of each Adam start (float64, at the end)
     */
    public record Outcome(
            ConvexReluProgram program,
            ConvexReluInteriorPoint.Result optimum,
            ConvexReluAdmm.Result admm,
            ConvexReluNetwork network,
            double networkLoss,
            double[] adamLosses) {}

    /**
     * The regression set: x uniform in [−1, 1]^inputs, y = sin(3 Σx) + 0.1·N(0, 1).
     *
     * @param n points
     * @param inputs the dimension
     * @param seed the seed
     * @return {features (n × inputs), targets (n × 1)}
     */
    public static double[][][] data(int n, int inputs, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[n][inputs];
        double[][] y = new double[n][1];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int j = 0; j < inputs; j++) {
                x[r][j] = 2 * random.nextDouble() - 1;
                sum += x[r][j];
            }
            y[r][0] = Math.sin(3 * sum) + 0.1 * random.nextGaussian();
        }
        return new double[][][] {x, y};
    }

    /**
     * Runs the experiment.
     *
     * @param setup what to run
     * @return the outcome
     */
    public static Outcome run(Setup setup) {
        return run(setup, () -> {});
    }

    /**
     * The stages {@link #run(Setup, Runnable)} reports: the barrier solve, ADMM, each Adam start.
     *
     * @param setup what to run
     * @return 2 + starts
     */
    public static int stages(Setup setup) {
        return 2 + setup.starts();
    }

    /**
     * Runs the experiment, calling {@code stageDone} after each of its {@link #stages} stages.
     *
     * @param setup what to run
     * @param stageDone called after the barrier solve, after ADMM and after each Adam start
     * @return the outcome
     */
    public static Outcome run(Setup setup, Runnable stageDone) {
        double[][][] data = data(setup.samples(), setup.inputs(), setup.seed());
        double[][] x = data[0];
        double[] y = new double[x.length];
        for (int r = 0; r < y.length; r++) {
            y[r] = data[1][r][0];
        }
        ConvexReluProgram program =
                ConvexReluProgram.sample(
                        x, y, setup.beta(), setup.patterns(), setup.seed() + 1, true);
        ConvexReluInteriorPoint.Result optimum = ConvexReluInteriorPoint.solve(program, 1e-9);
        stageDone.run();
        ConvexReluAdmm.Result admm =
                ConvexReluAdmm.builder()
                        .optRho(setup.rho())
                        .optStep(setup.rho())
                        .optTolerance(1e-9)
                        .optMaxIterations(setup.admmIterations())
                        .build()
                        .solve(program);
        stageDone.run();
        ConvexReluNetwork network = ConvexReluNetwork.recover(program, admm.solution());
        double networkLoss = network.loss(x, y, setup.beta());
        double[] adam = new double[setup.starts()];
        for (int k = 0; k < adam.length; k++) {
            adam[k] = adamLoss(x, y, network.width(), setup, setup.seed() + 100 + k);
            stageDone.run();
        }
        return new Outcome(program, optimum, admm, network, networkLoss, adam);
    }

    /**
     * Trains Linear(width)–ReLU–Linear(1, no bias) from DJL's seeded default initialization by Adam
     * on ½Σ(f(x) − y)² with coupled weight decay β, full batch; returns the regularized loss at the
     * end, evaluated in float64 from the float32 weights.
     */
    static double adamLoss(double[][] x, double[] y, int width, Setup setup, long seed) {
        int n = x.length;
        int p = x[0].length;
        Engine.getEngine(ClassifierTraining.ENGINE).setRandomSeed((int) seed);
        Linear hidden = Linear.builder().setUnits(width).build();
        Linear output = Linear.builder().setUnits(1).optBias(false).build();
        SequentialBlock block =
                new SequentialBlock().add(hidden).add(Activation.reluBlock()).add(output);
        DefaultTrainingConfig config =
                Descent.trainingConfig(
                                new SafeL2Loss("sse", 0.5f * n),
                                Descent.adamW()
                                        .optLearningRate(setup.adamLearningRate())
                                        .optWeightDecay(setup.beta())
                                        .optWeightDecayMode(WeightDecayMode.COUPLED)
                                        .build())
                        .optDevices(new Device[] {Device.cpu()});
        float[] flat = new float[n * p];
        float[] labels = new float[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < p; j++) {
                flat[r * p + j] = (float) x[r][j];
            }
            labels[r] = (float) y[r];
        }
        try (Model model =
                Model.newInstance("convex-relu-adam", Device.cpu(), ClassifierTraining.ENGINE)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, p));
                NDManager manager = trainer.getManager();
                NDList input = new NDList(manager.create(flat, new Shape(n, p)));
                NDList target = new NDList(manager.create(labels, new Shape(n, 1)));
                for (int step = 0; step < setup.adamSteps(); step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss().evaluate(target, trainer.forward(input));
                        collector.backward(loss);
                    }
                    trainer.step();
                }
                float[] w = hidden.getParameters().get("weight").getArray().toFloatArray();
                float[] b = hidden.getParameters().get("bias").getArray().toFloatArray();
                float[] a = output.getParameters().get("weight").getArray().toFloatArray();
                return regularizedLoss(x, y, w, b, a, setup.beta());
            }
        }
    }

    /** ½Σ(Σ_j a_j (W_j·x + b_j)₊ − y)² + (β/2)(‖W‖² + ‖b‖² + ‖a‖²) in float64. */
    static double regularizedLoss(
            double[][] x, double[] y, float[] w, float[] b, float[] a, double beta) {
        int p = x[0].length;
        double sse = 0;
        for (int r = 0; r < x.length; r++) {
            double f = 0;
            for (int k = 0; k < a.length; k++) {
                double pre = b[k];
                for (int j = 0; j < p; j++) {
                    pre += (double) w[k * p + j] * x[r][j];
                }
                f += a[k] * Math.max(pre, 0);
            }
            sse += (f - y[r]) * (f - y[r]);
        }
        double squares = 0;
        for (float v : w) {
            squares += (double) v * v;
        }
        for (float v : b) {
            squares += (double) v * v;
        }
        for (float v : a) {
            squares += (double) v * v;
        }
        return 0.5 * sse + 0.5 * beta * squares;
    }
}
