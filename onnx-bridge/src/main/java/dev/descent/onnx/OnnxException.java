package dev.descent.onnx;

/**
 * A problem with an ONNX model or with what was fed to it: a missing or corrupt file, an input of
 * the wrong name, shape or element type, or a graph that cannot be imported. The message names the
 * model source, the input or node concerned, and what was expected.
 */
public class OnnxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the model, input or node
     */
    public OnnxException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what went wrong, naming the model, input or node
     * @param cause the ONNX Runtime, protobuf or I/O error underneath
     */
    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
