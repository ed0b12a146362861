package dev.initbench.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar target/lambda-init-bench.jar <command>}. */
@Command(name = "lambda-init-bench",
        mixinStandardHelpOptions = true,
        versionProvider = InitBenchCommand.Version.class,
        description = "Measures how a Lambda function's initialization strategy (eager vs lazy) changes its tail"
                + " latency under provisioned concurrency, on the embedded local cloud (default) or on real AWS.",
        subcommands = {RunCommand.class, LocalCloudCommand.class, CompareCommand.class, CommandLine.HelpCommand.class})
public final class InitBenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** java.util.logging's line format unless the user chose one: "WARNING: message", one line per record. */
    private static final String LOG_FORMAT = "%4$s: %5$s%6$s%n";

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new InitBenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, local-cloud or compare");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = InitBenchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"lambda-init-bench " + (version == null ? "(development build)" : version)};
        }
    }
}
