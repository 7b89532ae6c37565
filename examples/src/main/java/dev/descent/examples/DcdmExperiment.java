package dev.descent.examples;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.descent.optim.Descent;
import dev.descent.solve.ConjugateGradient;
import dev.descent.solve.CsrMatrix;
import dev.descent.solve.DcdmNetwork;
import dev.descent.solve.DcdmTraining;
import dev.descent.solve.DcdmTrainingData;
import dev.descent.solve.DeepConjugateDirection;
import dev.descent.solve.Laplacian;
import dev.descent.solve.LinearSolver;
import dev.descent.solve.NetworkDirection;
import dev.descent.solve.RitzVectors;
import dev.descent.solve.SolveResult;
import dev.descent.solve.StoppingRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DCDM reproduction without the command line: Ritz-vector training data at the training grid,
 * the network trained with Adam (Descent's AdamW without decay), then DCDM and CG on smooth
 * right-hand sides at each test grid with the same network (no retraining).
 */
final class DcdmExperiment {

    /** The relative residual both solvers reach (the reference's DCDM default). */
    static final double TOLERANCE = 1e-4;

    /** CG's iteration cap in the reference's comparisons. */
    static final int CG_CAP = 1000;

    private DcdmExperiment() {}

    /**
     * What to run.
     *
     * @param trainGrid side of the training grid (even)
     * @param filters network width
     * @param ritz Lanczos steps m
     * @param samples training right-hand sides
     * @param epochs training epochs
     * @param batchSize mini-batch size
     * @param learningRate Adam's learning rate
     * @param seed seed of everything
     * @param testGrids sides of the test grids (even)
     * @param testRhs smooth right-hand sides solved per grid
     */
    record Settings(
            int trainGrid,
            int filters,
            int ritz,
            int samples,
            int epochs,
            int batchSize,
            double learningRate,
            long seed,
            int[] testGrids,
            int testRhs) {

        long trainingSteps() {
            int training = samples - Math.max(1, samples / 10);
            return (long) epochs * ((training + batchSize - 1) / batchSize);
        }
    }

    /**
     * One solver on one grid.
     *
     * @param grid the side
     * @param method "DCDM" or "CG"
     * @param iterations iterations to the tolerance of each right-hand side (-1: not reached)
     * @param msPerSolve mean wall milliseconds per solve
     * @param history ‖r‖/‖r₀‖ per iteration of the first right-hand side
     */
    record Row(int grid, String method, int[] iterations, double msPerSolve, double[] history) {

        double meanIterations() {
            double s = 0;
            for (int i : iterations) {
                s += i < 0 ? Double.NaN : i;
            }
            return s / iterations.length;
        }

        int maxIterations() {
            int m = 0;
            for (int i : iterations) {
                m = i < 0 ? Integer.MAX_VALUE : Math.max(m, i);
            }
            return m;
        }

        double msPerIteration() {
            return msPerSolve / meanIterations();
        }
    }

    /**
     * Trains into a new model and returns it open (the caller closes it), with the losses.
     *
     * @param settings what to run
     * @param progress called after each training step
     * @return the trained model and its history
     */
    static Trained train(Settings settings, IntConsumer progress) {
        int n = settings.trainGrid();
        CsrMatrix a = Laplacian.dirichlet(n, n);
        RitzVectors ritz = RitzVectors.lanczos(a, settings.ritz(), settings.seed());
        double[][] rhs =
                DcdmTrainingData.sample(
                        ritz,
                        settings.samples(),
                        DcdmTrainingData.defaultLowModes(ritz.size()),
                        settings.seed() + 1);
        Model model = Model.newInstance("dcdm", Device.cpu(), "PyTorch");
        try {
            model.setBlock(DcdmNetwork.create(settings.filters()));
            DcdmTraining.History history =
                    DcdmTraining.train(
                            model,
                            rhs,
                            n,
                            n,
                            Descent.adamW()
                                    .optLearningRate(settings.learningRate())
                                    .optWeightDecay(0)
                                    .build(),
                            new DcdmTraining.Setup(
                                    settings.epochs(), settings.batchSize(), settings.seed()),
                            progress);
            return new Trained(model, history);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A trained model (open) and its losses. */
    record Trained(Model model, DcdmTraining.History history) {}

    /**
     * Loads a network that {@code descent dcdm} saved (its {@code dcdm-NNNN.params} file) into a
     * new model, open (the caller closes it).
     *
     * @param paramsFile the DJL parameters file, named {@code <prefix>-<epoch>.params}
     * @param filters the network width it was trained with ({@code descent dcdm --filters})
     * @return the model, its block a {@link DcdmNetwork} with the saved weights
     * @throws IllegalArgumentException if the file is missing, misnamed or does not hold a DCDM
     *     network of that width
     */
    static Model load(Path paramsFile, int filters) {
        Matcher name = PARAMS_FILE.matcher(String.valueOf(paramsFile.getFileName()));
        if (!Files.isRegularFile(paramsFile) || !name.matches()) {
            throw new IllegalArgumentException(
                    "DCDM model "
                            + paramsFile
                            + ": expected an existing <prefix>-<epoch>.params file such as"
                            + " dcdm-0000.params written by descent dcdm");
        }
        Path dir = paramsFile.toAbsolutePath().getParent();
        Model model = Model.newInstance(name.group(1), Device.cpu(), "PyTorch");
        try {
            model.setBlock(DcdmNetwork.create(filters));
            model.load(dir, name.group(1), Map.of("epoch", name.group(2)));
            // the saved shapes replace the block's, so compare them with a fresh block's
            List<Shape> expected = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                Block fresh = DcdmNetwork.create(filters);
                fresh.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2));
                fresh.getParameters().values().forEach(p -> expected.add(p.getArray().getShape()));
            }
            List<Shape> loaded = new ArrayList<>();
            model.getBlock()
                    .getParameters()
                    .values()
                    .forEach(p -> loaded.add(p.getArray().getShape()));
            if (!loaded.equals(expected)) {
                throw new IllegalArgumentException(
                        "its parameter shapes " + loaded + " differ from " + expected);
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(
                    "DCDM model "
                            + paramsFile
                            + " does not load as a DcdmNetwork with "
                            + filters
                            + " filters: "
                            + e.getMessage(),
                    e);
        }
    }

    private static final Pattern PARAMS_FILE = Pattern.compile("(.+)-(\\d+)\\.params");

    /**
     * Solves the smooth right-hand sides of every test grid with DCDM (the trained network) and CG,
     * timing each solve after one untimed warm-up solve per grid and method.
     *
     * @param settings the test grids and right-hand-side count
     * @param model the trained model
     * @return DCDM then CG per grid
     */
    static List<Row> solve(Settings settings, Model model) {
        List<Row> rows = new ArrayList<>();
        for (int grid : settings.testGrids()) {
            CsrMatrix a = Laplacian.dirichlet(grid, grid);
            List<double[]> rhs = new ArrayList<>();
            for (int k = 0; k < settings.testRhs(); k++) {
                rhs.add(smoothRhs(grid, settings.seed() + 100 + k));
            }
            try (NetworkDirection f = new NetworkDirection(model.getBlock(), grid, grid)) {
                rows.add(
                        run(
                                grid,
                                "DCDM",
                                new DeepConjugateDirection(f),
                                a,
                                rhs,
                                DeepConjugateDirection.DEFAULT_RULE));
            }
            rows.add(
                    run(
                            grid,
                            "CG",
                            new ConjugateGradient(),
                            a,
                            rhs,
                            new StoppingRule(TOLERANCE, CG_CAP)));
        }
        return rows;
    }

    private static Row run(
            int grid,
            String method,
            LinearSolver solver,
            CsrMatrix a,
            List<double[]> rhs,
            StoppingRule rule) {
        solver.solve(a, rhs.get(0), rule); // warm-up: JIT and the engine's first calls
        int[] iterations = new int[rhs.size()];
        double[] first = null;
        long nanos = 0;
        for (int k = 0; k < rhs.size(); k++) {
            long start = System.nanoTime();
            SolveResult result = solver.solve(a, rhs.get(k), rule);
            nanos += System.nanoTime() - start;
            iterations[k] = result.converged() ? result.iterations() : -1;
            if (k == 0) {
                first = result.residualHistory();
            }
        }
        return new Row(grid, method, iterations, nanos / 1e6 / rhs.size(), first);
    }

    /**
     * A smooth right-hand side: the sum of three Gaussian bumps with seeded centres in [0.25,
     * 0.75]², widths in [0.05, 0.15] and signs, sampled at the cell centres ((x+1)/(n+1),
     * (y+1)/(n+1)) of an n × n grid, so the same function at every resolution; unit norm.
     *
     * @param n the grid side
     * @param seed the seed of the bumps
     * @return the vector, index y·n + x
     */
    static double[] smoothRhs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] bumps = new double[3][];
        for (int k = 0; k < bumps.length; k++) {
            bumps[k] =
                    new double[] {
                        0.25 + 0.5 * random.nextDouble(),
                        0.25 + 0.5 * random.nextDouble(),
                        0.05 + 0.1 * random.nextDouble(),
                        random.nextBoolean() ? 1 : -1
                    };
        }
        double[] b = new double[n * n];
        double sum = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double u = (x + 1.0) / (n + 1);
                double v = (y + 1.0) / (n + 1);
                double value = 0;
                for (double[] bump : bumps) {
                    double du = u - bump[0];
                    double dv = v - bump[1];
                    value += bump[3] * Math.exp(-(du * du + dv * dv) / (2 * bump[2] * bump[2]));
                }
                b[y * n + x] = value;
                sum += value * value;
            }
        }
        double norm = Math.sqrt(sum);
        for (int i = 0; i < b.length; i++) {
            b[i] /= norm;
        }
        return b;
    }
}
