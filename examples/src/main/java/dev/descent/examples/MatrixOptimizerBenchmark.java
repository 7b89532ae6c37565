package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import dev.descent.optim.Descent;
import dev.descent.optim.EngineLinearAlgebra;
import dev.descent.optim.LinearAlgebra;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The matrix-preconditioned optimizers' costs: the host decompositions against an in-engine
 * alternative, and ms per step of SOAP and Shampoo on one float32 weight against DJL's fused Adam
 * and against each optimizer's matmul-FLOP bound at the matmul rate measured in the same run.
 *
 * <p>FLOP model for an {@code m×n} weight with both axes preconditioned (a matrix product {@code
 * a×b · b×c} counts {@code 2abc}):
 *
 * <ul>
 *   <li>SOAP per step: projection {@code Q_Lᵀ·G·Q_R}, projection back, statistics {@code G·Gᵀ} and
 *       {@code Gᵀ·G}: {@code 6mn(m + n)}. Per refresh: per axis {@code d} the power step {@code
 *       GG·Q} ({@code 2d³}) and a Householder QR with {@code Q} formed ({@code 8d³/3}), plus the
 *       momentum moved between bases ({@code 4mn(m + n)}): {@code 14(m³ + n³)/3 + 4mn(m + n)},
 *       amortized over the refresh period (10). The first call's eigendecomposition is excluded
 *       (once per run).
 *   <li>Shampoo per step: statistics and {@code P_L·G·P_R}: {@code 4mn(m + n)}. Per root
 *       recomputation: per axis a symmetric eigendecomposition with vectors ({@code ≈9d³}) and
 *       {@code Q·diag·Qᵀ} ({@code 2d³}): {@code 11(m³ + n³)}, amortized over its period (10 here).
 * </ul>
 */
@Command(
        name = "bench-matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks SOAP and Shampoo: host (EJML) eigendecomposition and QR against an"
                    + " in-engine Gram-Schmidt QR, and ms/step per weight shape against DJL's fused"
                    + " Adam and the matmul-FLOP bound measured in the same run. Prints Markdown."
        })
public final class MatrixOptimizerBenchmark implements Callable<Integer> {

    /** The refresh period of SOAP (its default) and the root period given to Shampoo. */
    private static final int PERIOD = 10;

    @Spec private CommandSpec spec;

    @Option(
            names = "--shapes",
            defaultValue = "256x256,1024x1024",
            split = ",",
            description =
                    "Weight shapes ROWSxCOLS (default: ${DEFAULT-VALUE}; 4096x1024 takes"
                            + " minutes for SOAP's first eigendecomposition on the host).")
    private List<String> shapes;

    @Option(
            names = "--sizes",
            defaultValue = "256,1024",
            split = ",",
            description =
                    "Matrix sizes of the decomposition benchmark (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(
            names = "--steps",
            defaultValue = "20",
            description =
                    "Measured steps per optimizer and shape, two refresh periods by default"
                            + " (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Override
    public Integer call() {
        if (steps < 1 || threads < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--steps and --threads must be >= 1, got " + steps + " and " + threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        JniUtils.setNumThreads(threads);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            double rate = matmulRate(manager);
            out.printf(
                    Locale.ROOT,
                    "Engine %s %s, %d intra-op threads; float32; 1024^3 matmul rate %.1f GFLOP/s%n%n",
                    Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(),
                    threads,
                    rate / 1e9);
            out.println(
                    "| d | EJML eigh ms | EJML QR ms | engine CGS2 QR ms | torch.linalg eigh ms |"
                            + " torch.linalg QR ms | engine d^3 matmul ms |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int d : sizes) {
                out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                        d,
                        decompositionMs(manager, d, true, false),
                        decompositionMs(manager, d, false, false),
                        engineQrMs(manager, d),
                        decompositionMs(manager, d, true, true),
                        decompositionMs(manager, d, false, true),
                        matmulMs(manager, d));
                out.flush();
            }
            out.println();
            out.println(
                    "| shape | optimizer | ms/step | × DJL Adam | bound ms | × bound | slowest"
                            + " step ms |");
            out.println("|---|---|---:|---:|---:|---:|---:|");
            for (String s : shapes) {
                String[] parts = s.toLowerCase(Locale.ROOT).split("x");
                long m = Long.parseLong(parts[0].trim());
                long n = Long.parseLong(parts[1].trim());
                Shape shape = new Shape(m, n);
                double[] adam = stepTimes(manager, shape, () -> Optimizer.adam().build(), 1);
                double adamMs = mean(adam);
                out.printf(
                        Locale.ROOT,
                        "| %dx%d | djl-adam (baseline) | %.2f | 1.00 | | | %.2f |%n",
                        m,
                        n,
                        adamMs,
                        max(adam));
                double mn = (double) m * n * (m + n);
                double cubes = (double) m * m * m + (double) n * n * n;
                report(
                        out,
                        m,
                        n,
                        "soap",
                        stepTimes(manager, shape, () -> Descent.soap().build(), 1),
                        adamMs,
                        (6 * mn + (14 * cubes / 3 + 4 * mn) / PERIOD) / rate);
                report(
                        out,
                        m,
                        n,
                        "shampoo (roots every 10)",
                        stepTimes(
                                manager,
                                shape,
                                () -> Descent.shampoo().optPreconditionFrequency(PERIOD).build(),
                                1),
                        adamMs,
                        (4 * mn + 11 * cubes / PERIOD) / rate);
                out.flush();
            }
        }
        return 0;
    }

    private static void report(
            PrintWriter out,
            long m,
            long n,
            String name,
            double[] times,
            double adamMs,
            double boundSeconds) {
        double ms = mean(times);
        double boundMs = boundSeconds * 1e3;
        out.printf(
                Locale.ROOT,
                "| %dx%d | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                m,
                n,
                name,
                ms,
                ms / adamMs,
                boundMs,
                ms / boundMs,
                max(times));
    }

    /**
     * Times {@code steps} updates of one weight after {@code untimed} ones (SOAP's first call only
     * builds its bases), each with a fresh copy of a fixed gradient (Descent optimizers consume
     * it).
     */
    private double[] stepTimes(
            NDManager parent, Shape shape, Supplier<Optimizer> factory, int untimed) {
        try (NDManager manager = parent.newSubManager()) {
            Optimizer optimizer = factory.get();
            NDArray weight = manager.randomNormal(shape);
            NDArray master = manager.randomNormal(shape).muli(1e-3);
            NDArray grad = manager.zeros(shape);
            double[] times = new double[steps];
            for (int t = 0; t < untimed + steps; t++) {
                grad.set(new NDIndex("..."), master);
                long start = System.nanoTime();
                optimizer.update("w", weight, grad);
                if (t >= untimed) {
                    times[t - untimed] = (System.nanoTime() - start) / 1e6;
                }
            }
            return times;
        }
    }

    /**
     * The eigendecomposition or QR of a d×d SPD matrix by EJML on the host (copies included) or by
     * torch.linalg in the engine, fastest of three (the first runs warm the JIT).
     */
    private static double decompositionMs(NDManager parent, int d, boolean eigen, boolean engine) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            try (NDManager manager = parent.newSubManager()) {
                NDArray a = spd(manager, d);
                long start = System.nanoTime();
                NDArray result;
                if (engine) {
                    result =
                            eigen
                                    ? EngineLinearAlgebra.symmetricEigenvectors(a)
                                    : EngineLinearAlgebra.orthogonalFactor(a);
                } else {
                    result =
                            eigen
                                    ? LinearAlgebra.hostSymmetricEigenvectors(a)
                                    : LinearAlgebra.hostOrthogonalFactor(a);
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
                if (result == null) {
                    throw new IllegalStateException(
                            "decomposition of a " + d + "x" + d + " failed");
                }
            }
        }
        return best;
    }

    /**
     * QR in the engine from matrix products only: classical Gram–Schmidt with reorthogonalization
     * (CGS2), one column at a time. One power-iteration step plus this QR is the in-engine form of
     * SOAP's refresh; an eigendecomposition would need several such steps.
     */
    private static double engineQrMs(NDManager parent, int d) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = spd(manager, d);
            long start = System.nanoTime();
            NDArray q = manager.zeros(new Shape(d, d));
            for (int j = 0; j < d; j++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray v = a.get(new NDIndex(":, {}:{}", j, j + 1)).duplicate();
                    if (j > 0) {
                        NDArray basis = q.get(new NDIndex(":, :{}", j));
                        for (int pass = 0; pass < 2; pass++) {
                            NDArray r = basis.transpose().matMul(v);
                            v.subi(basis.matMul(r));
                        }
                    }
                    v.divi(v.norm());
                    q.set(new NDIndex(":, {}:{}", j, j + 1), v);
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static double matmulMs(NDManager parent, int d) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomNormal(new Shape(d, d));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                a.matMul(a).close();
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
            }
            return best;
        }
    }

    /** FLOP per second of a 1024³ float32 matmul, fastest of 5. */
    private static double matmulRate(NDManager manager) {
        return 2.0 * 1024 * 1024 * 1024 / (matmulMs(manager, 1024) / 1e3);
    }

    private static NDArray spd(NDManager manager, int d) {
        NDArray x = manager.randomNormal(new Shape(d, d));
        return x.matMul(x.transpose()).divi(d);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
