package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointListener} through {@code EasyTrain.fit}: a run resumed from a checkpoint pair
 * ({@code .params} and {@code .optim}) in a new model instance continues bit-identically.
 */
class CheckpointListenerTest {

    private static final int SAMPLES = 64;
    private static final int BATCH = 16;
    private static final Shape INPUT = new Shape(BATCH, 4);

    @TempDir Path dir;

    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
    }

    /** A fixed classification set in a fixed batch order (no shuffling). */
    private static ArrayDataset data(NDManager manager) {
        Random random = new Random(17);
        float[] x = new float[SAMPLES * 4];
        float[] y = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int best = 0;
            for (int j = 0; j < 4; j++) {
                x[4 * i + j] = (float) random.nextGaussian();
                if (j < 3 && x[4 * i + j] > x[4 * i + best]) {
                    best = j;
                }
            }
            y[i] = best;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(SAMPLES, 4)))
                .optLabels(manager.create(y))
                .setSampling(BATCH, false)
                .build();
    }

    private static DefaultTrainingConfig config(
            DescentOptimizer<?> optimizer, CheckpointListener l) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()})
                .addTrainingListeners(l);
    }

    private static Map<String, float[]> weights(Block block) {
        Map<String, float[]> w = new TreeMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            w.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return w;
    }

    private List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Trains {@code epochs} epochs from scratch, checkpointing into {@code folder}. */
    private Map<String, float[]> train(Path folder, int epochs, int every)
            throws IOException, TranslateException {
        try (Model model = Model.newInstance("mlp", Device.cpu(), "PyTorch")) {
            Engine.getInstance().setRandomSeed(5);
            Block block = mlp();
            model.setBlock(block);
            DescentOptimizer<?> optimizer = Descent.adaBelief().optLearningRate(0.01).build();
            CheckpointListener listener = new CheckpointListener(folder, optimizer).optEvery(every);
            try (Trainer trainer = model.newTrainer(config(optimizer, listener))) {
                trainer.initialize(INPUT);
                optimizer.bind(block);
                EasyTrain.fit(trainer, epochs, data(trainer.getManager()), null);
            }
            return weights(block);
        }
    }

    @Test
    void aResumedRunContinuesBitIdentically() throws Exception {
        Path straight = dir.resolve("straight");
        Map<String, float[]> expected = train(straight, 3, 1);
        assertThat(files(straight))
                .containsExactly(
                        "mlp-0001.optim",
                        "mlp-0001.params",
                        "mlp-0002.optim",
                        "mlp-0002.params",
                        "mlp-0003.optim",
                        "mlp-0003.params");
        assertThat(CheckpointListener.latestEpoch(straight, "mlp")).isEqualTo(OptionalInt.of(3));

        Path resumed = dir.resolve("resumed");
        try (Model model = Model.newInstance("mlp", Device.cpu(), "PyTorch")) {
            Engine.getInstance().setRandomSeed(6); // other initial weights: the load replaces them
            Block block = mlp();
            model.setBlock(block);
            model.load(straight, "mlp", Map.of("epoch", "1"));
            DescentOptimizer<?> optimizer = Descent.adaBelief().optLearningRate(0.01).build();
            CheckpointListener listener =
                    new CheckpointListener(resumed, optimizer).optCompletedEpochs(1);
            try (Trainer trainer = model.newTrainer(config(optimizer, listener))) {
                trainer.initialize(INPUT);
                optimizer.bind(block);
                CheckpointListener.loadOptimizer(
                        optimizer, straight, "mlp", 1, trainer.getManager());
                EasyTrain.fit(trainer, 2, data(trainer.getManager()), null);
            }
            Map<String, float[]> actual = weights(block);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            for (String name : expected.keySet()) {
                assertThat(actual.get(name)).as(name).isEqualTo(expected.get(name));
            }
        }
        assertThat(files(resumed))
                .containsExactly(
                        "mlp-0002.optim", "mlp-0002.params", "mlp-0003.optim", "mlp-0003.params");
        assertThat(
                        Files.mismatch(
                                straight.resolve("mlp-0003.optim"),
                                resumed.resolve("mlp-0003.optim")))
                .as("the optimizer states after epoch 3 differ at byte")
                .isEqualTo(-1L);
    }

    @Test
    void savesEveryNEpochsAndAfterTheLastOne() throws IOException, TranslateException {
        Path folder = dir.resolve("every2");
        train(folder, 3, 2);
        assertThat(files(folder))
                .containsExactly(
                        "mlp-0002.optim", "mlp-0002.params", "mlp-0003.optim", "mlp-0003.params");
    }

    @Test
    void aCorruptedCheckpointFileIsNamedAndRefused() throws IOException, TranslateException {
        Path folder = dir.resolve("corrupt");
        train(folder, 1, 1);
        Path file = CheckpointListener.optimizerFile(folder, "mlp", 1);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 1;
        Files.write(file, bytes);
        DescentOptimizer<?> optimizer = Descent.adaBelief().build();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertThatThrownBy(
                            () ->
                                    CheckpointListener.loadOptimizer(
                                            optimizer, folder, "mlp", 1, manager))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(
                            file + ": checkpoint is corrupted: the tensor data checksum is");
        }
        assertThat(optimizer.stateBytes()).isZero();
    }
}
