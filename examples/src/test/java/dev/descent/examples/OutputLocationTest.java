package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The reasons {@link OutputLocation} gives for a failed file operation. */
class OutputLocationTest {

    @Test
    void reasonsAreWordsNotExceptionNames() {
        assertThat(OutputLocation.reason(new AccessDeniedException("/x")))
                .isEqualTo("permission denied");
        assertThat(OutputLocation.reason(new NoSuchFileException("/x")))
                .isEqualTo("no such file or folder");
        assertThat(
                        OutputLocation.reason(
                                new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("Read-only file system");
        assertThat(OutputLocation.reason(new IOException("disk on fire")))
                .isEqualTo("IOException (disk on fire)");
    }

    @Test
    void aFailedFileOperationNamesTheFileAndWhy() {
        assertThat(OutputLocation.describe(new AccessDeniedException("/proc/nope")))
                .isEqualTo("/proc/nope: permission denied");
        // what ReportFailure printed before: the bare file name, the JDK's message
        assertThat(new AccessDeniedException("/proc/nope").getMessage()).isEqualTo("/proc/nope");
        assertThat(
                        DescentCli.ReportFailure.describe(
                                new java.io.UncheckedIOException(
                                        "cannot write into out", new NoSuchFileException("out/a"))))
                .isEqualTo("cannot write into out: out/a: no such file or folder");
    }
}
