package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.descent.optim.EngineLinearAlgebra;
import dev.descent.optim.LinearAlgebra;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The decompositions behind SOAP's and Shampoo's refreshes, timed the ways they could be done: EJML
 * on a host copy, torch.linalg in the engine (through the TorchScript module of {@link
 * LinearAlgebra}), and a QR from matrix products only (Gram–Schmidt in the engine), next to a d³
 * matmul for scale. The figures justify the order in which {@link LinearAlgebra} tries them.
 */
@Command(
        name = "bench-decompositions",
        mixinStandardHelpOptions = true,
        description = {
            "Times the symmetric eigendecomposition and QR of d x d matrices: EJML on the host"
                    + " (copies included), torch.linalg in the engine, and an in-engine"
                    + " Gram-Schmidt QR, with a d^3 matmul for scale. Prints a Markdown table."
        })
public final class DecompositionBenchmark implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--sizes",
            defaultValue = "256,1024",
            split = ",",
            description = "Matrix sizes d (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Override
    public Integer call() {
        if (threads < 1 || sizes.stream().anyMatch(d -> d < 1)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--threads and --sizes must be >= 1, got " + threads + " and " + sizes);
        }
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        JniUtils.setNumThreads(threads);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Progress bar =
                        progress.startBetweenRows("bench-decompositions", sizes.size(), "sizes")) {
            out.printf(
                    Locale.ROOT,
                    "Engine %s %s, %d intra-op threads; float32%n%n",
                    Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(),
                    threads);
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
                bar.step();
            }
        }
        return 0;
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

    private static NDArray spd(NDManager manager, int d) {
        NDArray x = manager.randomNormal(new Shape(d, d));
        return x.matMul(x.transpose()).divi(d);
    }
}
