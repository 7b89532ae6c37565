package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.descent.curvature.GraphConstants;
import dev.descent.solve.ConjugateGradient;
import dev.descent.solve.CsrMatrix;
import dev.descent.solve.DeepConjugateDirection;
import dev.descent.solve.Laplacian;
import dev.descent.solve.LinearSolver;
import dev.descent.solve.NetworkDirection;
import dev.descent.solve.SolveResult;
import dev.descent.solve.Sor;
import dev.descent.solve.SsorPcg;
import dev.descent.solve.StoppingRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The classic solvers of {@code dev.descent.solve} on the 2-D Dirichlet Poisson problem, and where
 * their matrix–vector product should run, all measured in the same run.
 *
 * <ul>
 *   <li><b>Matrix–vector product</b> y = A x, float64, for the grid × grid Dirichlet Laplacian:
 *       {@link CsrMatrix#multiply} on the host (the baseline); in the PyTorch engine as a sparse
 *       COO tensor times a vector (DJL 0.36's PyTorch engine has COO, not CSR: {@code createCSR}
 *       throws), as the 5-point stencil by {@code conv2d} (zero padding is the Dirichlet boundary),
 *       and as a dense matmul for scale; each engine form once with x already in the engine and
 *       once with the copies a host solver would pay (x host → engine, y engine → host).
 *   <li><b>Solves</b>: iterations and ms per solve of each solver at each grid and tolerance, from
 *       x₀ = 0 with the stopping rule ‖r‖/‖r₀‖ &lt; tol, with the time against CG's at the same
 *       grid and tolerance. One row per solver: a solver is one entry of {@link #solvers()}, and
 *       DCDM ({@link #dcdm}) with a network that {@code descent dcdm} saved when {@code
 *       --dcdm-model} names its params file (capped at the reference's 100 iterations).
 *   <li><b>SSOR-PCG iterations against ω</b>, which shows how far the fixed choice ω = ω*_SOR
 *       (Young's optimal SOR factor for the grid, 1 + (β/(1 + √(1 − β²)))² with β = cos(π/(grid +
 *       1))) is from the measured best.
 * </ul>
 *
 * <p>Times are the fastest of interleaved rounds after one warm-up round, so that drift of a shared
 * machine hits every quantity alike.
 */
@Command(
        name = "bench-solvers",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks the classic linear solvers (CG, SSOR-PCG, and DCDM with a saved network"
                    + " given --dcdm-model) on the 2-D Dirichlet Poisson"
                    + " problem with a fixed-seed smooth right-hand side: iterations and ms per"
                    + " solve at each grid and tolerance, SSOR-PCG iterations against omega, and"
                    + " the float64 matrix-vector product of the Laplacian on the host (CSR)"
                    + " against the PyTorch engine (sparse COO, conv2d stencil, dense), with and"
                    + " without the host-engine copies. Prints Markdown tables. The dense product"
                    + " holds an n x n float64 matrix (800 MB at the default --matvec-grid 100)."
        })
public final class SolverBenchmark implements Callable<Integer> {

    /** The seed of the right-hand side. */
    static final long SEED = 0;

    /** The ω values of the SSOR-PCG table. */
    private static final double[] OMEGAS = {1.0, 1.2, 1.4, 1.6, 1.7, 1.8, 1.9, 1.95};

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--sizes",
            defaultValue = "32,64,128",
            split = ",",
            description = "Grid sides of the solves (>= 2; default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(
            names = "--tolerances",
            defaultValue = "1e-4,1e-8",
            split = ",",
            description = "Relative residuals to reach, in (0, 1) (default: ${DEFAULT-VALUE}).")
    private List<Double> tolerances;

    @Option(
            names = "--matvec-grid",
            defaultValue = "100",
            description =
                    "Grid side of the matrix-vector products, n = side^2 (>= 2; default:"
                            + " ${DEFAULT-VALUE}).")
    private int matvecGrid;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description =
                    "Interleaved timed rounds after a warm-up; the fastest is reported (>= 1;"
                            + " default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch intra-op threads (>= 1; default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(
            names = "--dcdm-model",
            paramLabel = "FILE",
            description =
                    "Also solve with DCDM, its network loaded from this params file (the"
                            + " dcdm-0000.params that descent dcdm writes); DCDM stops at its"
                            + " reference cap of 100 iterations.")
    private Path dcdmModel;

    @Option(
            names = "--dcdm-filters",
            defaultValue = "16",
            description =
                    "Width the --dcdm-model network was trained with (descent dcdm --filters;"
                            + " default: ${DEFAULT-VALUE}).")
    private int dcdmFilters;

    /**
     * A solver of the solve table: its name, how it is made for a grid side, and its iteration cap
     * for a grid side.
     *
     * @param name the row label
     * @param forGrid the solver for a grid × grid Laplacian
     * @param cap the iteration cap for a grid side
     */
    record Candidate(String name, IntFunction<LinearSolver> forGrid, IntUnaryOperator cap) {}

    /** The classic solvers' iteration cap: 100 n for the grid × grid Laplacian. */
    static int classicCap(int grid) {
        return 100 * grid * grid;
    }

    /** The solvers of the solve table, CG (the baseline) first. */
    static List<Candidate> solvers() {
        return List.of(
                new Candidate("CG", grid -> new ConjugateGradient(), SolverBenchmark::classicCap),
                new Candidate(
                        "SSOR-PCG (ω = ω*_SOR)",
                        grid -> new SsorPcg(sorOptimalOmega(grid)),
                        SolverBenchmark::classicCap));
    }

    /**
     * DCDM with a trained network as a candidate, at the reference's cap ({@link
     * DeepConjugateDirection#DEFAULT_RULE}).
     *
     * @param network the trained DCDM network
     * @param directions where the per-grid directions are kept; the caller closes them
     * @return the candidate
     */
    static Candidate dcdm(Block network, Map<Integer, NetworkDirection> directions) {
        return new Candidate(
                "DCDM",
                grid ->
                        new DeepConjugateDirection(
                                directions.computeIfAbsent(
                                        grid, g -> new NetworkDirection(network, g, g))),
                grid -> DeepConjugateDirection.DEFAULT_RULE.maxIterations());
    }

    /** Young's optimal SOR factor for the grid × grid Dirichlet Laplacian, β = cos(π/(grid+1)). */
    static double sorOptimalOmega(int grid) {
        return Sor.optimalOmega(Math.cos(Math.PI / (grid + 1)));
    }

    /**
     * A smooth right-hand side with every eigenmode present: standard normal noise from {@code
     * seed}, smoothed by 10 damped-Jacobi steps b ← b − A b / 8 (which scales the mode of
     * eigenvalue λ by (1 − λ/8)¹⁰, keeping the low modes CG finds hardest), normalized to ‖b‖ = 1.
     * A sum of a few sine modes would not do: they are eigenvectors of A, and CG would end in as
     * many steps as there are modes.
     *
     * @param a the grid Laplacian
     * @param seed the noise's seed
     * @return b
     */
    static double[] smoothRightHandSide(CsrMatrix a, long seed) {
        Random random = new Random(seed);
        double[] b = new double[a.rows()];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextGaussian();
        }
        double[] ab = new double[b.length];
        for (int step = 0; step < 10; step++) {
            a.multiply(b, ab);
            for (int i = 0; i < b.length; i++) {
                b[i] -= ab[i] / 8;
            }
        }
        double norm = 0;
        for (double v : b) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < b.length; i++) {
            b[i] /= norm;
        }
        return b;
    }

    @Override
    public Integer call() {
        if (rounds < 1
                || threads < 1
                || matvecGrid < 2
                || sizes.isEmpty()
                || dcdmFilters < 1
                || sizes.stream().anyMatch(g -> g < 2)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--rounds, --threads and --dcdm-filters must be >= 1 and --matvec-grid and"
                            + " --sizes >= 2, got "
                            + rounds
                            + ", "
                            + threads
                            + ", "
                            + dcdmFilters
                            + ", "
                            + matvecGrid
                            + " and "
                            + sizes);
        }
        if (tolerances.isEmpty() || tolerances.stream().anyMatch(t -> !(t > 0 && t < 1))) {
            throw new ParameterException(
                    spec.commandLine(), "--tolerances must be in (0, 1), got " + tolerances);
        }
        if (dcdmModel != null && sizes.stream().anyMatch(g -> g % 2 != 0)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--sizes must be even with --dcdm-model (the network pools 2 x 2), got "
                            + sizes);
        }
        PrintWriter out = spec.commandLine().getOut();
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE);
        JniUtils.setNumThreads(threads);
        Model dcdm;
        try {
            dcdm = dcdmModel == null ? null : DcdmExperiment.load(dcdmModel, dcdmFilters);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dcdm-model: " + e.getMessage());
        }
        long work = (long) (rounds + 1) * (1 + sizes.size()) + sizes.size();
        try (Model network = dcdm;
                NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName());
                Progress bar = progress.startBetweenRows("bench-solvers", work, "steps")) {
            out.printf(
                    Locale.ROOT,
                    "Engine %s %s, %d intra-op threads; float64; fastest of %d rounds after a"
                            + " warm-up%n%n",
                    engine.getEngineName(),
                    engine.getVersion(),
                    threads,
                    rounds);
            printMatvec(out, manager, bar);
            printSolves(out, bar, network);
            printOmegas(out, bar);
        }
        return 0;
    }

    private void printMatvec(PrintWriter out, NDManager parent, Progress bar) {
        int n = matvecGrid * matvecGrid;
        CsrMatrix a = Laplacian.dirichlet(matvecGrid, matvecGrid);
        double[] x = smoothRightHandSide(a, SEED);
        double[] expected = a.multiply(x);
        double[] y = new double[n];
        try (NDManager manager = parent.newSubManager()) {
            NDArray coo = coo(manager, a);
            NDArray stencil =
                    GraphConstants.owned(
                            manager.create(
                                    new double[] {0, -1, 0, -1, 4, -1, 0, -1, 0},
                                    new Shape(1, 1, 3, 3)));
            NDArray dense = coo.toDense();
            NDArray xEngine = GraphConstants.owned(manager.create(x, new Shape(n, 1)));
            NDArray xGrid = xEngine.reshape(1, 1, matvecGrid, matvecGrid);
            Shape one = new Shape(1, 1);
            Supplier<NDArray> conv =
                    () -> Conv2d.conv2d(xGrid, stencil, null, one, one).singletonOrThrow();
            List<Timed> products = new ArrayList<>();
            products.add(new Timed("host CSR (CsrMatrix.multiply)", 200, () -> a.multiply(x, y)));
            products.add(
                    engineProduct(
                            "engine sparse COO, x in the engine", 200, () -> coo.matMul(xEngine)));
            products.add(
                    new Timed(
                            "engine sparse COO, with both copies",
                            200,
                            () -> copied(manager, x, new Shape(n, 1), coo::matMul)));
            products.add(engineProduct("engine conv2d stencil, x in the engine", 200, conv));
            products.add(
                    new Timed(
                            "engine conv2d stencil, with both copies",
                            200,
                            () ->
                                    copied(
                                            manager,
                                            x,
                                            new Shape(1, 1, matvecGrid, matvecGrid),
                                            v ->
                                                    Conv2d.conv2d(v, stencil, null, one, one)
                                                            .singletonOrThrow())));
            products.add(
                    engineProduct(
                            "engine dense matmul, x in the engine",
                            5,
                            () -> dense.matMul(xEngine)));
            check("sparse COO", coo.matMul(xEngine).toDoubleArray(), expected);
            check("conv2d", conv.get().toDoubleArray(), expected);
            check("dense", dense.matMul(xEngine).toDoubleArray(), expected);
            double[] best = new double[products.size()];
            Arrays.fill(best, Double.MAX_VALUE);
            for (int round = 0; round <= rounds; round++) {
                for (int i = 0; i < products.size(); i++) {
                    double ms = products.get(i).msPerCall();
                    if (round > 0) {
                        best[i] = Math.min(best[i], ms);
                    }
                }
                bar.step();
            }
            out.printf(
                    Locale.ROOT,
                    "### Matrix-vector product, %d x %d Dirichlet Laplacian (n = %d, %d non-zeros)%n%n",
                    matvecGrid,
                    matvecGrid,
                    n,
                    a.nonZeros());
            out.println("| product | ms per product | host CSR time / this |");
            out.println("|---|---:|---:|");
            for (int i = 0; i < products.size(); i++) {
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %s |%n",
                        products.get(i).name(),
                        TableNumbers.format(best[i], 4),
                        TableNumbers.format(best[0] / best[i], 3));
            }
            out.println();
            out.flush();
        }
    }

    private void printSolves(PrintWriter out, Progress bar, Model network) {
        List<Candidate> candidates = new ArrayList<>(solvers());
        Map<Integer, NetworkDirection> directions = new HashMap<>();
        if (network != null) {
            candidates.add(dcdm(network.getBlock(), directions));
        }
        try {
            solve(out, bar, candidates);
        } finally {
            directions.values().forEach(NetworkDirection::close);
        }
    }

    private void solve(PrintWriter out, Progress bar, List<Candidate> candidates) {
        int rows = sizes.size() * tolerances.size() * candidates.size();
        SolveResult[] results = new SolveResult[rows];
        double[] best = new double[rows];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round <= rounds; round++) {
            int row = 0;
            for (int grid : sizes) {
                CsrMatrix a = Laplacian.dirichlet(grid, grid);
                double[] b = smoothRightHandSide(a, SEED);
                for (double tol : tolerances) {
                    for (Candidate c : candidates) {
                        LinearSolver solver = c.forGrid().apply(grid);
                        StoppingRule rule = new StoppingRule(tol, c.cap().applyAsInt(grid));
                        long start = System.nanoTime();
                        SolveResult result = solver.solve(a, b, rule);
                        double ms = (System.nanoTime() - start) / 1e6;
                        results[row] = result;
                        if (round > 0) {
                            best[row] = Math.min(best[row], ms);
                        }
                        row++;
                    }
                }
                bar.step();
            }
        }
        out.println(
                "### Solves: 2-D Dirichlet Poisson, smooth right-hand side (seed "
                        + SEED
                        + "), x0 = 0");
        out.println();
        out.println(
                "Iteration caps: 100 n for CG and SSOR-PCG"
                        + (candidates.size() > 2 ? ", 100 for DCDM (the reference's)" : "")
                        + ".");
        out.println();
        out.println(
                "| solver | grid | n | tol | status | iterations | ms per solve | ms per iteration"
                        + " | time / CG's |");
        out.println("|---|---:|---:|---:|---|---:|---:|---:|---:|");
        int row = 0;
        for (int grid : sizes) {
            for (double tol : tolerances) {
                int cgRow = row;
                for (Candidate c : candidates) {
                    SolveResult r = results[row];
                    out.printf(
                            Locale.ROOT,
                            "| %s | %d² | %d | %.0e | %s | %d | %s | %s | %s |%n",
                            c.name(),
                            grid,
                            grid * grid,
                            tol,
                            r.status(),
                            r.iterations(),
                            TableNumbers.format(best[row], 3),
                            TableNumbers.format(best[row] / Math.max(1, r.iterations()), 3),
                            TableNumbers.format(best[row] / best[cgRow], 2));
                    row++;
                }
            }
        }
        out.println();
        out.flush();
    }

    private void printOmegas(PrintWriter out, Progress bar) {
        double tol = tolerances.get(tolerances.size() - 1);
        out.printf(Locale.ROOT, "### SSOR-PCG iterations against ω (tol %.0e)%n%n", tol);
        StringBuilder header = new StringBuilder("| grid |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (double omega : OMEGAS) {
            header.append(String.format(Locale.ROOT, " ω = %.2f |", omega));
            rule.append("---:|");
        }
        out.println(header + " ω*_SOR | at ω*_SOR |");
        out.println(rule + "---:|---:|");
        for (int grid : sizes) {
            CsrMatrix a = Laplacian.dirichlet(grid, grid);
            double[] b = smoothRightHandSide(a, SEED);
            StoppingRule stop = new StoppingRule(tol, 100 * grid * grid);
            StringBuilder line = new StringBuilder("| " + grid + "² |");
            for (double omega : OMEGAS) {
                line.append(' ')
                        .append(new SsorPcg(omega).solve(a, b, stop).iterations())
                        .append(" |");
            }
            double optimal = sorOptimalOmega(grid);
            out.printf(
                    Locale.ROOT,
                    "%s %.4f | %d |%n",
                    line,
                    optimal,
                    new SsorPcg(optimal).solve(a, b, stop).iterations());
            bar.step();
        }
        out.println();
        out.flush();
    }

    /** A timed operation: ms per call over {@code calls} calls. */
    private record Timed(String name, int calls, Runnable body) {
        double msPerCall() {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                body.run();
            }
            return (System.nanoTime() - start) / 1e6 / calls;
        }
    }

    /** An engine product whose result is closed after each call. */
    private static Timed engineProduct(String name, int calls, Supplier<NDArray> product) {
        return new Timed(name, calls, () -> product.get().close());
    }

    /** x copied into the engine, the product, and y copied back, as a host solver would do. */
    private static double[] copied(
            NDManager manager, double[] x, Shape shape, UnaryOperator<NDArray> product) {
        try (NDArray v = manager.create(x, shape);
                NDArray y = product.apply(v)) {
            return y.toDoubleArray();
        }
    }

    /**
     * A as a float64 sparse COO tensor of libtorch. The values and indices are made libtorch-owned
     * first ({@link GraphConstants#owned}): DJL's {@code createCoo} closes its Java-backed inputs
     * right after building the tensor, which shares their memory.
     */
    private static NDArray coo(NDManager manager, CsrMatrix a) {
        int[] start = a.rowPointers();
        int[] columns = a.columnIndices();
        long[][] indices = new long[2][columns.length];
        for (int i = 0; i < a.rows(); i++) {
            for (int k = start[i]; k < start[i + 1]; k++) {
                indices[0][k] = i;
                indices[1][k] = columns[k];
            }
        }
        NDArray values = GraphConstants.owned(manager.create(a.values()));
        NDArray index = GraphConstants.owned(manager.create(indices));
        return JniUtils.createSparseCoo(
                (PtNDArray) index, (PtNDArray) values, new Shape(a.rows(), a.cols()));
    }

    private static void check(String name, double[] actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= 1e-12 * (1 + Math.abs(expected[i])))) {
                throw new IllegalStateException(
                        "the "
                                + name
                                + " product differs from CsrMatrix.multiply at "
                                + i
                                + ": "
                                + actual[i]
                                + " against "
                                + expected[i]);
            }
        }
    }
}
