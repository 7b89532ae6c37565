package dev.descent.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of numeric rows read from a file, for {@code descent onnx eval}.
 *
 * <p>Two formats, told apart by the first non-blank character ({@code [} means JSON):
 *
 * <ul>
 *   <li><b>CSV</b>: one row per line, values separated by commas, blank lines skipped. The first
 *       line is a header when none of its fields is a number; otherwise it is data.
 *   <li><b>JSON</b>: an array of rows, each an array of numbers, e.g. {@code [[0.1, 2], [3,
 *       -4e-2]]}.
 * </ul>
 *
 * <p>Errors name the file, the 1-based line and column, and what was found.
 *
 * @param rows the rows; lengths are checked by the caller against the model
 * @param lines the 1-based line in the file where each row starts, for messages
 * @param header the column names of a CSV header, empty when there was none
 */
record InputRows(double[][] rows, int[] lines, List<String> header) {

    /** A file that does not hold a batch of numeric rows; the message says where and why. */
    static final class FormatException extends IllegalArgumentException {
        FormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads a CSV or JSON batch.
     *
     * @param file the file
     * @return the rows
     * @throws FormatException if the content is not a batch of numeric rows
     * @throws UncheckedIOException if the file cannot be read
     */
    static InputRows read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input " + file, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses a CSV or JSON batch.
     *
     * @param text the content
     * @param source what to call it in messages
     * @return the rows
     * @throws FormatException if the content is not a batch of numeric rows
     */
    static InputRows parse(String text, String source) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new FormatException(source + ": no rows (the file is empty)");
        }
        InputRows rows =
                trimmed.charAt(0) == '['
                        ? new JsonRows(text, source).parse()
                        : parseCsv(text, source);
        if (rows.rows().length == 0) {
            throw new FormatException(source + ": no rows (only a header)");
        }
        return rows;
    }

    /**
     * Checks that every row has the model's width.
     *
     * @param width the expected number of values per row
     * @param what what the width is, for the message (e.g. "input x FLOAT [batch, 4]")
     * @param source the file, for the message
     * @throws FormatException naming the first row of the wrong length
     */
    void checkWidth(int width, String what, String source) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new FormatException(
                        source
                                + " line "
                                + lines[r]
                                + ": row "
                                + (r + 1)
                                + " has "
                                + rows[r].length
                                + " values, expected "
                                + width
                                + " ("
                                + what
                                + ")");
            }
        }
    }

    private static InputRows parseCsv(String text, String source) {
        String[] lines = text.split("\r?\n|\r", -1);
        List<double[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> header = List.of();
        boolean first = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (first) {
                first = false;
                boolean anyNumber = false;
                for (String f : fields) {
                    anyNumber |= isNumber(f.strip());
                }
                if (!anyNumber) {
                    header = List.of(fields).stream().map(String::strip).toList();
                    continue;
                }
            }
            double[] row = new double[fields.length];
            int column = 1;
            for (int k = 0; k < fields.length; k++) {
                String f = fields[k].strip();
                if (f.isEmpty()) {
                    throw new FormatException(
                            source
                                    + " line "
                                    + (i + 1)
                                    + ", column "
                                    + column
                                    + " (field "
                                    + (k + 1)
                                    + "): empty value");
                }
                if (!isNumber(f)) {
                    throw new FormatException(
                            source
                                    + " line "
                                    + (i + 1)
                                    + ", column "
                                    + column
                                    + " (field "
                                    + (k + 1)
                                    + "): '"
                                    + f
                                    + "' is not a number");
                }
                row[k] = Double.parseDouble(f);
                column += fields[k].length() + 1;
            }
            rows.add(row);
            lineNumbers.add(i + 1);
        }
        return new InputRows(
                rows.toArray(new double[0][]),
                lineNumbers.stream().mapToInt(Integer::intValue).toArray(),
                header);
    }

    /** Decimal numbers as in CSV/JSON, plus NaN and (-)Infinity; no hex or type suffixes. */
    private static boolean isNumber(String s) {
        return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]?Infinity");
    }

    /** A strict reader of a JSON array of arrays of numbers that tracks line and column. */
    private static final class JsonRows {
        private final String text;
        private final String source;
        private int pos;
        private int line = 1;
        private int lineStart;

        JsonRows(String text, String source) {
            this.text = text;
            this.source = source;
        }

        InputRows parse() {
            List<double[]> rows = new ArrayList<>();
            List<Integer> lineNumbers = new ArrayList<>();
            expect('[', "an array of rows");
            elements(
                    () -> {
                        lineNumbers.add(line);
                        rows.add(row());
                    },
                    "after a row");
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected " + found() + " after the array of rows");
            }
            return new InputRows(
                    rows.toArray(new double[0][]),
                    lineNumbers.stream().mapToInt(Integer::intValue).toArray(),
                    List.of());
        }

        private double[] row() {
            expect('[', "a row (an array of numbers)");
            List<Double> values = new ArrayList<>();
            elements(() -> values.add(number()), "in a row");
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /**
         * Reads the comma-separated elements of an array whose '[' was consumed, up to and
         * including its ']'.
         */
        private void elements(Runnable element, String where) {
            skipSpace();
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                skipSpace();
                element.run();
                skipSpace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return;
                } else {
                    throw error("expected ',' or ']' " + where + ", found " + found());
                }
            }
        }

        private double number() {
            int start = pos;
            while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String token = text.substring(start, pos);
            if (token.isEmpty() || !isNumber(token)) {
                pos = start;
                throw error("expected a number, found " + found());
            }
            return Double.parseDouble(token);
        }

        private void expect(char c, String what) {
            skipSpace();
            if (peek() != c) {
                throw error("expected " + what + ", found " + found());
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private String found() {
            if (pos >= text.length()) {
                return "the end of the file";
            }
            int end = pos;
            while (end < text.length()
                    && end - pos < 12
                    && ",[]\n\r".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            return "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                if (text.charAt(pos) == '\n') {
                    line++;
                    lineStart = pos + 1;
                }
                pos++;
            }
        }

        private FormatException error(String message) {
            return new FormatException(
                    source
                            + " line "
                            + line
                            + ", column "
                            + (pos - lineStart + 1)
                            + ": "
                            + message);
        }
    }
}
