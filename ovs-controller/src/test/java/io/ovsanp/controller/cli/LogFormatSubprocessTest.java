package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The log format, in a real process (logback configures itself from logback.xml there): text
 * lines start with an ISO-8601 timestamp with date, json lines are one object each with a
 * timestamp and the message. {@code ovs-anp run} against an API server that is not there logs its
 * first INFO line at once (its ops server starts before anything else); the process is then stopped.
 */
class LogFormatSubprocessTest {
    private static final String FIRST_LINE = "serving /metrics, /healthz and /readyz on";

    private static final List<String> RUN = List.of(
            "run",
            "--node",
            "n",
            "--switch",
            "tcp:127.0.0.1:1",
            "--server",
            "http://127.0.0.1:1",
            "--metrics-address",
            "127.0.0.1:0");

    /** The first stderr line of {@code ovs-anp args} with the environment given. */
    private static String firstLogLine(Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(LogFormat.ENV);
        pb.environment().remove("OVSANP_LOG_LEVEL");
        pb.environment().putAll(env);
        Process p = pb.start();
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line = err.readLine();
            assertThat(line).as("a log line from %s", args).isNotNull();
            return line;
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static void assertJsonLogLine(String line) {
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.isObject()).as(line).isTrue();
        assertThat(json.get("timestamp").isNumber()).as(line).isTrue();
        assertThat(json.get("timestamp").asLong()).isGreaterThan(1_600_000_000_000L);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("formattedMessage").asText()).startsWith(FIRST_LINE);
    }

    @Test
    void textLinesStartWithAnIso8601TimestampWithDate() throws Exception {
        String line = firstLogLine(Map.of(), RUN);

        assertThat(line)
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO .*")
                .contains(FIRST_LINE);
    }

    @Test
    void logFormatJsonBeforeTheSubcommandLogsOneJsonObjectPerLine() throws Exception {
        List<String> args = new ArrayList<>(List.of("--log-format", "json"));
        args.addAll(RUN);

        assertJsonLogLine(firstLogLine(Map.of(), args));
    }

    @Test
    void logFormatJsonAfterTheSubcommandWorksToo() throws Exception {
        List<String> args = new ArrayList<>(RUN);
        args.addAll(List.of("--log-format", "json"));

        assertJsonLogLine(firstLogLine(Map.of(), args));
    }

    @Test
    void theEnvironmentVariableSelectsJson() throws Exception {
        assertJsonLogLine(firstLogLine(Map.of(LogFormat.ENV, "json"), RUN));
    }

    @Test
    void theOptionOverridesTheEnvironment() throws Exception {
        List<String> args = new ArrayList<>(RUN);
        args.addAll(List.of("--log-format", "text"));

        assertThat(firstLogLine(Map.of(LogFormat.ENV, "json"), args)).doesNotStartWith("{");
    }

    @Test
    void anUnknownFormatIsBadInput() throws Exception {
        assertThat(firstLogLine(Map.of(LogFormat.ENV, "xml"), RUN))
                .isEqualTo("error: OVSANP_LOG_FORMAT=xml: expected text or json");
        CliRun r = CliRun.of("--log-format", "xml", "validate", "--cluster", "x");
        assertThat(r.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--log-format");
    }
}
