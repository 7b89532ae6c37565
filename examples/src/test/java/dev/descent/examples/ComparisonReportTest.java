package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers of {@code descent compare}'s table and Markdown report. */
class ComparisonReportTest {

    private static OptimizerComparison.Result result(double trainLoss, double validationLoss) {
        OptimizerComparison.Settings settings =
                new OptimizerComparison.Settings(
                        List.of(OptimizerChoice.SGD),
                        Map.of(),
                        DatasetChoice.DIGITS,
                        new ClassifierTraining.Setup(8, 1, 16, 42),
                        1);
        OptimizerRun run =
                new OptimizerRun(
                        "sgd",
                        0.05,
                        List.of(
                                new EpochRecord(0, 2.3, 2.3, 0.1, 0),
                                new EpochRecord(1, trainLoss, validationLoss, 1.0, 0.5)),
                        false,
                        "",
                        0.5,
                        1000,
                        false,
                        500);
        return new OptimizerComparison.Result(settings, 64, 10, 1437, 360, List.of(run));
    }

    @Test
    void smallLossesArePrintedInScientificNotationNotAsZero() {
        OptimizerComparison.Result r = result(1e-5, 2.5e-7);

        assertThat(ComparisonReport.table(r))
                .contains("1.000e-05", "2.500e-07")
                .doesNotContain("0.0000");
        assertThat(ComparisonReport.markdown(r)).contains("| 1.000e-05 | 2.500e-07 |");
    }

    @Test
    void ordinaryLossesKeepFourDecimals() {
        assertThat(ComparisonReport.table(result(0.1234, 0.25))).contains("0.1234", "0.2500");
    }
}
