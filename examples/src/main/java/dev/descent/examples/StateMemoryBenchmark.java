package dev.descent.examples;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.descent.optim.BindableOptimizer;
import dev.descent.optim.Descent;
import dev.descent.optim.Frugal;
import dev.descent.optim.StatefulOptimizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Bytes of optimizer state per parameter, read from {@link StatefulOptimizer#stateBytes()} after a
 * few steps with random gradients, for every optimizer of {@link #optimizers()} on a few float32
 * models, with the ratio to AdamW's two moments (8 bytes per parameter).
 */
@Command(
        name = "bench-state",
        mixinStandardHelpOptions = true,
        description = {
            "Optimizer state in bytes per parameter (StatefulOptimizer.stateBytes() after a few"
                    + " steps with random gradients) for each optimizer on an MLP and two sets of"
                    + " layer shapes, float32, with the ratio to AdamW's two moments. Prints a"
                    + " Markdown table."
        })
public final class StateMemoryBenchmark implements Callable<Integer> {

    /** AdamW's first and second moment in float32. */
    static final double ADAMW_BYTES_PER_PARAMETER = 8;

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--width",
            defaultValue = "1024",
            description = "Width W of the models (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(
            names = "--steps",
            defaultValue = "3",
            description = "Steps before the state is read (default: ${DEFAULT-VALUE}).")
    private int steps;

    /** A model: its name and the block for a width. */
    private record Model(String name, IntFunction<Block> block, IntFunction<Shape> input) {}

    /**
     * The optimizers of the table, each at its defaults unless the name says otherwise (a name of
     * the library's table is built by {@link Descent#byName}); a new optimizer is one line here.
     * DJL's fused Adam does not report its state: its row states its two float32 moments.
     */
    static Map<String, Supplier<Optimizer>> optimizers() {
        Map<String, Supplier<Optimizer>> e = new LinkedHashMap<>();
        e.put("adamw", () -> Descent.byName("adamw"));
        e.put("adabelief", () -> Descent.byName("adabelief"));
        e.put("adabelief-amsgrad", () -> Descent.adaBelief().optAmsgrad(true).build());
        e.put("nadamw", () -> Descent.byName("nadamw"));
        e.put("lion", () -> Descent.byName("lion"));
        e.put("sgd-momentum", () -> Descent.sgd().optMomentum(0.9).build());
        e.put("adagrad", () -> Descent.byName("adagrad"));
        e.put(
                "rmsprop-centered-momentum",
                () -> Descent.rmsProp().optCentered(true).optMomentum(0.9).build());
        e.put("frugal (blocks)", () -> Descent.frugal().build());
        e.put("frugal (svd)", () -> frugal(Frugal.Subspace.SVD_PROJECTION));
        e.put("frugal (random)", () -> frugal(Frugal.Subspace.RANDOM_PROJECTION));
        e.put("frugal (permutation)", () -> frugal(Frugal.Subspace.PERMUTATION_PROJECTION));
        e.put("frugal (coordinates)", () -> frugal(Frugal.Subspace.COORDINATES));
        e.put("mfac (m = 16)", () -> Descent.mFac().optGradients(16).build());
        e.put("soap", () -> Descent.byName("soap"));
        e.put("shampoo", () -> Descent.byName("shampoo"));
        e.put("muon (+ adamw)", () -> Descent.muon().build());
        e.put("scion", () -> Descent.byName("scion"));
        e.put("psgd-kron", () -> Descent.byName("psgd-kron"));
        return e;
    }

    private static Optimizer frugal(Frugal.Subspace subspace) {
        return Descent.frugal().optSubspace(subspace).build();
    }

    private static List<Model> models() {
        return List.of(
                new Model(
                        "MLP 784-W-W/4-10",
                        w -> linears(false, w, w / 4, 10),
                        w -> new Shape(1, 784)),
                new Model(
                        "8 × W×W",
                        w -> linears(true, w, w, w, w, w, w, w, w),
                        w -> new Shape(1, w)),
                new Model("4W×W, W×4W", w -> linears(true, 4 * w, w), w -> new Shape(1, w)));
    }

    private static Block linears(boolean noBias, int... units) {
        SequentialBlock block = new SequentialBlock();
        for (int u : units) {
            block.add(Linear.builder().setUnits(u).optBias(!noBias).build());
        }
        return block;
    }

    @Override
    public Integer call() {
        if (width < 4 || steps < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--width must be >= 4 and --steps >= 1, got " + width + " and " + steps);
        }
        PrintWriter out = spec.commandLine().getOut();
        Engine.getInstance().setRandomSeed(0);
        List<Model> models = models();
        Map<String, Supplier<Optimizer>> optimizers = optimizers();
        Map<String, List<String>> cells = new LinkedHashMap<>();
        cells.put("djl-adam (fused)", new ArrayList<>());
        optimizers.keySet().forEach(k -> cells.put(k, new ArrayList<>()));
        List<Long> counts = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Progress bar =
                        progress.start(
                                "bench-state",
                                (long) models.size() * optimizers.size(),
                                "measurements")) {
            for (Model model : models) {
                try (NDManager scope = manager.newSubManager()) {
                    Block block = model.block().apply(width);
                    block.initialize(scope, DataType.FLOAT32, model.input().apply(width));
                    long count = 0;
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        count += p.getValue().getArray().size();
                    }
                    counts.add(count);
                    cells.get("djl-adam (fused)")
                            .add(cell(ADAMW_BYTES_PER_PARAMETER) + " (stated)");
                    for (Map.Entry<String, Supplier<Optimizer>> e : optimizers.entrySet()) {
                        long bytes = stateBytes(scope, block, e.getValue().get());
                        cells.get(e.getKey()).add(cell((double) bytes / count));
                        bar.step();
                    }
                }
            }
        }
        out.printf(
                Locale.ROOT,
                "State bytes per parameter after %d steps (ratio to AdamW's 8), float32, W = %d%n%n",
                steps,
                width);
        StringBuilder header = new StringBuilder("| optimizer |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 0; i < models.size(); i++) {
            header.append(
                    String.format(
                            Locale.ROOT,
                            " %s (%,d params) |",
                            models.get(i).name(),
                            counts.get(i)));
            rule.append("---:|");
        }
        out.println(header);
        out.println(rule);
        for (Map.Entry<String, List<String>> row : cells.entrySet()) {
            out.println("| " + row.getKey() + " | " + String.join(" | ", row.getValue()) + " |");
        }
        out.flush();
        return 0;
    }

    private static String cell(double bytesPerParameter) {
        return String.format(
                Locale.ROOT,
                "%.2f (%.3f×)",
                bytesPerParameter,
                bytesPerParameter / ADAMW_BYTES_PER_PARAMETER);
    }

    /**
     * Steps the optimizer on random gradients and returns its state's bytes. The weights are copies
     * owned by a scope of their own, so the state (which lives with the weights) is freed after.
     */
    private long stateBytes(NDManager parent, Block block, Optimizer optimizer) {
        if (optimizer instanceof BindableOptimizer bindable) {
            bindable.bind(block);
        }
        try (NDManager manager = parent.newSubManager()) {
            List<NDArray> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                weights.add(manager.randomNormal(p.getValue().getArray().getShape()));
            }
            for (int t = 0; t < steps; t++) {
                int i = 0;
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray weight = weights.get(i++);
                    try (NDArray grad = manager.randomNormal(weight.getShape())) {
                        optimizer.update(p.getValue().getId(), weight, grad);
                    }
                }
            }
            return ((StatefulOptimizer) optimizer).stateBytes();
        }
    }
}
