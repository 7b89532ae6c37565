package dev.descent.onnx;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The declared name, shape and element type of a model input or output. Dimensions are either fixed
 * sizes or symbolic (a name such as {@code "batch"}, or unnamed), as the model declares them.
 *
 * @param name the input or output name in the graph
 * @param shape the declared dimensions, outermost first
 * @param type the element type
 */
public record TensorSpec(String name, List<Dimension> shape, ElementType type) {

    /** Copies the shape so the record is immutable. */
    public TensorSpec {
        shape = List.copyOf(shape);
    }

    /**
     * One declared dimension: a fixed size, or symbolic with an optional name.
     *
     * @param size the size, or -1 when symbolic
     * @param symbol the symbolic name; empty when fixed or unnamed
     */
    public record Dimension(long size, String symbol) {

        /**
         * Returns whether the dimension has a fixed size.
         *
         * @return true when {@code size >= 0}
         */
        public boolean isFixed() {
            return size >= 0;
        }

        /**
         * Returns whether a concrete size fits this dimension.
         *
         * @param actual the size of a fed tensor in this dimension
         * @return true when symbolic, or when equal to the fixed size
         */
        public boolean accepts(long actual) {
            return !isFixed() || size == actual;
        }

        @Override
        public String toString() {
            if (isFixed()) {
                return Long.toString(size);
            }
            return symbol.isEmpty() ? "?" : symbol;
        }
    }

    /**
     * Returns the rank (number of dimensions).
     *
     * @return the rank
     */
    public int rank() {
        return shape.size();
    }

    /**
     * Returns whether a concrete shape fits the declared one (same rank, fixed sizes equal).
     *
     * @param actual a concrete shape
     * @return true when it fits
     */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.size()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (!shape.get(i).accepts(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the shape as {@code [batch, 4]}.
     *
     * @return the shape in brackets
     */
    public String shapeString() {
        return shape.stream().map(Dimension::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return name + " " + type + " " + shapeString();
    }
}
