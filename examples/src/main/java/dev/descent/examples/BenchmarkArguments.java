package dev.descent.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The option checks the timing benchmarks share, with messages that name the values. */
final class BenchmarkArguments {

    private BenchmarkArguments() {}

    /**
     * Checks the options of interleaved timing rounds.
     *
     * @throws ParameterException unless steps, rounds and threads are {@code >= 1} and warmup
     *     {@code >= 0}
     */
    static void checkRounds(CommandSpec spec, int steps, int warmup, int rounds, int threads) {
        if (steps < 1 || warmup < 0 || rounds < 1 || threads < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--steps, --rounds and --threads must be >= 1 and --warmup >= 0, got "
                            + steps
                            + ", "
                            + rounds
                            + ", "
                            + threads
                            + " and "
                            + warmup);
        }
    }

    /**
     * Parses {@code --shapes} values {@code ROWSxCOLS}.
     *
     * @return {rows, cols} per value
     * @throws ParameterException naming the first value that is not two integers {@code >= 1}
     */
    static List<long[]> parseShapes(CommandSpec spec, List<String> shapes) {
        List<long[]> dims = new ArrayList<>();
        for (String s : shapes) {
            String[] parts = s.trim().toLowerCase(Locale.ROOT).split("x");
            try {
                long rows = Long.parseLong(parts[0]);
                long cols = Long.parseLong(parts[1]);
                if (parts.length != 2 || rows < 1 || cols < 1) {
                    throw new NumberFormatException();
                }
                dims.add(new long[] {rows, cols});
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--shapes takes ROWSxCOLS with both >= 1, got '" + s + "'");
            }
        }
        return dims;
    }
}
