package dev.descent.surrogate.spec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.descent.onnx.Surrogate;
import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.SurrogateProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A surrogate optimization problem declared in a JSON problem file, independent of the network it
 * is applied to; {@link #toProblem(Surrogate)} checks it against the network's dimensions and
 * builds a {@link SurrogateProblem}.
 *
 * <pre>{@code
 * {
 *   "objective": {"type": "weighted-sum", "weights": [1, -0.5], "offset": 0},
 *   "constraints": [
 *     {"type": "output-bounds", "output": 1, "lower": -0.5, "upper": 0.5},
 *     {"type": "linear", "weights": [1, 1], "upper": 0.8}
 *   ],
 *   "bounds": {"lower": -1, "upper": [1, 1, 2]},
 *   "start": [0, 0, 0],
 *   "constraint-handling": {"type": "penalty", "scale": 10}
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code objective} (required), maximized: {@code weighted-sum} is ⟨w, y⟩ + offset ({@code
 *       offset} defaults to 0); {@code target-distance} is −Σ_j w_j (y_j − t_j)² with {@code
 *       target} t and optional {@code weights} w (default all 1), whose maximum 0 is reached when
 *       the network hits the target.
 *   <li>{@code constraints} (optional): {@code output-bounds} on one output index, with {@code
 *       lower} and/or {@code upper} (each becomes one constraint {@code lower − y_j ≤ 0}, {@code
 *       y_j − upper ≤ 0}); {@code linear} is ⟨w, y⟩ ≤ upper (and/or ≥ lower).
 *   <li>{@code bounds} (optional, default unbounded): {@code lower} and {@code upper}, each a
 *       number (the same for every variable) or an array of length n.
 *   <li>{@code start} (optional): an array of length n; by default the centre of the box (which
 *       then must be finite).
 *   <li>{@code constraint-handling} (optional, default penalty with scale 1): {@code penalty} with
 *       {@code scale} &gt; 0, {@code extreme-barrier} or {@code progressive-barrier}.
 * </ul>
 *
 * Every number must be finite: a literal too large for a double (e.g. {@code 1e400}) and the
 * strings {@code "Infinity"} / {@code "-Infinity"} are errors, except that a bound may be {@code
 * "-Infinity"} as a lower and {@code "Infinity"} as an upper side (no bound on that side; also
 * {@code "-inf"} and {@code "inf"}), in {@code bounds} and in constraints.
 *
 * <p>Every error names the file and the field, and the value's line and column where it is about a
 * value, e.g. {@code p.json: objective.weights[0] must be a finite number, got 1e400 (line 2,
 * column 53)}. Unknown fields are errors too, so that a misspelt optional field is not silently
 * ignored.
 *
 * @param objective f
 * @param constraints the constraints, in file order
 * @param lower the lower bounds: one value per variable, or a single value for all
 * @param upper the upper bounds: one value per variable, or a single value for all
 * @param start the start point, or null for the centre of the box
 * @param handling the constraint handling
 */
public record ProblemSpec(
        ObjectiveSpec objective,
        List<ConstraintSpec> constraints,
        double[] lower,
        double[] upper,
        double[] start,
        ConstraintHandling handling) {

    /** The objective over the network outputs. */
    public sealed interface ObjectiveSpec {
        /**
         * Returns f as an output function with its exact gradient.
         *
         * @param outputs m, the network's output dimension
         * @param field the field name for errors
         * @return f
         */
        OutputFunction toFunction(int outputs, String field);
    }

    /**
     * f(y) = ⟨w, y⟩ + offset.
     *
     * @param weights w
     * @param offset the constant
     */
    public record WeightedSum(double[] weights, double offset) implements ObjectiveSpec {
        @Override
        public OutputFunction toFunction(int outputs, String field) {
            checkLength(weights, outputs, field + ".weights", "outputs");
            return OutputFunction.linear(weights, offset);
        }
    }

    /**
     * f(y) = −Σ_j w_j (y_j − t_j)².
     *
     * @param target t
     * @param weights w
     */
    public record TargetDistance(double[] target, double[] weights) implements ObjectiveSpec {
        @Override
        public OutputFunction toFunction(int outputs, String field) {
            checkLength(target, outputs, field + ".target", "outputs");
            checkLength(weights, outputs, field + ".weights", "outputs");
            double[] t = target.clone();
            double[] w = weights.clone();
            return OutputFunction.of(
                    y -> {
                        double s = 0;
                        for (int j = 0; j < t.length; j++) {
                            double d = y[j] - t[j];
                            s -= w[j] * d * d;
                        }
                        return s;
                    },
                    y -> {
                        double[] g = new double[t.length];
                        for (int j = 0; j < t.length; j++) {
                            g[j] = -2 * w[j] * (y[j] - t[j]);
                        }
                        return g;
                    });
        }
    }

    /**
     * A two-sided linear constraint lower ≤ ⟨w, y⟩ ≤ upper; an infinite side is absent. {@code
     * output-bounds} on output j is the same with w the unit vector e_j.
     *
     * @param weights w, or null for a unit vector of {@code output}
     * @param output the output index of an {@code output-bounds} constraint, or −1
     * @param lower the lower side, or −∞
     * @param upper the upper side, or +∞
     */
    public record ConstraintSpec(double[] weights, int output, double lower, double upper) {

        /**
         * Returns the one or two constraints c(y) ≤ 0 this declares.
         *
         * @param outputs m
         * @param field the field name for errors
         * @return the constraints
         */
        public List<OutputFunction> toFunctions(int outputs, String field) {
            double[] w;
            if (weights == null) {
                if (output >= outputs) {
                    throw new IllegalArgumentException(
                            field
                                    + ".output is "
                                    + output
                                    + " but the model has "
                                    + outputs
                                    + " outputs (indices 0 to "
                                    + (outputs - 1)
                                    + ")");
                }
                w = new double[outputs];
                w[output] = 1;
            } else {
                checkLength(weights, outputs, field + ".weights", "outputs");
                w = weights;
            }
            List<OutputFunction> list = new ArrayList<>();
            if (Double.isFinite(upper)) {
                list.add(OutputFunction.linear(w, -upper));
            }
            if (Double.isFinite(lower)) {
                double[] negated = new double[w.length];
                for (int j = 0; j < w.length; j++) {
                    negated[j] = -w[j];
                }
                list.add(OutputFunction.linear(negated, lower));
            }
            return list;
        }
    }

    /**
     * Reads and parses a problem file.
     *
     * @param file the JSON file
     * @return the spec
     * @throws IllegalArgumentException naming the file and field when the content is wrong
     * @throws UncheckedIOException when the file cannot be read
     */
    public static ProblemSpec read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read problem file " + file, e);
        }
    }

    /**
     * Parses a problem from JSON text.
     *
     * @param json the text
     * @param source the name used in error messages (a file name)
     * @return the spec
     * @throws IllegalArgumentException naming the source and field when the content is wrong
     */
    public static ProblemSpec parse(String json, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return new Reader(ValueLocations.of(json)).problem(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the problem over a network, checking lengths against its dimensions.
     *
     * @param surrogate Φ; not owned
     * @return the problem
     * @throws IllegalArgumentException naming the field whose length or index does not fit Φ, or
     *     the problem builder's message for bad bounds or start
     */
    public SurrogateProblem toProblem(Surrogate surrogate) {
        int n = surrogate.inputDimension();
        int m = surrogate.outputDimension();
        double[] lo = broadcast(lower, n, "bounds.lower");
        double[] hi = broadcast(upper, n, "bounds.upper");
        double[] x0;
        if (start == null) {
            x0 = new double[n];
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(lo[i]) || !Double.isFinite(hi[i])) {
                    throw new IllegalArgumentException(
                            "start is required when the bounds of variable "
                                    + i
                                    + " are not finite");
                }
                x0[i] = (lo[i] + hi[i]) / 2;
            }
        } else {
            checkLength(start, n, "start", "inputs");
            x0 = start;
        }
        SurrogateProblem.Builder b =
                SurrogateProblem.builder(surrogate)
                        .setStart(x0)
                        .setObjective(objective.toFunction(m, "objective"))
                        .optBounds(lo, hi)
                        .optConstraintHandling(handling);
        for (int c = 0; c < constraints.size(); c++) {
            constraints.get(c).toFunctions(m, "constraints[" + c + "]").forEach(b::optConstraint);
        }
        return b.build();
    }

    private static double[] broadcast(double[] values, int n, String field) {
        if (values.length == 1) {
            double[] all = new double[n];
            Arrays.fill(all, values[0]);
            return all;
        }
        checkLength(values, n, field, "inputs");
        return values;
    }

    private static void checkLength(double[] values, int expected, String field, String what) {
        if (values.length != expected) {
            throw new IllegalArgumentException(
                    field
                            + " has length "
                            + values.length
                            + " but the model has "
                            + expected
                            + " "
                            + what);
        }
    }

    /** Walks the JSON tree, naming each field it reads in its errors. */
    private static final class Reader {

        private final ValueLocations locations;

        Reader(ValueLocations locations) {
            this.locations = locations;
        }

        ProblemSpec problem(JsonElement root) {
            JsonObject o = object(root, "the problem");
            allowOnly(
                    o,
                    "",
                    Set.of("objective", "constraints", "bounds", "start", "constraint-handling"));
            ObjectiveSpec objective = objective(required(o, "objective", ""), "objective");
            List<ConstraintSpec> constraints = new ArrayList<>();
            if (o.has("constraints")) {
                JsonArray a = array(o.get("constraints"), "constraints");
                for (int c = 0; c < a.size(); c++) {
                    constraints.add(constraint(a.get(c), "constraints[" + c + "]"));
                }
            }
            double[] lower = {Double.NEGATIVE_INFINITY};
            double[] upper = {Double.POSITIVE_INFINITY};
            if (o.has("bounds")) {
                JsonObject b = object(o.get("bounds"), "bounds");
                allowOnly(b, "bounds.", Set.of("lower", "upper"));
                if (b.has("lower")) {
                    lower = bounds(b.get("lower"), "bounds.lower", Double.NEGATIVE_INFINITY);
                }
                if (b.has("upper")) {
                    upper = bounds(b.get("upper"), "bounds.upper", Double.POSITIVE_INFINITY);
                }
            }
            double[] start = o.has("start") ? numbers(o.get("start"), "start") : null;
            ConstraintHandling handling = ConstraintHandling.penalty(1);
            if (o.has("constraint-handling")) {
                handling = handling(o.get("constraint-handling"), "constraint-handling");
            }
            return new ProblemSpec(objective, constraints, lower, upper, start, handling);
        }

        ObjectiveSpec objective(JsonElement e, String field) {
            JsonObject o = object(e, field);
            String type = string(required(o, "type", field + "."), field + ".type");
            switch (type) {
                case "weighted-sum" -> {
                    allowOnly(o, field + ".", Set.of("type", "weights", "offset"));
                    double[] w = numbers(required(o, "weights", field + "."), field + ".weights");
                    double offset =
                            o.has("offset") ? number(o.get("offset"), field + ".offset") : 0;
                    return new WeightedSum(w, offset);
                }
                case "target-distance" -> {
                    allowOnly(o, field + ".", Set.of("type", "target", "weights"));
                    double[] t = numbers(required(o, "target", field + "."), field + ".target");
                    double[] w = new double[t.length];
                    Arrays.fill(w, 1);
                    if (o.has("weights")) {
                        w = numbers(o.get("weights"), field + ".weights");
                        for (int j = 0; j < w.length; j++) {
                            if (!(w[j] >= 0)) {
                                throw new IllegalArgumentException(
                                        field + ".weights[" + j + "] must be >= 0, got " + w[j]);
                            }
                        }
                    }
                    return new TargetDistance(t, w);
                }
                default ->
                        throw new IllegalArgumentException(
                                field
                                        + ".type must be \"weighted-sum\" or \"target-distance\", got \""
                                        + type
                                        + "\"");
            }
        }

        ConstraintSpec constraint(JsonElement e, String field) {
            JsonObject o = object(e, field);
            String type = string(required(o, "type", field + "."), field + ".type");
            double[] weights = null;
            int output = -1;
            switch (type) {
                case "output-bounds" -> {
                    allowOnly(o, field + ".", Set.of("type", "output", "lower", "upper"));
                    double index = number(required(o, "output", field + "."), field + ".output");
                    if (index != Math.rint(index) || index < 0 || index > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(
                                field + ".output must be an integer >= 0, got " + index);
                    }
                    output = (int) index;
                }
                case "linear" -> {
                    allowOnly(o, field + ".", Set.of("type", "weights", "lower", "upper"));
                    weights = numbers(required(o, "weights", field + "."), field + ".weights");
                }
                default ->
                        throw new IllegalArgumentException(
                                field
                                        + ".type must be \"output-bounds\" or \"linear\", got \""
                                        + type
                                        + "\"");
            }
            double lower =
                    o.has("lower")
                            ? bound(o.get("lower"), field + ".lower", Double.NEGATIVE_INFINITY)
                            : Double.NEGATIVE_INFINITY;
            double upper =
                    o.has("upper")
                            ? bound(o.get("upper"), field + ".upper", Double.POSITIVE_INFINITY)
                            : Double.POSITIVE_INFINITY;
            if (!o.has("lower") && !o.has("upper")) {
                throw new IllegalArgumentException(field + " needs \"lower\", \"upper\" or both");
            }
            if (lower > upper) {
                throw new IllegalArgumentException(
                        field + ".lower must be <= upper, got " + lower + " > " + upper);
            }
            return new ConstraintSpec(weights, output, lower, upper);
        }

        ConstraintHandling handling(JsonElement e, String field) {
            JsonObject o = object(e, field);
            String type = string(required(o, "type", field + "."), field + ".type");
            return switch (type) {
                case "penalty" -> {
                    allowOnly(o, field + ".", Set.of("type", "scale"));
                    double scale = o.has("scale") ? number(o.get("scale"), field + ".scale") : 1;
                    if (!(scale > 0) || Double.isInfinite(scale)) {
                        throw new IllegalArgumentException(
                                field + ".scale must be finite and > 0, got " + scale);
                    }
                    yield ConstraintHandling.penalty(scale);
                }
                case "extreme-barrier" -> {
                    allowOnly(o, field + ".", Set.of("type"));
                    yield new ConstraintHandling.ExtremeBarrier();
                }
                case "progressive-barrier" -> {
                    allowOnly(o, field + ".", Set.of("type"));
                    yield new ConstraintHandling.ProgressiveBarrier();
                }
                default ->
                        throw new IllegalArgumentException(
                                field
                                        + ".type must be \"penalty\", \"extreme-barrier\" or"
                                        + " \"progressive-barrier\", got \""
                                        + type
                                        + "\"");
            };
        }

        static JsonElement required(JsonObject o, String name, String prefix) {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) {
                throw new IllegalArgumentException(prefix + name + " is required");
            }
            return e;
        }

        static void allowOnly(JsonObject o, String prefix, Set<String> names) {
            for (String key : o.keySet()) {
                if (!names.contains(key)) {
                    throw new IllegalArgumentException(
                            "unknown field "
                                    + prefix
                                    + key
                                    + " (expected one of "
                                    + names.stream().sorted().toList()
                                    + ")");
                }
            }
        }

        static JsonObject object(JsonElement e, String field) {
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(field + " must be an object, got " + e);
            }
            return e.getAsJsonObject();
        }

        static JsonArray array(JsonElement e, String field) {
            if (!e.isJsonArray()) {
                throw new IllegalArgumentException(field + " must be an array, got " + e);
            }
            return e.getAsJsonArray();
        }

        static String string(JsonElement e, String field) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(field + " must be a string, got " + e);
            }
            return e.getAsString();
        }

        /** Reads a finite number. */
        double number(JsonElement e, String field) {
            return bound(e, field, Double.NaN);
        }

        /**
         * Reads a finite number or, when {@code infinity} is ±∞, that infinity written as a string
         * (a side without a bound).
         */
        double bound(JsonElement e, String field, double infinity) {
            if (e.isJsonPrimitive()) {
                JsonPrimitive p = e.getAsJsonPrimitive();
                if (p.isNumber()) {
                    double v = p.getAsDouble();
                    if (Double.isFinite(v)) {
                        return v;
                    }
                } else if (p.isString() && !Double.isNaN(infinity)) {
                    String text = p.getAsString();
                    if (infinity > 0 && (text.equals("Infinity") || text.equals("inf"))) {
                        return infinity;
                    }
                    if (infinity < 0 && (text.equals("-Infinity") || text.equals("-inf"))) {
                        return infinity;
                    }
                }
            }
            String expected =
                    Double.isNaN(infinity)
                            ? "a finite number"
                            : "a finite number or \"" + (infinity > 0 ? "" : "-") + "Infinity\"";
            throw new IllegalArgumentException(
                    field + " must be " + expected + ", got " + e + locations.at(field));
        }

        double[] numbers(JsonElement e, String field) {
            return numbers(e, field, Double.NaN);
        }

        double[] numbers(JsonElement e, String field, double infinity) {
            JsonArray a = array(e, field);
            if (a.isEmpty()) {
                throw new IllegalArgumentException(field + " must not be empty");
            }
            double[] v = new double[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = bound(a.get(i), field + "[" + i + "]", infinity);
            }
            return v;
        }

        /** Reads one bound or an array of bounds, each finite or the given infinity. */
        double[] bounds(JsonElement e, String field, double infinity) {
            return e.isJsonArray()
                    ? numbers(e, field, infinity)
                    : new double[] {bound(e, field, infinity)};
        }
    }
}
