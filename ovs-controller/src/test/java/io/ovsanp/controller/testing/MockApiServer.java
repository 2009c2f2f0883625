package io.ovsanp.controller.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server of this module's tests: fabric8's mock in CRUD mode (plain HTTP) knowing the policy
 * CRDs (v1alpha1 ANP and BANP, v1alpha2 ClusterNetworkPolicy) as cluster-scoped. The mock is a test
 * dependency here; the runnable, seeded one for development is the {@code dev-apiserver} module's
 * {@code DevApiServer}, which this module cannot use (that module depends on this one).
 */
public final class MockApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(MockApiServer.class);

    private MockApiServer() {}

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
}
