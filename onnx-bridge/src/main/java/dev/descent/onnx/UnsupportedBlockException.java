package dev.descent.onnx;

import java.util.List;

/**
 * A DJL block tree that cannot be exported to ONNX. The message and {@link #problems()} list every
 * offending block with its path in the tree (the child names of the enclosing {@code
 * SequentialBlock}s, joined by '/'), its class and the reason, so that one attempt shows everything
 * that stands in the way.
 */
public final class UnsupportedBlockException extends OnnxException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    UnsupportedBlockException(List<String> problems) {
        super(
                "the block cannot be exported to ONNX ("
                        + problems.size()
                        + (problems.size() == 1 ? " problem" : " problems")
                        + "):\n  "
                        + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns one line per problem, each naming the block path and its class.
     *
     * @return the problems, in the order of the forward pass
     */
    public List<String> problems() {
        return problems;
    }
}
