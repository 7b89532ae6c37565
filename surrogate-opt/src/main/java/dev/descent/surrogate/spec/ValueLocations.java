package dev.descent.surrogate.spec;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line and column of every scalar value of a JSON text, by the field name {@link ProblemSpec}
 * uses in its errors ({@code objective.weights[0]}: Gson's JSON path without its {@code $.}).
 *
 * <p>The position is the one Gson's {@link JsonReader} reports on peeking the value (its {@code
 * toString()}): the first character of a number that is not an integer, the first character inside
 * the quotes of a string, just past a literal Gson reads whole on peeking (an integer that fits a
 * long, {@code true}, {@code false}, {@code null}). Where Gson gives no position, none is known.
 */
final class ValueLocations {

    private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column (\\d+) ");

    private final Map<String, String> byField;

    private ValueLocations(Map<String, String> byField) {
        this.byField = byField;
    }

    /**
     * Records the positions of the values of a JSON text.
     *
     * @param json the text (already parsed once, so syntax errors are reported elsewhere)
     * @return the positions, empty where none could be read
     */
    static ValueLocations of(String json) {
        Map<String, String> byField = new HashMap<>();
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.LENIENT);
            while (true) {
                JsonToken token = reader.peek();
                switch (token) {
                    case BEGIN_ARRAY -> reader.beginArray();
                    case END_ARRAY -> reader.endArray();
                    case BEGIN_OBJECT -> reader.beginObject();
                    case END_OBJECT -> reader.endObject();
                    case NAME -> reader.nextName();
                    case END_DOCUMENT -> {
                        return new ValueLocations(byField);
                    }
                    default -> {
                        Matcher m = LOCATION.matcher(reader.toString());
                        String path = reader.getPath();
                        if (m.find() && path.startsWith("$.")) {
                            byField.put(
                                    path.substring(2),
                                    " (line " + m.group(1) + ", column " + m.group(2) + ")");
                        }
                        reader.skipValue();
                    }
                }
            }
        } catch (IOException e) {
            // positions are an aid to the message; the tree parse has accepted the text
            return new ValueLocations(byField);
        }
    }

    /**
     * Returns " (line L, column C)" for a field's value, or "" when its position is unknown.
     *
     * @param field the field name
     * @return the suffix for an error message
     */
    String at(String field) {
        return byField.getOrDefault(field, "");
    }
}
