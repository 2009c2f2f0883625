package io.ovsanp.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ovs-anp}: the command-line entry point. Exit codes are a contract: 0 success, 1 "found
 * something" (validate diagnostics, diff differences), 2 bad input or usage.
 */
@Command(
        name = "ovs-anp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "AdminNetworkPolicy / BaselineAdminNetworkPolicy egress enforcement on Open vSwitch.",
        subcommands = {
            CompileCommand.class,
            ExplainCommand.class,
            ValidateCommand.class,
            SyncCommand.class,
            DiffCommand.class,
            DevApiServerCommand.class,
            RunCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FOUND = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (exit-code mapping included), for callers that set streams. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> EXIT_BAD_INPUT);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ovs-anp " + (v == null ? "dev" : v)};
        }
    }
}
