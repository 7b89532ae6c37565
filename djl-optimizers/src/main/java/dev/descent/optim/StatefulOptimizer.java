package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * An optimizer whose state can be measured, inspected, saved and restored: the API every Descent
 * optimizer implements, so that state memory can be compared across algorithms (per parameter, or
 * against AdamW's two moments) and training can resume exactly ({@link CheckpointListener}).
 */
public interface StatefulOptimizer {

    /**
     * Returns the bytes of optimizer state held now: every tensor (on any device) and host array
     * the optimizer keeps between steps, excluding the weights and gradients themselves.
     *
     * @return the number of bytes; 0 before the first step
     */
    long stateBytes();

    /**
     * Returns the state's tensors by name, like torch's {@code state_dict}: {@code
     * <parameter>/<tensor>} for per-parameter optimizers ({@code 01Linear_weight/m}; the parameter
     * is its name after {@code bind(block)}, else its id), {@code model/<tensor>} for a whole-model
     * optimizer ({@code model/gradients}); the tensor names are {@link
     * ParameterState#bufferNames()}. Keys are sorted; step counts and scalars are not tensors and
     * stay in the state records.
     *
     * <p>The map is read-only and holds the live tensors, not copies: do not close or modify them
     * (copy with {@code duplicate()} to keep values). The next step may update them in place or
     * replace them, and {@code loadState} replaces them all; take a new view after either.
     *
     * @return the tensors of the state now, by name; empty before the first step
     */
    Map<String, NDArray> stateView();

    /**
     * Writes the whole state to a stream, in Descent's checkpoint format (version 2: a manifest and
     * the tensor data, each with a CRC32 checksum).
     *
     * @param out the stream (not closed)
     * @throws IOException when writing fails
     */
    void saveState(OutputStream out) throws IOException;

    /**
     * Replaces the whole state by one written with {@link #saveState}. The checkpoint is read and
     * validated whole on the host, then checked against this optimizer (its class, the
     * configuration that fixes the state's layout, and, when a block is bound, its parameters'
     * names and shapes) before any state is replaced.
     *
     * @param in the stream (not closed)
     * @param manager the manager that will own the restored tensors
     * @throws CheckpointException when the stream is not a valid checkpoint this optimizer can
     *     restore; the state is then unchanged
     * @throws IOException when reading fails
     */
    void loadState(InputStream in, NDManager manager) throws IOException;
}
