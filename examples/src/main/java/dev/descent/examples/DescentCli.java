package dev.descent.examples;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code descent} command line. Each task is a subcommand: list its class in {@code
 * subcommands} below.
 */
@Command(
        name = "descent",
        mixinStandardHelpOptions = true,
        versionProvider = DescentCli.VersionProvider.class,
        usageHelpAutoWidth = true,
        subcommands = {
            CompareCommand.class,
            OptimizerBenchmark.class,
            StateMemoryBenchmark.class,
            FrugalBenchmark.class,
            MatrixOptimizerBenchmark.class,
            DecompositionBenchmark.class,
            HvpBenchmark.class,
            SharpnessCommand.class,
            NewtonCommand.class,
            BcdCommand.class,
            ConvexReluCommand.class,
            ConvexReluBenchmark.class,
            OnnxCommand.class,
            OnnxBenchmark.class,
            SurrogateCommand.class,
            PruneCommand.class,
            MfacBenchmark.class,
            MboCommand.class,
            SolverBenchmark.class,
            SparseRegressionCommand.class,
            ConstrainedCommand.class,
            DcdmCommand.class,
            RelaxCommand.class,
            CommandLine.HelpCommand.class
        },
        synopsisSubcommandLabel = "COMMAND",
        headerHeading = "%n",
        header = "Descent: optimization research on the JVM, on DJL's PyTorch engine.",
        descriptionHeading = "%n",
        description = {
            "Descent brings optimizers from current research (AdaBelief, Lion, NAdamW, RAdam,"
                    + " Cautious variants, ...) and curvature estimators to DJL as drop-in"
                    + " ai.djl.training.optimizer.Optimizer implementations, plus an ONNX bridge"
                    + " for optimizing over trained networks. This command runs its"
                    + " demonstrations and comparisons.",
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {"Run 'descent COMMAND --help' for the options of a command."})
public final class DescentCli implements Callable<Integer> {

    @Spec private CommandSpec spec;

    /**
     * Runs the command line and exits with its status: 0 on success, 1 when a command failed, 2 for
     * invalid arguments.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Builds the command line with every subcommand; tests call this and {@link CommandLine#setOut}
     * / {@link CommandLine#setErr} to capture output. Every {@code double} option of every command
     * is read by {@link FiniteDouble}: NaN and infinities are refused.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return new CommandLine(new DescentCli())
                .registerConverter(Double.class, new FiniteDouble())
                .registerConverter(Double.TYPE, new FiniteDouble())
                .setParameterExceptionHandler(new ReportInvalidInput())
                .setExecutionExceptionHandler(new ReportFailure());
    }

    /**
     * Without a command there is nothing to do: prints the usage on stderr.
     *
     * @return the exit status of invalid input
     */
    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        cli.usage(cli.getErr());
        cli.getErr().flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** Prints what is wrong with the arguments and where to find help, without the whole usage. */
    static final class ReportInvalidInput implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(command.getColorScheme().errorText(e.getMessage()));
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println(
                    "Try '"
                            + command.getCommandSpec().qualifiedName()
                            + " --help' for more information.");
            err.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** Prints a failed command's error in one line instead of a stack trace. */
    static final class ReportFailure implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(
                Exception e, CommandLine command, ParseResult parseResult) {
            command.getErr()
                    .println(command.getCommandSpec().qualifiedName() + ": error: " + describe(e));
            command.getErr().flush();
            return command.getCommandSpec().exitCodeOnExecutionException();
        }

        /**
         * The message of a failure; for a failed file operation, also the file and the reason (e.g.
         * {@code cannot write into out: out/results.md: permission denied}), which Java's own
         * message (the bare file name) leaves out.
         */
        static String describe(Throwable e) {
            if (e instanceof IOException io) {
                return OutputLocation.describe(io);
            }
            String message = e.getMessage();
            if (e instanceof UncheckedIOException u && u.getCause() != null) {
                String cause = OutputLocation.describe(u.getCause());
                message =
                        message == null || message.equals(u.getCause().toString())
                                ? cause
                                : message + ": " + cause;
            }
            return message == null ? e.toString() : message;
        }
    }

    /** Reports the versions of Descent, DJL and Java. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "descent " + descentVersion(),
                "DJL " + Engine.getDjlVersion() + ", " + ClassifierTraining.ENGINE + " engine",
                "Java "
                        + System.getProperty("java.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + ")"
            };
        }

        static String descentVersion() {
            try (InputStream in = DescentCli.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "(unknown version)";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "(unknown version)");
            } catch (IOException e) {
                return "(unknown version)";
            }
        }
    }
}
