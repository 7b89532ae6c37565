package dev.descent.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a long command, on stderr: the one way every {@code descent} command reports
 * progress (through {@link ProgressOption}).
 *
 * <p>How it is shown depends on {@link Display}: on a terminal, a progress bar redrawn in place
 * (me.tongfei progressbar); otherwise, for logs and pipes, one plain line each time another {@value
 * #LINE_PERCENT}% of the work is done and one at the end, e.g. {@code compare: 25% (95/380 epochs),
 * 0:00:05 elapsed, about 0:00:15 left}; or nothing. Steps past the total count as the total. Safe
 * to step from several threads.
 */
abstract class Progress implements AutoCloseable {

    /** The plain-line display prints a line each time this share (in %) more is done. */
    static final int LINE_PERCENT = 5;

    /** How progress is shown. */
    enum Display {
        /** A bar redrawn in place: stderr is a terminal. */
        BAR,
        /** A plain line every {@value Progress#LINE_PERCENT}% and at the end: logs and pipes. */
        LINES,
        /** Nothing ({@code --no-progress}). */
        NONE;

        /**
         * Chooses the display for this process: {@link #BAR} when stderr is a terminal, else {@link
         * #LINES}.
         *
         * @return the display
         */
        static Display detect() {
            Optional<Path> stderr;
            try {
                stderr = Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/2")));
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                stderr = Optional.empty();
            }
            return detect(System.console() != null, stderr);
        }

        /**
         * Chooses the display from what is known about the process: stderr is taken to be a
         * terminal when the JVM has a console (its stdin and stdout are terminals) and, where the
         * operating system tells (Linux's {@code /proc/self/fd/2}), stderr is a terminal device too
         * ({@code /dev/pts/N} or {@code /dev/ttyN}).
         *
         * @param console whether {@link System#console()} is not null
         * @param stderr what file descriptor 2 points to, when known
         * @return {@link #BAR} on a terminal, {@link #LINES} otherwise
         */
        static Display detect(boolean console, Optional<Path> stderr) {
            boolean terminal =
                    console
                            && stderr.map(Path::toString)
                                    .map(t -> t.startsWith("/dev/pts/") || t.startsWith("/dev/tty"))
                                    .orElse(true);
            return terminal ? BAR : LINES;
        }
    }

    /**
     * Starts reporting progress.
     *
     * @param display how to show it
     * @param err where plain lines go ({@link Display#LINES}); the bar draws on {@link System#err}
     * @param task the name shown in front, e.g. {@code compare}
     * @param total the amount of work, {@code >= 1}
     * @param unit what is counted, e.g. {@code epochs}
     * @return the progress; close it when the work ends
     */
    static Progress start(Display display, PrintWriter err, String task, long total, String unit) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, got " + total);
        }
        return switch (display) {
            case BAR -> new Bar(task, total, unit);
            case LINES -> new Lines(err, task, total, unit, System::nanoTime);
            case NONE -> new None();
        };
    }

    /** Adds one unit of work done. */
    final void step() {
        stepBy(1);
    }

    /**
     * Adds work done.
     *
     * @param n the units, {@code >= 0}
     */
    abstract void stepBy(long n);

    /**
     * Sets the work done so far.
     *
     * @param done the units done, not below what was reported before
     */
    abstract void stepTo(long done);

    /** Ends the report: the bar is completed, or the last plain line printed. */
    @Override
    public abstract void close();

    /** The bar of me.tongfei progressbar. */
    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String task, long total, String unit) {
            bar =
                    new ProgressBarBuilder()
                            .setTaskName(task)
                            .setInitialMax(total)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUnit(" " + unit, 1)
                            .setUpdateIntervalMillis(250)
                            .build();
        }

        @Override
        void stepBy(long n) {
            bar.stepBy(n);
        }

        @Override
        void stepTo(long done) {
            bar.stepTo(done);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain lines: every {@value #LINE_PERCENT}% and at the end. */
    static final class Lines extends Progress {
        private final PrintWriter err;
        private final String task;
        private final long total;
        private final String unit;
        private final LongSupplier nanoTime;
        private final long start;
        private long done;
        private long printedBucket;
        private long printedDone;
        private boolean closed;

        /**
         * Starts a plain-line report.
         *
         * @param err where the lines go
         * @param task the name in front
         * @param total the amount of work, {@code >= 1}
         * @param unit what is counted
         * @param nanoTime the clock of the elapsed times (only printed, never decides a line)
         */
        Lines(PrintWriter err, String task, long total, String unit, LongSupplier nanoTime) {
            this.err = err;
            this.task = task;
            this.total = total;
            this.unit = unit;
            this.nanoTime = nanoTime;
            this.start = nanoTime.getAsLong();
        }

        @Override
        synchronized void stepBy(long n) {
            update(done + n);
        }

        @Override
        synchronized void stepTo(long value) {
            update(value);
        }

        private void update(long value) {
            if (closed) {
                return;
            }
            done = Math.max(done, Math.min(value, total));
            long bucket = done * (100 / LINE_PERCENT) / total;
            if (bucket > printedBucket) {
                printedBucket = bucket;
                print();
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (done < total || printedDone != done) {
                print();
            }
        }

        private void print() {
            printedDone = done;
            long percent = done * 100 / total;
            double seconds = (nanoTime.getAsLong() - start) / 1e9;
            StringBuilder line = new StringBuilder(task).append(": ");
            if (closed && done < total) {
                line.append("stopped at ");
            }
            line.append(percent)
                    .append("% (")
                    .append(done)
                    .append('/')
                    .append(total)
                    .append(' ')
                    .append(unit)
                    .append("), ")
                    .append(clock(seconds))
                    .append(" elapsed");
            if (!closed && done < total && done > 0) {
                line.append(", about ")
                        .append(clock(seconds * (total - done) / done))
                        .append(" left");
            }
            err.println(line);
            err.flush();
        }

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }

    /** No output. */
    private static final class None extends Progress {
        @Override
        void stepBy(long n) {}

        @Override
        void stepTo(long done) {}

        @Override
        public void close() {}
    }
}
