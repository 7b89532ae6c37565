package dev.descent.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.descent.optim.Descent;
import dev.descent.optim.DescentOptimizer;
import dev.descent.optim.NonFiniteGradientPolicy;
import dev.descent.optim.ParameterState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the NaN/Inf gradient check costs per optimizer step: checked per parameter (an unbound
 * optimizer: one device-to-host copy per parameter), once per step (bound to the model: one copy
 * per step) and not at all ({@link NonFiniteGradientPolicy#UNCHECKED}), on a model of many small
 * tensors and on the elementwise table's shapes.
 *
 * <p>As in DJL's {@code Trainer}, each parameter's own gradient holds the step's gradient (set,
 * untimed, before every step, as a backward pass would) and {@code update} gets a copy of it.
 */
final class NonFiniteCheckCost {

    /** How the check runs. */
    private enum Mode {
        UNCHECKED("unchecked", NonFiniteGradientPolicy.UNCHECKED, false),
        PER_PARAMETER("per parameter (unbound)", NonFiniteGradientPolicy.THROW, false),
        PER_STEP("one per step (bound)", NonFiniteGradientPolicy.THROW, true);

        final String label;
        final NonFiniteGradientPolicy policy;
        final boolean bound;

        Mode(String label, NonFiniteGradientPolicy policy, boolean bound) {
            this.label = label;
            this.policy = policy;
            this.bound = bound;
        }
    }

    private record Model(String name, Supplier<Block> block, Shape input) {}

    private static final List<Model> MODELS =
            List.of(
                    new Model(
                            "32 x Linear(16): 64 tensors", () -> linears(32, 16), new Shape(1, 16)),
                    new Model(
                            "4 x Linear(1024): 8 tensors",
                            () -> linears(4, 1024),
                            new Shape(1, 1024)));

    private static final Map<String, Supplier<DescentOptimizer.Builder<?>>> OPTIMIZERS =
            new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("sgd", Descent::sgd);
        OPTIMIZERS.put("adabelief", Descent::adaBelief);
    }

    private final int steps;
    private final int warmup;
    private final int rounds;

    NonFiniteCheckCost(int steps, int warmup, int rounds) {
        this.steps = steps;
        this.warmup = warmup;
        this.rounds = rounds;
    }

    private static Block linears(int layers, int units) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            block.add(Linear.builder().setUnits(units).build());
        }
        return block;
    }

    /** Measures every model, optimizer and mode in interleaved rounds and prints the table. */
    void print(NDManager manager, PrintWriter out) {
        Map<String, double[]> times = new LinkedHashMap<>();
        Map<String, Integer> tensors = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            List<Block> blocks = new ArrayList<>();
            for (Model m : MODELS) {
                Block block = m.block().get();
                block.initialize(scope, DataType.FLOAT32, m.input());
                defineGradients(block);
                blocks.add(block);
                tensors.put(m.name(), block.getParameters().size());
            }
            for (int r = 0; r < rounds; r++) {
                for (int b = 0; b < blocks.size(); b++) {
                    for (Map.Entry<String, Supplier<DescentOptimizer.Builder<?>>> o :
                            OPTIMIZERS.entrySet()) {
                        for (Mode mode : Mode.values()) {
                            String key = key(MODELS.get(b).name(), o.getKey(), mode);
                            times.computeIfAbsent(key, k -> new double[rounds])[r] =
                                    msPerStep(scope, blocks.get(b), o.getValue(), mode);
                        }
                    }
                }
            }
        }
        out.printf(
                Locale.ROOT,
                "%nNaN/Inf check: ms/step checked per parameter (unbound), once per step (bound)"
                        + " and not at all; fastest of %d rounds x %d steps%n%n",
                rounds,
                steps);
        out.println(
                "| model | optimizer | unchecked ms | per parameter ms | × unchecked | one per step"
                        + " ms | × unchecked | per parameter / per step |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Model m : MODELS) {
            for (String o : OPTIMIZERS.keySet()) {
                double none = fastest(times.get(key(m.name(), o, Mode.UNCHECKED)));
                double each = fastest(times.get(key(m.name(), o, Mode.PER_PARAMETER)));
                double once = fastest(times.get(key(m.name(), o, Mode.PER_STEP)));
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %.3f | %.3f | %.2f | %.3f | %.2f | %.2f |%n",
                        m.name(),
                        o,
                        none,
                        each,
                        each / none,
                        once,
                        once / none,
                        each / once);
            }
        }
        out.flush();
    }

    private static String key(String model, String optimizer, Mode mode) {
        return model + "/" + optimizer + "/" + mode;
    }

    /** Gives every parameter a gradient buffer (one backward pass), as training does. */
    private static void defineGradients(Block block) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                w.setRequiresGradient(true);
                NDArray s = w.sum();
                total = total == null ? s : total.add(s);
            }
            collector.backward(total);
        }
    }

    private double msPerStep(
            NDManager parent,
            Block block,
            Supplier<DescentOptimizer.Builder<?>> builder,
            Mode mode) {
        DescentOptimizer<?> optimizer =
                builder.get().optNonFiniteGradientPolicy(mode.policy).build();
        if (mode.bound) {
            optimizer.bind(block);
        }
        try (NDManager manager = parent.newSubManager()) {
            List<Parameter> params = new ArrayList<>();
            List<NDArray> masters = new ArrayList<>();
            List<NDArray> handed = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                params.add(p.getValue());
                Shape shape = p.getValue().getArray().getShape();
                masters.add(manager.randomNormal(shape).muli(1e-3));
                handed.add(manager.zeros(shape));
            }
            NDIndex all = new NDIndex("...");
            long nanos = 0;
            for (int t = 0; t < warmup + steps; t++) {
                // untimed, as the backward pass and DJL's copy: the parameter's gradient and the
                // copy handed to update
                for (int i = 0; i < params.size(); i++) {
                    try (NDArray g = params.get(i).getArray().getGradient()) {
                        g.set(all, masters.get(i));
                    }
                    handed.get(i).set(all, masters.get(i));
                }
                long start = System.nanoTime();
                for (int i = 0; i < params.size(); i++) {
                    Parameter p = params.get(i);
                    optimizer.update(p.getId(), p.getArray(), handed.get(i));
                }
                if (t >= warmup) {
                    nanos += System.nanoTime() - start;
                }
            }
            return nanos / 1e6 / steps;
        } finally {
            // the state lives with the weights, which outlive this measurement
            for (Parameter p : block.getParameters().values()) {
                ParameterState state = optimizer.state(p.getId());
                if (state != null) {
                    state.buffers().forEach(NDArray::close);
                }
            }
        }
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
