package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plain-line display of {@link Progress} and the choice of display. */
class ProgressTest {

    private final StringWriter text = new StringWriter();

    /** A clock that advances one second per reading, so that the printed times are fixed. */
    private Progress.Lines lines(long total, String unit) {
        long[] now = {0};
        return new Progress.Lines(
                new PrintWriter(text), "task", total, unit, () -> now[0]++ * 1_000_000_000L);
    }

    private List<String> printed() {
        return text.toString().lines().toList();
    }

    @Test
    void aThousandStepsPrintTwentyLinesEndingAtTheTotal() {
        try (Progress p = lines(1000, "steps")) {
            for (int i = 0; i < 1000; i++) {
                p.step();
            }
        }

        List<String> out = printed();
        assertThat(out).hasSize(100 / Progress.LINE_PERCENT);
        assertThat(out.get(0)).startsWith("task: 5% (50/1000 steps), 0:00:01 elapsed, about");
        assertThat(out.get(out.size() - 1))
                .isEqualTo("task: 100% (1000/1000 steps), 0:00:20 elapsed");
        for (int k = 0; k < out.size(); k++) {
            int percent = (k + 1) * Progress.LINE_PERCENT;
            assertThat(out.get(k)).startsWith("task: " + percent + "% (" + 10 * percent + "/1000");
        }
    }

    @Test
    void fewStepsPrintOneLineEach() {
        try (Progress p = lines(3, "runs")) {
            p.step();
            p.step();
            p.step();
        }

        assertThat(printed())
                .extracting(l -> l.substring(0, l.indexOf(')') + 1))
                .containsExactly(
                        "task: 33% (1/3 runs)", "task: 66% (2/3 runs)", "task: 100% (3/3 runs)");
    }

    @Test
    void largeStepsPrintOneLinePerCallAndStepsPastTheTotalCountAsTheTotal() {
        try (Progress p = lines(380, "epochs")) {
            p.stepBy(190); // crosses ten 5% marks at once: one line
            p.stepTo(150); // backwards: ignored
            p.stepBy(1000);
        }

        assertThat(printed()).hasSize(2);
        assertThat(printed().get(1)).startsWith("task: 100% (380/380 epochs)");
    }

    @Test
    void closingEarlySaysWhereItStopped() {
        try (Progress p = lines(1000, "evals")) {
            for (int i = 0; i < 423; i++) {
                p.step();
            }
        }

        List<String> out = printed();
        assertThat(out).hasSize(9); // 5% .. 40%, then the stop
        assertThat(out.get(8)).isEqualTo("task: stopped at 42% (423/1000 evals), 0:00:09 elapsed");
    }

    @Test
    void noneAndBarAreChosenByTheTerminal() {
        assertThat(Progress.Display.detect(false, Optional.empty()))
                .isEqualTo(Progress.Display.LINES);
        assertThat(Progress.Display.detect(false, Optional.of(Path.of("/dev/pts/0"))))
                .isEqualTo(Progress.Display.LINES);
        assertThat(Progress.Display.detect(true, Optional.of(Path.of("/dev/pts/3"))))
                .isEqualTo(Progress.Display.BAR);
        assertThat(Progress.Display.detect(true, Optional.of(Path.of("/tmp/log.txt"))))
                .isEqualTo(Progress.Display.LINES);
        assertThat(Progress.Display.detect(true, Optional.of(Path.of("pipe:[4242]"))))
                .isEqualTo(Progress.Display.LINES);
        assertThat(Progress.Display.detect(true, Optional.empty())).isEqualTo(Progress.Display.BAR);
    }

    @Test
    void noneWritesNothing() {
        try (Progress p =
                Progress.start(Progress.Display.NONE, new PrintWriter(text), "t", 10, "u")) {
            p.stepBy(10);
        }

        assertThat(text.toString()).isEmpty();
    }
}
