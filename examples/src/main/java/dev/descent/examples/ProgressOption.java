package dev.descent.examples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --[no-]progress} option of every long-running command (a picocli mixin), and the one
 * place where their progress reports are created.
 */
final class ProgressOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--progress",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Report progress on stderr: a bar on a terminal, otherwise (a log, a pipe) a"
                            + " line every "
                            + Progress.LINE_PERCENT
                            + "%% and at the end. Default: on.")
    private boolean enabled;

    /**
     * Starts a progress report on the command's stderr, shown as {@link Progress.Display#detect()}
     * decides, or not at all with {@code --no-progress}.
     *
     * @param task the name shown in front
     * @param total the amount of work, {@code >= 1}
     * @param unit what is counted, e.g. {@code runs}
     * @return the report; close it when the work ends
     */
    Progress start(String task, long total, String unit) {
        Progress.Display display = enabled ? Progress.Display.detect() : Progress.Display.NONE;
        return Progress.start(display, spec.commandLine().getErr(), task, total, unit);
    }

    /**
     * Starts a progress report for a command that prints its results row by row while it works:
     * plain lines even on a terminal, since a bar redrawn in place would run into the rows.
     *
     * @param task the name shown in front
     * @param total the amount of work, {@code >= 1}
     * @param unit what is counted
     * @return the report; close it when the work ends
     */
    Progress startBetweenRows(String task, long total, String unit) {
        Progress.Display display = enabled ? Progress.Display.LINES : Progress.Display.NONE;
        return Progress.start(display, spec.commandLine().getErr(), task, total, unit);
    }
}
