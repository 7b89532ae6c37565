package dev.descent.examples;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A batch of numeric rows read from a file, for {@code descent onnx eval}.
 *
 * <p>Two formats, told apart by the first non-blank character ({@code [} means JSON):
 *
 * <ul>
 *   <li><b>CSV</b> (RFC 4180, read by Apache Commons CSV): one row per record, values separated by
 *       commas, optionally in double quotes; blank lines skipped. The first record is a header when
 *       none of its fields is a number; otherwise it is data.
 *   <li><b>JSON</b> (read by Gson): an array of rows, each an array of numbers, e.g. {@code [[0.1,
 *       2], [3, -4e-2]]}.
 * </ul>
 *
 * <p>Every value must be a finite number: {@code NaN}, {@code Infinity} and decimals beyond the
 * range of a double ({@code 1e400}) are refused, since the model's outputs for them are NaN. Errors
 * name the file, the 1-based line and column, and what was found; a CSV file whose values are
 * separated by something else than commas (e.g. {@code 1;2;3;4}) is reported as such.
 *
 * @param rows the rows; lengths are checked by the caller against the model
 * @param lines the 1-based line in the file where each row starts, for messages
 * @param header the column names of a CSV header, empty when there was none
 */
record InputRows(double[][] rows, int[] lines, List<String> header) {

    /** A finite decimal number as in CSV and JSON files (no hex, no type suffixes). */
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The words for non-finite values that spreadsheets, NumPy and Java write. */
    private static final Pattern NON_FINITE =
            Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    /** Separators that CSV files from other tools use instead of commas. */
    private static final String OTHER_SEPARATORS = ";\t|";

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
     * @throws FormatException if the content is not a batch of finite numeric rows
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
     * @throws FormatException if the content is not a batch of finite numeric rows
     */
    static InputRows parse(String text, String source) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark, as spreadsheets write
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new FormatException(source + ": no rows (the file is empty)");
        }
        Positions at = new Positions(text, source);
        InputRows rows =
                trimmed.charAt(0) == '[' ? new JsonRows(text, at).parse() : parseCsv(text, at);
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

    /**
     * Reads a value that {@link #NUMBER} or {@link #NON_FINITE} matched.
     *
     * @throws FormatException at the value's place when it is not finite
     */
    private static double finite(String token, Positions at, int offset, String where) {
        double value = NON_FINITE.matcher(token).matches() ? Double.NaN : Double.parseDouble(token);
        if (!Double.isFinite(value)) {
            throw at.error(
                    offset,
                    where,
                    "'"
                            + token
                            + "' is not a finite number"
                            + (NON_FINITE.matcher(token).matches()
                                    ? ""
                                    : " (beyond the largest double, ±1.8e308)")
                            + "; every input must be finite");
        }
        return value;
    }

    private static boolean isNumberLike(String s) {
        return NUMBER.matcher(s).matches() || NON_FINITE.matcher(s).matches();
    }

    private static int otherSeparator(String field) {
        for (char c : OTHER_SEPARATORS.toCharArray()) {
            if (field.indexOf(c) >= 0) {
                return c;
            }
        }
        return -1;
    }

    private static String separatorName(int c) {
        return c == '\t' ? "tabs" : "'" + (char) c + "'";
    }

    private static InputRows parseCsv(String text, Positions at) {
        List<double[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> header = List.of();
        boolean first = true;
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (CSVParser parser =
                CSVParser.builder().setReader(new StringReader(text)).setFormat(format).get()) {
            for (CSVRecord record : parser) {
                List<String> fields = record.toList();
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue; // a line of spaces
                }
                int[] offsets = fieldOffsets(text, (int) record.getCharacterPosition(), fields);
                if (first) {
                    first = false;
                    int separator = fields.size() == 1 ? otherSeparator(fields.get(0)) : -1;
                    if (separator >= 0) {
                        throw at.error(
                                offsets[0],
                                "the separator looks wrong: expected commas, found "
                                        + separatorName(separator)
                                        + " in '"
                                        + fields.get(0).strip()
                                        + "'");
                    }
                    if (fields.stream().map(String::strip).noneMatch(InputRows::isNumberLike)) {
                        header = fields.stream().map(String::strip).toList();
                        continue;
                    }
                }
                double[] row = new double[fields.size()];
                for (int k = 0; k < row.length; k++) {
                    String f = fields.get(k).strip();
                    String field = " (field " + (k + 1) + ")";
                    if (f.isEmpty()) {
                        throw at.error(offsets[k], field, "empty value");
                    }
                    if (!isNumberLike(f)) {
                        int separator = otherSeparator(f);
                        throw at.error(
                                offsets[k],
                                field,
                                "'"
                                        + f
                                        + "' is not a number"
                                        + (separator < 0
                                                ? ""
                                                : " (values must be separated by commas, found "
                                                        + separatorName(separator)
                                                        + ")"));
                    }
                    row[k] = finite(f, at, offsets[k], field);
                }
                rows.add(row);
                lineNumbers.add(at.line(offsets[0]));
            }
        } catch (IOException | UncheckedIOException e) {
            // Commons CSV reports broken quoting this way; its message gives the line
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new FormatException(at.source() + ": not valid CSV: " + cause.getMessage());
        }
        return new InputRows(
                rows.toArray(new double[0][]),
                lineNumbers.stream().mapToInt(Integer::intValue).toArray(),
                header);
    }

    /**
     * The offset in the text where each field of a record starts: a field spans its value, plus the
     * enclosing quotes and the doubled inner quotes when it was quoted, then one comma.
     */
    private static int[] fieldOffsets(String text, int start, List<String> fields) {
        int[] offsets = new int[fields.size()];
        int pos = start;
        // Commons CSV gives the position before the empty lines it skipped
        while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            pos++;
        }
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = pos;
            String value = fields.get(k);
            boolean quoted = pos < text.length() && text.charAt(pos) == '"';
            long quotes = value.chars().filter(c -> c == '"').count();
            pos += value.length() + (quoted ? 2 + (int) quotes : 0) + 1;
        }
        return offsets;
    }

    /** Line and column of offsets into the text, for messages. */
    private static final class Positions {
        private final String source;
        private final int[] lineStarts;

        Positions(String text, String source) {
            this.source = source;
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
                if (c == '\n' || (c == '\r' && !crlf)) {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        String source() {
            return source;
        }

        /** The 1-based line of an offset. */
        int line(int offset) {
            int i = Arrays.binarySearch(lineStarts, offset);
            return (i >= 0 ? i : -i - 2) + 1;
        }

        /** The offset of a 1-based line and column. */
        int offset(int line, int column) {
            return lineStarts[Math.min(line, lineStarts.length) - 1] + column - 1;
        }

        FormatException error(int offset, String message) {
            return error(offset, "", message);
        }

        /** An error at an offset, with {@code where} (e.g. " (field 2)") after the column. */
        FormatException error(int offset, String where, String message) {
            int line = line(offset);
            int column = offset - lineStarts[line - 1] + 1;
            return new FormatException(
                    source + " line " + line + ", column " + column + where + ": " + message);
        }
    }

    /**
     * Reads a JSON array of arrays of numbers with Gson's streaming reader. Gson is lenient here so
     * that NaN and Infinity reach this reader and are refused with their place, rather than as a
     * syntax error; the place of each token is taken from the reader's location.
     */
    private static final class JsonRows {
        /** Gson's {@code JsonReader.toString()}: {@code JsonReader at line 2 column 7 path ...}. */
        private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column (\\d+) ");

        private static final String DELIMITERS = ",[]{}:";

        private final String text;
        private final Positions at;
        private final JsonReader reader;

        JsonRows(String text, Positions at) {
            this.text = text;
            this.at = at;
            this.reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.LENIENT);
        }

        InputRows parse() {
            List<double[]> rows = new ArrayList<>();
            List<Integer> lineNumbers = new ArrayList<>();
            try {
                if (peek("an array of rows") != JsonToken.BEGIN_ARRAY) {
                    throw expected("an array of rows");
                }
                reader.beginArray();
                for (JsonToken t = peek("a row");
                        t != JsonToken.END_ARRAY;
                        t = next("after a row")) {
                    if (t != JsonToken.BEGIN_ARRAY) {
                        throw expected("a row (an array of numbers)");
                    }
                    lineNumbers.add(at.line(start(t)));
                    reader.beginArray();
                    List<Double> values = new ArrayList<>();
                    for (JsonToken v = peek("a number"); v != JsonToken.END_ARRAY; ) {
                        values.add(number(v));
                        v = next("in a row");
                    }
                    reader.endArray();
                    rows.add(values.stream().mapToDouble(Double::doubleValue).toArray());
                }
                reader.endArray();
                JsonToken rest = peek("the end of the file");
                if (rest != JsonToken.END_DOCUMENT) {
                    throw at.error(
                            start(rest),
                            "unexpected " + found(start(rest)) + " after the array of rows");
                }
            } catch (IOException e) {
                // not reached: every token was peeked before it was consumed
                throw at.error(failedAt(e), "not valid JSON: " + e.getMessage());
            }
            return new InputRows(
                    rows.toArray(new double[0][]),
                    lineNumbers.stream().mapToInt(Integer::intValue).toArray(),
                    List.of());
        }

        /** The next token, or an error saying what was expected where the syntax broke. */
        private JsonToken peek(String expected) {
            try {
                return reader.peek();
            } catch (IOException e) {
                int pos = failedAt(e);
                throw at.error(pos, "expected " + expected + ", found " + found(pos));
            }
        }

        /**
         * The token after an element of an array: Gson has passed the ',' (or fails on anything but
         * ',' and ']').
         */
        private JsonToken next(String where) {
            return peek("',' or ']' " + where);
        }

        /**
         * Where Gson failed: at the end of the file, or at the character it read and refused (its
         * location is just past it).
         */
        private int failedAt(IOException e) {
            return e instanceof EOFException ? location() : Math.max(0, location() - 1);
        }

        private FormatException expected(String what) {
            JsonToken t = peek(what);
            int start = start(t);
            return at.error(start, "expected " + what + ", found " + found(start));
        }

        private double number(JsonToken t) throws IOException {
            int start = start(t);
            boolean quoted = t == JsonToken.STRING && "\"'".indexOf(text.charAt(start)) >= 0;
            if ((t == JsonToken.NUMBER || t == JsonToken.STRING) && !quoted) {
                String token = reader.nextString();
                if (isNumberLike(token)) {
                    return finite(token, at, start, "");
                }
            }
            throw at.error(start, "expected a number, found " + found(start));
        }

        /** Where the reader stands, as it reports it. */
        private int location() {
            Matcher m = LOCATION.matcher(reader.toString() + " ");
            if (!m.find()) {
                return text.length();
            }
            return Math.min(
                    text.length(),
                    at.offset(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }

        /**
         * Where a token just peeked starts. Gson's location is past a bracket it peeked, past the
         * first character of a string and past a whole integer or keyword, but at the start of
         * other numbers; backing up over the token's characters finds the start in every case.
         */
        private int start(JsonToken t) {
            int pos = location();
            if (t == JsonToken.BEGIN_ARRAY
                    || t == JsonToken.END_ARRAY
                    || t == JsonToken.BEGIN_OBJECT
                    || t == JsonToken.END_OBJECT) {
                return pos - 1;
            }
            if (t == JsonToken.END_DOCUMENT) {
                return pos;
            }
            while (pos > 0
                    && !Character.isWhitespace(text.charAt(pos - 1))
                    && DELIMITERS.indexOf(text.charAt(pos - 1)) < 0) {
                pos--;
            }
            return pos;
        }

        private String found(int pos) {
            int from = pos;
            while (from < text.length() && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
            if (from >= text.length()) {
                return "the end of the file";
            }
            int end = from;
            while (end < text.length()
                    && end - from < 12
                    && ",[]\n\r".indexOf(text.charAt(end)) < 0) {
                end++;
            }
            return "'" + text.substring(from, Math.max(end, from + 1)) + "'";
        }
    }
}
