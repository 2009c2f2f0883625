package io.ovsanp.controller.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * fabric8's mock API server in CRUD mode (plain HTTP), which knows the admin policy CRDs as
 * cluster-scoped, and seeding it from manifest files.
 */
public final class DevApiServer {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Logger LOG = LoggerFactory.getLogger(DevApiServer.class);

    private DevApiServer() {}

    /** A CRUD mock server over HTTP, not started ({@link KubernetesMockServer#init} starts it). */
    public static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(
                        List.of(ClusterWatcher.ADMIN_NETWORK_POLICY, ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY)),
                false);
    }

    /**
     * Starts a {@link #crudServer()} on {@code 127.0.0.1:port} ({@code 0}: any free port) and creates
     * the objects of {@code seedFiles} in it. The caller destroys the server.
     */
    public static KubernetesMockServer start(int port, List<Path> seedFiles) throws IOException {
        KubernetesMockServer server = crudServer();
        server.init(InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient client = server.createClient()) {
            seed(client, seedFiles);
        } catch (IOException | RuntimeException e) {
            stop(server);
            throw e;
        }
        return server;
    }

    /**
     * Stops a server. fabric8's mock waits at most 10 s for Vert.x to close its listener and throws
     * when that runs late (seen on a loaded 2-core CI machine while informer watches were closing);
     * the server is shut down either way, so a late close is logged, not thrown.
     */
    public static void stop(KubernetesMockServer server) {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Unable to close")) {
                throw e;
            }
            LOG.warn("mock API server on port {}: {} (ignored: it is shut down)", server.getPort(), e.getMessage());
        }
    }

    /** {@code http://127.0.0.1:PORT} of a started server. */
    public static String url(KubernetesMockServer server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    /**
     * Every object of the YAML/JSON {@code files} (multi-document, {@code kind: List} expanded),
     * created through {@code client} in file order. Returns the number of objects created.
     */
    public static int seed(KubernetesClient client, List<Path> files) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (Path f : files) {
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                for (JsonNode doc : docs.readAll()) {
                    expand(doc, objects);
                }
            } catch (JacksonException e) {
                throw new IOException(f + ": " + e.getOriginalMessage(), e);
            }
        }
        for (JsonNode o : objects) {
            create(client, o);
        }
        return objects.size();
    }

    private static void expand(JsonNode doc, List<JsonNode> out) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return;
        }
        if ("List".equals(doc.path("kind").asString("")) && doc.path("items").isArray()) {
            for (JsonNode item : doc.path("items")) {
                expand(item, out);
            }
        } else {
            out.add(doc);
        }
    }

    private static void create(KubernetesClient client, JsonNode o) {
        String kind = o.path("kind").asString("");
        if (kind.equals(ClusterWatcher.ADMIN_NETWORK_POLICY.getKind())
                || kind.equals(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY.getKind())) {
            var ctx = kind.equals(ClusterWatcher.ADMIN_NETWORK_POLICY.getKind())
                    ? ClusterWatcher.ADMIN_NETWORK_POLICY
                    : ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY;
            GenericKubernetesResource r =
                    client.getKubernetesSerialization().unmarshal(o.toString(), GenericKubernetesResource.class);
            client.genericKubernetesResources(ctx).resource(r).create();
        } else {
            client.resource(o.toString()).create();
        }
    }
}
