package io.ovsanp.controller.cli;

import io.ovsanp.controller.errors.UserMessages;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ovs-anp}: the command-line entry point. Exit codes are a contract: 0 success, 1 "found
 * something" (validate diagnostics, diff differences), 2 bad input or usage, 3 an internal error
 * (a bug). Whatever happens, the user sees {@code error: ...} lines, never a
 * stack trace or a Java class name; {@code OVSANP_LOG_LEVEL=DEBUG} logs the trace of an internal
 * error.
 */
@Command(
        name = "ovs-anp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "AdminNetworkPolicy / BaselineAdminNetworkPolicy egress enforcement on Open vSwitch.",
        subcommands = {
            CompileCommand.class,
            ExplainCommand.class,
            MatrixCommand.class,
            ValidateCommand.class,
            SyncCommand.class,
            DiffCommand.class,
            VerifyCommand.class,
            TraceCommand.class,
            StatsCommand.class,
            FlowsCommand.class,
            RunCommand.class,
            CompletionCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FOUND = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--log-format",
            scope = CommandLine.ScopeType.INHERIT,
            paramLabel = "text|json",
            description = "Log lines on stderr: text (ISO-8601 time, level, logger, message) or json"
                    + " (one object per line). Default: $" + LogFormat.ENV + ", else text.")
    LogFormat.Format logFormat;

    public static void main(String[] args) {
        // A thread the command started that dies of an exception says so in one line too.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            System.err.println("error: " + internalError("thread " + t.getName(), e));
            System.err.flush();
        });
        System.exit(run(args));
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (exit-code mapping included), for callers that set streams. */
    public static CommandLine commandLine() {
        return configured(new CommandLine(new Main()));
    }

    /**
     * {@code cl} with ovs-anp's contract: the log format ({@code --log-format} if the command has it,
     * else {@code $OVSANP_LOG_FORMAT}), exit 2 with {@code error: ...} for bad usage, exit 3 with one
     * line for a bug. Other entry points (the dev-apiserver module's) use it to behave the same.
     */
    public static CommandLine configured(CommandLine cl) {
        cl.setExitCodeExceptionMapper(e -> EXIT_INTERNAL);
        // The log format applies before the command runs; --log-format (before or after the
        // subcommand's name, the last one given wins) over $OVSANP_LOG_FORMAT over text.
        cl.setExecutionStrategy(parsed -> {
            LogFormat.Format format = null;
            for (CommandLine.ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
                format = pr.matchedOptionValue("--log-format", format);
            }
            if (format == null) {
                try {
                    format = LogFormat.fromEnv(System.getenv(LogFormat.ENV)).orElse(LogFormat.Format.text);
                } catch (BadInput e) {
                    CommandLine last = parsed.asCommandLineList()
                            .get(parsed.asCommandLineList().size() - 1);
                    last.getErr().println("error: " + e.getMessage());
                    last.getErr().flush();
                    return EXIT_BAD_INPUT;
                }
            }
            LogFormat.use(format);
            return new CommandLine.RunLast().execute(parsed);
        });
        // Bad input is handled by each command (CliCommand); what arrives here is a bug.
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            commandLine.getErr().println("error: " + internalError(commandLine.getCommandName(), ex));
            commandLine.getErr().flush();
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** One line for an unexpected exception; the trace goes to the DEBUG log. */
    static String internalError(String where, Throwable e) {
        LOG.debug("internal error in {}", where, e);
        return "internal error in " + where + ": "
                + UserMessages.userText(e).orElse("an unexpected failure")
                + " (a bug in ovs-anp; OVSANP_LOG_LEVEL=DEBUG shows where)";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code ovs-anp VERSION (commit HASH)}, from {@code ovs-anp-build.properties}: the build fills
     * in the Maven project version (resource filtering) and the short git commit (antrun, see
     * ovs-controller/pom.xml); either is "unknown" when the build did not fill it in.
     */
    public static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "/ovs-anp-build.properties";

        @Override
        public String[] getVersion() {
            Properties p = buildProperties();
            return new String[] {"ovs-anp " + value(p, "version") + " (commit " + value(p, "commit") + ")"};
        }

        static Properties buildProperties() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                LOG.debug("cannot read {}", RESOURCE, e);
            }
            return p;
        }

        /** The value, or "unknown" when absent, blank or still a ${...} placeholder. */
        static String value(Properties p, String key) {
            String v = p.getProperty(key, "").trim();
            return v.isEmpty() || v.contains("${") ? "unknown" : v;
        }
    }
}
