package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's results table of the matrix optimizers is the file {@code descent compare} writes
 * ({@link ComparisonReport#README_TABLE}) for the command documented above it: same header, the
 * optimizers and learning rates of that command, and every other cell in the format the command
 * writes. The numbers themselves come from a run, so they are compared by form only (digits
 * masked).
 */
class ReadmeTablesTest {

    private static final String COMMAND_PREFIX = "./descent compare --optimizers ";

    @Test
    void theMatrixOptimizerTableIsWhatCompareWritesForTheDocumentedCommand() throws Exception {
        List<String> readme = Files.readAllLines(ReadmeSnippetsTest.README);
        int header = -1;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).startsWith("| optimizer | lr | final validation loss")) {
                header = i;
                break;
            }
        }
        assertThat(header).as("the README's matrix-optimizer table").isPositive();
        List<String> table = new ArrayList<>();
        for (int i = header; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            table.add(readme.get(i));
        }
        // the command, and the file the table comes from, stand right above it
        List<String> above = readme.subList(Math.max(0, header - 12), header);
        String command =
                above.stream()
                        .filter(l -> l.startsWith(COMMAND_PREFIX))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no compare command above the table"));
        assertThat(String.join("\n", above)).contains(ComparisonReport.README_TABLE);

        List<OptimizerChoice> optimizers =
                Arrays.stream(command.substring(COMMAND_PREFIX.length()).strip().split(","))
                        .map(OptimizerChoice::fromCliName)
                        .toList();
        List<String> expected = generated(optimizers);

        assertThat(table).hasSameSizeAs(expected);
        assertThat(table.subList(0, 2)).isEqualTo(expected.subList(0, 2));
        for (int r = 2; r < table.size(); r++) {
            String[] got = cells(table.get(r));
            String[] want = cells(expected.get(r));
            assertThat(got).as(table.get(r)).hasSameSizeAs(want);
            // name and learning rate are settings of the command: exactly
            assertThat(got[0]).isEqualTo(want[0]);
            assertThat(got[1]).as(got[0] + " learning rate").isEqualTo(want[1]);
            for (int c = 2; c < want.length; c++) {
                assertThat(form(got[c])).as(got[0] + " column " + c).isEqualTo(form(want[c]));
            }
        }
    }

    @Test
    void theFormCheckTellsFormatsApart() {
        assertThat(form("0.1412")).isEqualTo(form("2.0000"));
        assertThat(form("97.77%")).isEqualTo(form("100.00%"));
        assertThat(form("0.1412")).isNotEqualTo(form("0.14"));
        assertThat(form("97.77%")).isNotEqualTo(form("97.77"));
        assertThat(form("28.6")).isNotEqualTo(form("28.60"));
    }

    /** The table compare writes for these optimizers, with made-up results. */
    private static List<String> generated(List<OptimizerChoice> optimizers) {
        OptimizerComparison.Settings settings =
                new OptimizerComparison.Settings(
                        optimizers,
                        Map.of(),
                        DatasetChoice.DIGITS,
                        new ClassifierTraining.Setup(64, 50, 64, 42),
                        1);
        List<OptimizerRun> runs = new ArrayList<>();
        for (OptimizerChoice choice : optimizers) {
            runs.add(
                    new OptimizerRun(
                            choice.cliName(),
                            settings.learningRate(choice),
                            List.of(
                                    new EpochRecord(0, 2.3, 2.3, 0.1, 0),
                                    new EpochRecord(50, 0.01, 0.1234, 0.9777, 10)),
                            false,
                            "",
                            10,
                            38_480,
                            false,
                            4_810));
        }
        return ComparisonReport.readmeTable(
                        new OptimizerComparison.Result(settings, 64, 10, 1438, 359, runs))
                .lines()
                .toList();
    }

    private static String[] cells(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|"))
                .map(String::strip)
                .toArray(String[]::new);
    }

    /** Digits masked: {@code 97.77%} and {@code 12.34%} have one form, {@code 97.8%} another. */
    private static String form(String cell) {
        return cell.replaceAll("[0-9]+(?=\\.)", "N").replaceAll("[0-9]", "d");
    }
}
