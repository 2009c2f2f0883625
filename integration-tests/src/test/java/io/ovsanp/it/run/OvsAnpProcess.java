package io.ovsanp.it.run;

import io.ovsanp.testkit.BackgroundProcess;
import io.ovsanp.testkit.Command;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/ovs-anp ARGS} run by a test: to its end ({@link #run}), or as a process of its own
 * ({@code run}, {@code sync} without {@code --once}; {@link #start}) with stdout and stderr
 * collected together and, for {@code run}, its ops endpoints reachable once it says where ({@code
 * --metrics-address 127.0.0.1:0} picks a free port). {@link #close()} stops it if a test left it
 * running. The launcher execs java, so the pid signalled is the JVM's.
 */
public final class OvsAnpProcess implements AutoCloseable {
    private static final Pattern OPS = Pattern.compile("serving /metrics, /healthz and /readyz on /?[^\\s:]*:(\\d+)");
    /** The first use of the launcher may build the jar. */
    private static final Duration FIRST_USE = Duration.ofMinutes(5);

    /** An HTTP answer: status code and body. */
    public record Answer(int status, String body) {}

    private final BackgroundProcess process;
    private final HttpClient http = HttpClient.newHttpClient();

    private OvsAnpProcess(BackgroundProcess process) {
        this.process = process;
    }

    /**
     * Runs {@code bin/ovs-anp ARGS} in {@code repo} with {@code env} added, to its end; its output is
     * stdout and stderr together. Fails the test if it has not ended after 300 s.
     */
    public static Command.Result run(Path repo, Map<String, String> env, String... args) {
        return ended(launcher(repo, List.of(args)).env(env).timeout(FIRST_USE).run(), args);
    }

    /** As {@link #run}, with stdout and stderr apart (a document on stdout, e.g. {@code -o json}). */
    public static Command.Result runApart(Path repo, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ovs-anp").toString()));
        cmd.addAll(List.of(args));
        return ended(Command.of(cmd).directory(repo).env(env).timeout(FIRST_USE).run(), args);
    }

    private static Command.Result ended(Command.Result r, String... args) {
        if (r.timedOut()) {
            throw new AssertionError("ovs-anp " + String.join(" ", args) + " did not end: " + r.output());
        }
        return r;
    }

    /** Starts {@code bin/ovs-anp COMMAND ARGS} in {@code repo}. */
    public static OvsAnpProcess start(Path repo, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        return new OvsAnpProcess(launcher(repo, all).start());
    }

    private static Command launcher(Path repo, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ovs-anp").toString()));
        cmd.addAll(args);
        return Command.of(cmd).directory(repo).mergeStderr();
    }

    /** Everything it printed so far. */
    public String output() {
        return process.output();
    }

    /** The lines printed so far that contain {@code text}. */
    public List<String> lines(String text) {
        return process.lines(text);
    }

    /** Waits for {@code condition} (the first wait may include building the jar), failing with the output. */
    public void waitFor(BooleanSupplier condition, String what) {
        process.waitFor(condition, Duration.ofMinutes(4), what);
    }

    /** Waits up to {@code timeout} for {@code condition}, failing with the output. */
    public void waitFor(BooleanSupplier condition, Duration timeout, String what) {
        process.waitFor(condition, timeout, what);
    }

    /** GET {@code path} of its ops endpoints ({@code /healthz}, {@code /readyz}); status 0 when unreachable. */
    public Answer get(String path) {
        Matcher m = OPS.matcher(output());
        if (!m.find()) {
            return new Answer(0, "");
        }
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, e.toString());
        }
    }

    /**
     * SIGTERM, then waits up to {@code limit} for it to exit. Returns how long it took, or null if it
     * did not exit in time.
     */
    public Duration terminate(Duration limit) throws InterruptedException {
        return process.terminate(limit);
    }

    /** SIGKILL: a crash as the other replicas see it (no Lease release, connections just drop). */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        process.close();
    }
}
