package io.ovsanp.devapiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.ovsanp.controller.errors.UserMessages;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.snapshot.ManifestObject;
import io.ovsanp.controller.snapshot.ManifestReader;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's mock API server in CRUD mode (plain HTTP), which knows the policy CRDs (v1alpha1 ANP and
 * BANP, v1alpha2 ClusterNetworkPolicy) as cluster-scoped and serves their discovery, and seeding it from manifest files.
 * Its own module so that the agent's jar carries no mock server (Vert.x, BouncyCastle): the lab and the
 * integration tests use it, a deployment never does.
 */
public final class DevApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(DevApiServer.class);

    private DevApiServer() {}

    /** A CRUD mock server over HTTP, not started ({@link KubernetesMockServer#init} starts it). */
    public static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(List.of(
                        ClusterWatcher.ADMIN_NETWORK_POLICY,
                        ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY,
                        ClusterWatcher.CLUSTER_NETWORK_POLICY)),
                false);
    }

    /** {@link #start(int, List, boolean)} refusing seed files without objects. */
    public static KubernetesMockServer start(int port, List<Path> seedFiles) throws IOException, SnapshotLoadException {
        return start(port, seedFiles, false);
    }

    /**
     * Reads {@code seedFiles} as {@link ManifestReader} does (an object defined twice or, without
     * {@code allowEmpty}, a file without objects is an error), then starts a {@link #crudServer()} on
     * {@code 127.0.0.1:port} ({@code 0}: any free port) and creates the objects in it. The caller
     * destroys the server.
     */
    public static KubernetesMockServer start(int port, List<Path> seedFiles, boolean allowEmpty)
            throws IOException, SnapshotLoadException {
        List<ManifestObject> objects = objects(seedFiles, allowEmpty);
        KubernetesMockServer server = crudServer();
        server.init(InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient client = server.createClient()) {
            create(client, objects);
        } catch (SnapshotLoadException | RuntimeException e) {
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
     * Every object of the YAML/JSON {@code files} (multi-document, {@code kind: List} expanded, read
     * as {@link ManifestReader#read} reads them, refusing files without objects), created through
     * {@code client} in file order. Returns the number of objects created.
     */
    public static int seed(KubernetesClient client, List<Path> files) throws SnapshotLoadException {
        List<ManifestObject> objects = objects(files, false);
        create(client, objects);
        return objects.size();
    }

    /** All objects first: nothing is created when any file is wrong. */
    private static List<ManifestObject> objects(List<Path> files, boolean allowEmpty) throws SnapshotLoadException {
        List<ManifestObject> objects = new ArrayList<>();
        ManifestReader.read(files, allowEmpty, objects::add);
        return objects;
    }

    private static void create(KubernetesClient client, List<ManifestObject> objects) throws SnapshotLoadException {
        for (ManifestObject o : objects) {
            try {
                create(client, withHeader(o));
            } catch (RuntimeException e) {
                // The mock's client refuses what the API server would (a kind it cannot map, a bad field).
                throw new SnapshotLoadException(o.source() + ": " + o.display() + ": cannot create it: "
                        + UserMessages.userText(e).orElse("refused by the API server"));
            }
        }
    }

    /** The object with its apiVersion and kind, which items of a typed list inherit. */
    private static JsonNode withHeader(ManifestObject o) {
        if (!(o.node() instanceof ObjectNode object) || (object.has("apiVersion") && object.has("kind"))) {
            return o.node();
        }
        ObjectNode n = object.deepCopy();
        n.put("apiVersion", o.apiVersion());
        n.put("kind", o.kind());
        return n;
    }

    private static void create(KubernetesClient client, JsonNode o) {
        String kind = o.path("kind").asString("");
        var policy = ClusterWatcher.policyResource(kind);
        if (policy.isPresent()) {
            var ctx = policy.get();
            GenericKubernetesResource r =
                    client.getKubernetesSerialization().unmarshal(o.toString(), GenericKubernetesResource.class);
            client.genericKubernetesResources(ctx).resource(r).create();
        } else {
            client.resource(o.toString()).create();
        }
    }
}
