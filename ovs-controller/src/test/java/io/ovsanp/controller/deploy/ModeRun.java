package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.testing.MockApiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs {@code ovs-anp run} in-process with the arguments of a workload of an overlay of {@code deploy/} (its
 * {@code $(VAR)}s filled in from the ConfigMap and the downward API, as the kubelet does; {@code local}
 * then swaps the paths and ports that only exist in a pod) against a mock API server, and records every
 * request the server receives: until the controller has validated the cluster once (its own {@code
 * /metrics} counts the seeded invalid rule) and {@code done} holds, then for a quiet second (what the
 * first validation set off), then while it stops (interrupted, as its SIGTERM hook interrupts it).
 */
final class ModeRun {
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    private static final Pattern VALIDATED = Pattern.compile("(?m)^ovsanp_invalid_rules [1-9]");

    /** Resource requests as RBAC sees them, and every other request. */
    record Result(List<ApiCall> calls, List<NonResource> otherRequests) {}

    /** A request of no resource (discovery, {@code /version}, ...). */
    record NonResource(String method, String path) {
        boolean allowedToEveryAccount() {
            return ApiCall.allowedToEveryAccount(method, path);
        }
    }

    private ModeRun() {}

    /**
     * The container's args with {@code $(VAR)} resolved from its env: ConfigMap keys, and the
     * downward API's {@code fieldRefs} (field path to value, e.g. {@code spec.nodeName}).
     */
    static List<String> args(HasMetadata workload, Map<String, String> settings, Map<String, String> fieldRefs) {
        Container c = ManifestsTest.podOf(workload).getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                env.put(
                        e.getName(),
                        settings.get(e.getValueFrom().getConfigMapKeyRef().getKey()));
            } else if (e.getValueFrom().getFieldRef() != null
                    && fieldRefs.containsKey(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(
                        e.getName(),
                        fieldRefs.get(e.getValueFrom().getFieldRef().getFieldPath()));
            } else {
                throw new IllegalArgumentException("cannot resolve env " + e.getName() + " of " + workload.getKind());
            }
        }
        List<String> out = new ArrayList<>();
        for (String a : c.getArgs()) {
            Matcher m = VAR.matcher(a);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(env.get(m.group(1))));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Runs {@code args} (each passed through {@code local}) plus {@code --server} and an ops address on
     * loopback. The server is started and seeded; requests it received before are discarded.
     */
    static Result run(
            KubernetesMockServer server, List<String> args, UnaryOperator<String> local, Predicate<List<ApiCall>> done)
            throws Exception {
        int opsPort = freePort();
        List<String> full = new ArrayList<>();
        for (String a : args) {
            full.add(a.startsWith("--metrics-address=") ? "--metrics-address=127.0.0.1:" + opsPort : local.apply(a));
        }
        full.addAll(List.of("--server", MockApiServer.url(server)));
        drain(server, new ArrayList<>(), new ArrayList<>());

        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread controller = new Thread(() -> exit.set(cl.execute(full.toArray(String[]::new))), "rbac-test-run");
        controller.start();

        List<ApiCall> calls = new ArrayList<>();
        List<NonResource> other = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(validated(http, opsPort) && done.test(calls))) {
            drain(server, calls, other);
            assertThat(controller.isAlive())
                    .as("ovs-anp %s exited %d:%n%s", full, exit.get(), out)
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("ovs-anp %s: timed out; requests so far %s%n%s", full, calls, out)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        drain(server, calls, other);
        controller.interrupt();
        controller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(controller.isAlive())
                .as("ovs-anp stops when interrupted%n%s", out)
                .isFalse();
        assertThat(exit.get()).as("exit code%n%s", out).isEqualTo(Main.EXIT_OK);
        drain(server, calls, other);
        return new Result(calls, other);
    }

    private static boolean validated(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && VALIDATED.matcher(r.body()).find();
        } catch (IOException e) {
            return false; // not serving yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void drain(KubernetesMockServer server, List<ApiCall> calls, List<NonResource> other)
            throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (ApiCall.isResourceRequest(r.getPath())) {
                calls.add(ApiCall.of(r.getMethod(), r.getPath()));
            } else {
                other.add(new NonResource(r.getMethod(), r.getPath()));
            }
        }
    }
}
