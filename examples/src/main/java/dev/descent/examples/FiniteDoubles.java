package dev.descent.examples;

import picocli.CommandLine.ITypeConverter;

/**
 * A comma-separated list of finite numbers given as one command-line value, e.g. {@code --weights
 * 1,-0.5,2}: read as a whole so that a bad value is named by its position.
 *
 * @param values the numbers, in order; not empty
 */
record FiniteDoubles(double[] values) {

    /** Copies the numbers. */
    FiniteDoubles {
        values = values.clone();
    }

    /**
     * Returns a copy of the numbers.
     *
     * @return the numbers
     */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** Reads {@code a,b,c}: every value a finite number, named by its position when it is not. */
    static final class Converter implements ITypeConverter<FiniteDoubles> {
        @Override
        public FiniteDoubles convert(String text) {
            String[] parts = text.split(",", -1);
            double[] values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String where = "value " + (i + 1) + " of " + parts.length + ", ";
                values[i] = FiniteDouble.parse(parts[i].strip(), where);
            }
            return new FiniteDoubles(values);
        }
    }
}
