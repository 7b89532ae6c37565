package dev.descent.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.curvature.Hutchinson;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The cost of one exact Hessian-vector product against one gradient, on a ReLU perceptron 784 →
 * 1024 → 256 → 10 (1,068,810 float32 parameters) with softmax cross-entropy on a random batch of
 * 64, all measured in the same run.
 *
 * <ul>
 *   <li><b>gradient</b>: forward and backward through DJL's {@link GradientCollector}, as in a
 *       training step (gradients into the parameters' buffers).
 *   <li><b>HVP construction</b>: {@link HessianVectorProduct#ofParameters(ai.djl.nn.Block, Loss,
 *       NDList, NDList)}: forward and backward with the graph of the gradient kept.
 *   <li><b>HVP</b>: one {@link HessianVectorProduct#apply} on that operator: a second backward
 *       through the gradient's graph ({@code H·v = ∇⟨∇f, v⟩}).
 *   <li><b>Hutchinson sample</b>: {@link Hutchinson#trace} with a fixed budget, divided by the
 *       samples: one HVP plus drawing the Rademacher probe on the host and a dot product.
 * </ul>
 *
 * <p>Rounds are interleaved (each round times every quantity) and the fastest round of each is
 * reported, so that drift of a shared machine hits every quantity alike.
 */
@Command(
        name = "bench-hvp",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks exact Hessian-vector products against gradients on a ReLU MLP"
                    + " 784-1024-256-10 (1,068,810 parameters), batch 64, softmax cross-entropy:"
                    + " ms per gradient, per HVP-operator construction, per HVP and per"
                    + " Hutchinson trace sample, measured in the same run. Prints a Markdown"
                    + " table."
        })
public final class HvpBenchmark implements Callable<Integer> {

    /** The layer widths of the network. */
    static final int[] LAYERS = {784, 1024, 256, 10};

    /** The batch size. */
    static final int BATCH = 64;

    @Spec private CommandSpec spec;

    @Mixin private ProgressOption progress;

    @Option(
            names = "--repeats",
            defaultValue = "10",
            description = "Timed gradients and HVPs per round (>= 1; default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(
            names = "--trace-samples",
            defaultValue = "10",
            description = "Hutchinson samples per round (>= 2; default: ${DEFAULT-VALUE}).")
    private int traceSamples;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description =
                    "Interleaved rounds; the fastest of each quantity is reported (>= 1;"
                            + " default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch intra-op threads (>= 1; default: ${DEFAULT-VALUE}).")
    private int threads;

    /** The times of one round, in milliseconds. */
    record Times(double gradient, double construction, double hvp, double traceSample) {}

    @Override
    public Integer call() {
        if (repeats < 1 || rounds < 1 || threads < 1 || traceSamples < 2) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--repeats, --rounds and --threads must be >= 1 and --trace-samples >= 2,"
                            + " got "
                            + repeats
                            + ", "
                            + rounds
                            + ", "
                            + threads
                            + " and "
                            + traceSamples);
        }
        Engine engine = Engine.getEngine(ClassifierTraining.ENGINE);
        JniUtils.setNumThreads(threads);
        engine.setRandomSeed(0);
        Times[] times = new Times[rounds + 1];
        long parameters;
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(LAYERS[1]).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(LAYERS[2]).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(LAYERS[3]).build());
        Loss loss = Loss.softmaxCrossEntropyLoss();
        try (Model model = Model.newInstance("bench-hvp", Device.cpu(), engine.getEngineName());
                NDManager manager =
                        NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss))) {
                trainer.initialize(new Shape(BATCH, LAYERS[0]));
                parameters =
                        block.getParameters().stream()
                                .mapToLong(p -> p.getValue().getArray().size())
                                .sum();
                NDList x = new NDList(manager.randomNormal(new Shape(BATCH, LAYERS[0])));
                NDList y =
                        new NDList(
                                manager.randomInteger(
                                                0, LAYERS[3], new Shape(BATCH), DataType.INT32)
                                        .toType(DataType.FLOAT32, false));
                NDArray v = manager.randomNormal(new Shape(parameters));
                // round 0 warms up (allocator, TorchScript loading) and is not reported
                try (Progress bar = progress.start("bench-hvp", rounds + 1L, "rounds")) {
                    for (int r = 0; r <= rounds; r++) {
                        times[r] = round(trainer, block, loss, x, y, v);
                        bar.step();
                    }
                }
            }
        }
        Times best =
                new Times(
                        fastest(times, Times::gradient),
                        fastest(times, Times::construction),
                        fastest(times, Times::hvp),
                        fastest(times, Times::traceSample));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "Engine %s %s, %d intra-op threads; MLP %s (ReLU), %,d float32 parameters,"
                        + " batch %d, softmax cross-entropy; fastest of %d rounds (%d gradients,"
                        + " %d HVPs, %d trace samples each)%n%n",
                engine.getEngineName(),
                engine.getVersion(),
                threads,
                String.join("-", Arrays.stream(LAYERS).mapToObj(Integer::toString).toList()),
                parameters,
                BATCH,
                rounds,
                repeats,
                repeats,
                traceSamples);
        out.println("| quantity | ms | × gradient |");
        out.println("|---|---:|---:|");
        row(out, "gradient (forward + backward, GradientCollector)", best.gradient(), best);
        row(
                out,
                "HVP operator construction (forward + backward, graph kept)",
                best.construction(),
                best);
        row(out, "HVP (one apply)", best.hvp(), best);
        row(out, "HVP construction + one apply", best.construction() + best.hvp(), best);
        row(out, "Hutchinson trace, per sample", best.traceSample(), best);
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String name, double ms, Times best) {
        out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, ms, ms / best.gradient());
    }

    private Times round(
            Trainer trainer, SequentialBlock block, Loss loss, NDList x, NDList y, NDArray v) {
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            // the scope closes the forward pass's arrays (they attach to the inputs' manager)
            try (NDScope scope = new NDScope();
                    GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(loss.evaluate(y, trainer.forward(x)));
            }
        }
        double gradient = (System.nanoTime() - start) / 1e6 / repeats;
        start = System.nanoTime();
        try (HessianVectorProduct h = HessianVectorProduct.ofParameters(block, loss, x, y)) {
            double construction = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                h.apply(v).close();
            }
            double hvp = (System.nanoTime() - start) / 1e6 / repeats;
            start = System.nanoTime();
            Hutchinson.trace(h, 1, traceSamples, 0);
            double sample = (System.nanoTime() - start) / 1e6 / traceSamples;
            return new Times(gradient, construction, hvp, sample);
        }
    }

    private static double fastest(Times[] rounds, java.util.function.ToDoubleFunction<Times> f) {
        // rounds[0] is the warm-up
        return Arrays.stream(rounds, 1, rounds.length).mapToDouble(f).min().orElseThrow();
    }
}
