package io.ovsanp.controller.testing;

import io.ovsanp.testkit.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command-line entry point run as a real process with this JVM's class path (so logback's stderr
 * is captured too), for the bad-input tests of {@code ovs-anp} and {@code ovs-anp-dev-apiserver}.
 */
public final class CliProcess {
    /** A stack-trace line: never shown to a user. */
    public static final Pattern TRACE_LINE = Pattern.compile("(?m)^\\s*at [a-zA-Z]");
    /** A Java class or package name: never shown to a user. */
    public static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|sun|jdk|io\\.netty|io\\.fabric8|io\\.vertx|tools\\.jackson|org\\.snakeyaml|io\\.ovsanp)"
                    + "\\.[A-Za-z]");

    private CliProcess() {}

    /** {@code java -cp <this class path> MAIN args}, stdout and stderr together, at most 60 s. */
    public static Command.Result run(Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up dominates: these processes each live for a second.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(args);
        return Command.of(cmd)
                .mergeStderr()
                .unsetEnv("OVSANP_LOG_LEVEL")
                .timeout(Duration.ofSeconds(60))
                .run();
    }
}
