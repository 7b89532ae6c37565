package dev.descent.examples;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a number given on the command line, refusing NaN and infinities (also those a decimal too
 * large for a double, such as {@code 1e400}, would become): no {@code descent} option means
 * anything by them, and a non-finite weight or rate only turns every result into NaN. {@link
 * DescentCli#commandLine()} registers it for every {@code double} option; {@link FiniteDoubles}
 * reads comma-separated lists with it.
 */
final class FiniteDouble implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        return parse(value, "");
    }

    /**
     * Parses a finite number.
     *
     * @param text the text, as {@link Double#parseDouble} reads it
     * @param where what to call the value in the message (e.g. "value 2 of 3 "), or empty
     * @return the number
     * @throws TypeConversionException naming the value when it is not a finite number
     */
    static double parse(String text, String where) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new TypeConversionException(where + "'" + text + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new TypeConversionException(
                    where
                            + "'"
                            + text
                            + "' is not a finite number"
                            + (Double.isNaN(value) || text.strip().matches("[+-]?Infinity")
                                    ? ""
                                    : " (beyond the largest double, ±1.8e308)"));
        }
        return value;
    }
}
