package io.ovsanp.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/ovs-anp ARGS} running as a process of its own ({@code run}, {@code sync} without
 * {@code --once}), its stdout and stderr collected together; for {@code run}, its ops endpoints
 * reachable once it says where ({@code --metrics-address 127.0.0.1:0} picks a free port). {@link
 * #close()} kills it if a test left it running.
 */
public final class OvsAnpProcess implements AutoCloseable {
    private static final Pattern OPS = Pattern.compile("serving /metrics, /healthz and /readyz on /?[^\\s:]*:(\\d+)");

    /** An HTTP answer: status code and body. */
    public record Answer(int status, String body) {}

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Thread pump;
    private final HttpClient http = HttpClient.newHttpClient();

    private OvsAnpProcess(Process process) {
        this.process = process;
        this.pump = new Thread(() -> {
            try {
                process.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process is gone
            }
        });
        pump.start();
    }

    /** Starts {@code bin/ovs-anp COMMAND ARGS} in {@code repo}. */
    public static OvsAnpProcess start(Path repo, String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ovs-anp").toString(), command));
        cmd.addAll(List.of(args));
        return new OvsAnpProcess(new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .directory(repo.toFile())
                .start());
    }

    /** Everything it printed so far. */
    public String output() {
        synchronized (out) { // ByteArrayOutputStream's writes hold its lock
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** The lines printed so far that contain {@code text}. */
    public List<String> lines(String text) {
        return output().lines().filter(l -> l.contains(text)).toList();
    }

    /** Waits for {@code condition} (the first wait may include building the jar), failing with the output. */
    public void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("timed out waiting for %s; output:%n%s", what, output())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
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
     * SIGTERM (Process.destroy() would also close our end of its output pipe), then waits up to
     * {@code limit} for it to exit. Returns how long it took, or null if it did not exit in time.
     */
    public Duration terminate(Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        process.toHandle().destroy();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (exited) {
            pump.join(10_000);
        }
        return exited ? took : null;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(10_000);
    }
}
