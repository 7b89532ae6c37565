package dev.descent.optim;

import java.io.IOException;

/**
 * Thrown by {@code loadState} when a stream is not a checkpoint this optimizer can restore: it is
 * truncated or corrupted (a checksum, a count, a shape or a size does not hold), of another format
 * version, written by another optimizer or configuration, or for another model. The message names
 * the part that did not match, with what was expected and what was found. The optimizer's state is
 * unchanged when it is thrown.
 */
public final class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what did not match: the part of the checkpoint, expected and found
     */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that revealed the mismatch.
     *
     * @param message what did not match
     * @param cause the failure
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
