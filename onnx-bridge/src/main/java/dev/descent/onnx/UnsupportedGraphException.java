package dev.descent.onnx;

import java.util.List;

/**
 * A graph that cannot be imported into DJL. The message and {@link #problems()} list every
 * offending node with its operator and the reason (an operator with no DJL implementation, an
 * operator of another domain such as {@code ai.onnx.ml}, or an attribute value not supported), so
 * that one attempt shows everything that stands in the way.
 */
public final class UnsupportedGraphException extends OnnxException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    UnsupportedGraphException(String source, List<String> problems) {
        super(
                "model "
                        + source
                        + " cannot be imported into DJL ("
                        + problems.size()
                        + (problems.size() == 1 ? " problem" : " problems")
                        + "):\n  "
                        + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns one line per problem, each naming the node and its operator.
     *
     * @return the problems, in graph order
     */
    public List<String> problems() {
        return problems;
    }
}
