package dev.descent.optim;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.listener.SaveModelTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Saves a training checkpoint every {@code n} epochs: the model's parameters as DJL's {@link
 * SaveModelTrainingListener} saves them ({@code Model.save} with the model property {@code Epoch}
 * set, which writes {@code <model>-NNNN.params}), and beside them the optimizer's state ({@link
 * StatefulOptimizer#saveState}) as {@code <model>-NNNN.optim}, with the same four-digit epoch. Use
 * it in place of {@code SaveModelTrainingListener}; like it, it also saves after the last epoch
 * when that one was not saved. The optimizer state is written to a temporary file first and moved
 * into place, and a failure to write is thrown (not logged), so that training does not go on
 * without the checkpoints it was asked for.
 *
 * <p>To resume from epoch {@code e} (e.g. {@link #latestEpoch}), load the matching pair before
 * training on:
 *
 * <pre>{@code
 * int e = CheckpointListener.latestEpoch(dir, "mlp").orElseThrow();
 * model.setBlock(block);
 * model.load(dir, "mlp", Map.of("epoch", String.valueOf(e)));   // <model>-NNNN.params
 * Trainer trainer = model.newTrainer(config);   // config's optimizer is `optimizer`
 * trainer.initialize(inputShape);               // keeps the loaded parameters
 * optimizer.bind(block);                        // the state is keyed by parameter name
 * CheckpointListener.loadOptimizer(optimizer, dir, "mlp", e, trainer.getManager());
 * // train with new CheckpointListener(dir, optimizer).optModelName("mlp").optCompletedEpochs(e)
 * }</pre>
 *
 * <p>With the same data order, the resumed run continues bit-identically. Bind the optimizer to the
 * block before the first save as well: unbound, the state is keyed by parameter ids, which a new
 * process does not have ({@link DescentOptimizer#loadState}).
 */
public final class CheckpointListener extends TrainingListenerAdapter {

    /** The file name suffix of optimizer checkpoints. */
    public static final String SUFFIX = ".optim";

    private final Path directory;
    private final StatefulOptimizer optimizer;
    private String modelName;
    private int every = 1;
    private int epoch;
    private int lastSaved;

    /**
     * Creates a listener that saves after every epoch under the model's own name.
     *
     * @param directory the folder of the checkpoints (created when missing)
     * @param optimizer the optimizer of the trainer, whose state is saved
     */
    public CheckpointListener(Path directory, StatefulOptimizer optimizer) {
        this.directory = Arguments.notNull("directory", directory);
        this.optimizer = Arguments.notNull("optimizer", optimizer);
    }

    /**
     * Sets the name the files are saved under (default: the model's name).
     *
     * @param name the name, not empty
     * @return this listener
     */
    public CheckpointListener optModelName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("modelName must not be empty, got " + name);
        }
        modelName = name;
        return this;
    }

    /**
     * Saves every {@code epochs} epochs (default 1), counted from the first epoch of the whole run
     * (resumed runs included).
     *
     * @param epochs the interval, {@code >= 1}
     * @return this listener
     */
    public CheckpointListener optEvery(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("every must be >= 1 epochs, got " + epochs);
        }
        every = epochs;
        return this;
    }

    /**
     * Declares the epochs already trained before this run (a resumed run), so that the files go on
     * being numbered from there (default 0).
     *
     * @param epochs the epochs trained so far, {@code >= 0}
     * @return this listener
     */
    public CheckpointListener optCompletedEpochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("completedEpochs must be >= 0, got " + epochs);
        }
        epoch = epochs;
        lastSaved = epochs;
        return this;
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        if (epoch % every == 0) {
            save(trainer);
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (epoch != lastSaved) {
            save(trainer);
        }
    }

    private void save(Trainer trainer) {
        Model model = trainer.getModel();
        String name = modelName == null ? model.getName() : modelName;
        Path target = optimizerFile(directory, name, epoch);
        try {
            model.setProperty("Epoch", String.valueOf(epoch));
            model.save(directory, name);
            Path partial = Files.createTempFile(directory, target.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    optimizer.saveState(out);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the checkpoint " + target, e);
        }
        lastSaved = epoch;
    }

    /**
     * Returns the optimizer checkpoint of an epoch: {@code <directory>/<model>-NNNN.optim}, beside
     * DJL's {@code <model>-NNNN.params}.
     *
     * @param directory the folder
     * @param modelName the model's name
     * @param epoch the epoch, {@code >= 0}
     * @return the path
     */
    public static Path optimizerFile(Path directory, String modelName, int epoch) {
        return directory.resolve(String.format(Locale.ROOT, "%s-%04d%s", modelName, epoch, SUFFIX));
    }

    /**
     * Returns the last epoch with a complete checkpoint in a folder: both {@code
     * <model>-NNNN.params} and {@code <model>-NNNN.optim}.
     *
     * @param directory the folder
     * @param modelName the model's name
     * @return the highest such epoch, or empty when there is none (or no folder)
     * @throws IOException when the folder cannot be listed
     */
    public static OptionalInt latestEpoch(Path directory, String modelName) throws IOException {
        if (!Files.isDirectory(directory)) {
            return OptionalInt.empty();
        }
        Pattern pattern = Pattern.compile(Pattern.quote(modelName) + "-(\\d{4,})\\.params");
        int latest = -1;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int e = Integer.parseInt(m.group(1));
                    if (e > latest && Files.isRegularFile(optimizerFile(directory, modelName, e))) {
                        latest = e;
                    }
                }
            }
        }
        return latest < 0 ? OptionalInt.empty() : OptionalInt.of(latest);
    }

    /**
     * Loads the optimizer checkpoint of an epoch ({@link #optimizerFile}) into an optimizer.
     *
     * @param optimizer the optimizer (bound to the block first, for name-keyed checkpoints)
     * @param directory the folder
     * @param modelName the model's name
     * @param epoch the epoch
     * @param manager the manager that will own the restored tensors
     * @throws CheckpointException when the file is not a valid checkpoint of this optimizer and
     *     model (its message starts with the file); the state is then unchanged
     * @throws IOException when the file cannot be read
     */
    public static void loadOptimizer(
            StatefulOptimizer optimizer,
            Path directory,
            String modelName,
            int epoch,
            NDManager manager)
            throws IOException {
        Path file = optimizerFile(directory, modelName, epoch);
        try (InputStream in = Files.newInputStream(file)) {
            optimizer.loadState(in, manager);
        } catch (CheckpointException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }
}
