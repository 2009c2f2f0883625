package io.ovsanp.controller.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz} (200 or 503, with the
 * checks as text) on the JDK's HTTP server, one daemon thread. GET and HEAD only; any other path
 * is 404.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0: any free port) and starts serving. */
    public static OpsHttpServer start(InetSocketAddress address, Supplier<String> metrics, Health health)
            throws IOException {
        HttpServer s = HttpServer.create(address, 0);
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ovs-anp-ops-http");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        s.createContext("/", e -> respond(e, 404, "text/plain; charset=utf-8", "not found\n"));
        s.createContext("/metrics", e -> respond(e, 200, Exposition.CONTENT_TYPE, metrics.get()));
        s.createContext("/healthz", e -> {
            Health.Result r = health.live();
            respond(e, r.ok() ? 200 : 503, "text/plain; charset=utf-8", r.text());
        });
        s.createContext("/readyz", e -> {
            Health.Result r = health.ready();
            respond(e, r.ok() ? 200 : 503, "text/plain; charset=utf-8", r.text());
        });
        s.start();
        LOG.info(
                "metrics and health on http://{}:{}/ (metrics, healthz, readyz)",
                s.getAddress().getHostString(),
                s.getAddress().getPort());
        return new OpsHttpServer(s, ex);
    }

    private static void respond(HttpExchange e, int code, String type, String body) throws IOException {
        try (e) {
            String method = e.getRequestMethod();
            String path = e.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                e.getResponseHeaders().set("Allow", "GET, HEAD");
                e.sendResponseHeaders(405, -1);
                return;
            }
            // createContext matches prefixes: /metricsfoo must not be /metrics
            if (!path.equals(e.getHttpContext().getPath())) {
                code = 404;
                type = "text/plain; charset=utf-8";
                body = "not found\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("Content-Type", type);
            if (method.equals("HEAD")) {
                e.sendResponseHeaders(code, -1);
                return;
            }
            e.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException ex) {
            LOG.warn("ops endpoint {} failed: {}", e.getRequestURI(), ex.toString(), ex);
            throw ex;
        }
    }

    /** The bound address (the real port when started with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
