package io.ovsanp.controller.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
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
 * {@code /metrics} (the registry, in the format the scraper's {@code Accept} header asks for: the
 * Prometheus text format 0.0.4 by default, OpenMetrics text when asked), {@code /healthz} and {@code
 * /readyz} (200 or 503, with the checks as text) on the JDK's HTTP server, one daemon thread. GET and
 * HEAD only; any other path is 404. It serves nothing else, so it stays this small server rather than
 * the client library's exporter, which also answers other paths and query parameters.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** What one request gets. */
    private record Answer(int code, String type, byte[] body) {
        static Answer text(int code, String body) {
            return new Answer(code, TEXT, body.getBytes(StandardCharsets.UTF_8));
        }

        static Answer of(Health.Result r) {
            return text(r.ok() ? 200 : 503, r.text());
        }
    }

    /** Binds {@code address} (port 0: any free port) and starts serving. */
    public static OpsHttpServer start(InetSocketAddress address, PrometheusRegistry registry, Health health)
            throws IOException {
        HttpServer s = HttpServer.create(address, 0);
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ovs-anp-ops-http");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        ExpositionFormats formats = ExpositionFormats.init();
        s.createContext("/", e -> respond(e, () -> Answer.text(404, "not found\n")));
        s.createContext(
                "/metrics",
                e -> respond(
                        e, () -> scrape(formats, registry, e.getRequestHeaders().getFirst("Accept"))));
        s.createContext("/healthz", e -> respond(e, () -> Answer.of(health.live())));
        s.createContext("/readyz", e -> respond(e, () -> Answer.of(health.ready())));
        s.start();
        LOG.info(
                "metrics and health on http://{}:{}/ (metrics, healthz, readyz)",
                s.getAddress().getHostString(),
                s.getAddress().getPort());
        return new OpsHttpServer(s, ex);
    }

    /**
     * The library's choice for {@code accept}, except that it would pick the Prometheus protobuf
     * format (asked for by a Prometheus with native histograms) without the protobuf writer on the
     * class path, which is left out: then OpenMetrics if accepted, else the text format.
     */
    private static Answer scrape(ExpositionFormats formats, PrometheusRegistry registry, String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            writer = formats.getOpenMetricsTextFormatWriter().accepts(accept)
                    ? formats.getOpenMetricsTextFormatWriter()
                    : formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return new Answer(200, writer.getContentType(), out.toByteArray());
    }

    private static void respond(HttpExchange e, Supplier<Answer> answer) throws IOException {
        try (e) {
            String method = e.getRequestMethod();
            String path = e.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                e.getResponseHeaders().set("Allow", "GET, HEAD");
                e.sendResponseHeaders(405, -1);
                return;
            }
            // createContext matches prefixes: /metricsfoo must not be /metrics
            Answer a = path.equals(e.getHttpContext().getPath()) ? answer.get() : Answer.text(404, "not found\n");
            e.getResponseHeaders().set("Content-Type", a.type());
            if (method.equals("HEAD")) {
                e.sendResponseHeaders(a.code(), -1);
                return;
            }
            e.sendResponseHeaders(a.code(), a.body().length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(a.body());
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
