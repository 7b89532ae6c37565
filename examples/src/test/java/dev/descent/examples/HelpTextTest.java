package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every help text of every command is a valid format string: picocli runs {@code String.format}
 * over headers, descriptions, footers and option descriptions, and for a bare '%' it prints a
 * warning on the process's stderr and shows the text unformatted.
 */
class HelpTextTest {

    private static void collect(CommandLine cli, List<String[]> texts) {
        CommandSpec spec = cli.getCommandSpec();
        String name = spec.qualifiedName();
        for (String s : spec.usageMessage().header()) {
            texts.add(new String[] {name + " header", s});
        }
        for (String s : spec.usageMessage().description()) {
            texts.add(new String[] {name + " description", s});
        }
        for (String s : spec.usageMessage().footer()) {
            texts.add(new String[] {name + " footer", s});
        }
        for (OptionSpec option : spec.options()) {
            for (String s : option.description()) {
                texts.add(new String[] {name + " " + option.longestName(), s});
            }
        }
        cli.getSubcommands().values().forEach(sub -> collect(sub, texts));
    }

    /** The command line with the texts as written (no ${...} interpolation, which eats "%%"). */
    private static CommandLine raw() {
        CommandLine cli = DescentCli.commandLine();
        cli.setInterpolateVariables(false);
        return cli;
    }

    @Test
    void everyHelpTextFormats() {
        List<String[]> texts = new ArrayList<>();
        collect(raw(), texts);

        assertThat(texts).hasSizeGreaterThan(100);
        for (String[] t : texts) {
            assertThatCode(() -> String.format(Locale.ROOT, t[1]))
                    .as(t[0] + ": " + t[1])
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theProgressOptionReadsAsWritten() {
        List<String[]> texts = new ArrayList<>();
        collect(raw(), texts);

        List<String> progress =
                texts.stream()
                        .filter(t -> t[0].endsWith(" --progress"))
                        .map(t -> String.format(Locale.ROOT, t[1]))
                        .toList();
        // compare, sharpness, newton, bcd, sparse-regression, dcdm, relax, convex-relu, prune,
        // mbo run/table, surrogate optimize/benchmark, 10 benches (bench-convex-relu among them)
        assertThat(progress)
                .hasSize(23)
                .allMatch(d -> d.contains("a line every 5% and at the end. Default: on."));
    }
}
