package io.ovsanp.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.testing.CapturedLog;
import io.ovsanp.controller.testing.MockApiServer;
import io.ovsanp.testkit.Wait;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiConnectivityTest {
    private static final String LOST = "lost the Kubernetes API server";
    private static final String REGAINED = "regained the Kubernetes API server";

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final ApiFailures failures = new ApiFailures(nanos::get);
    private final ApiConnectivity api =
            ApiConnectivity.manual("https://10.0.0.1:6443", watching::get, failures, nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aLossWithAConnectionFailureIsLoggedOnceWithItsCauseAndTheRegainOnceWithTheOutage() {
        try (CapturedLog log = CapturedLog.of(ApiConnectivity.class)) {
            api.poll();
            watching.set(false);
            advance(Duration.ofMillis(500));
            api.poll();
            assertThat(api.lost()).as("a closed watch alone is no loss yet").isFalse();
            assertThat(api.staleFor()).isEqualTo(Duration.ofMillis(500));
            failures.afterConnectionFailure(
                    null, new CompletionException(new ConnectException("Connection refused: /10.0.0.1:6443")));
            for (int i = 0; i < 80; i++) { // 40 s of polls, each informer's retries failing meanwhile
                advance(Duration.ofMillis(500));
                failures.afterConnectionFailure(null, new ConnectException("Connection refused: /10.0.0.1:6443"));
                api.poll();
            }
            assertThat(api.lost()).isTrue();
            assertThat(api.staleFor()).isEqualTo(Duration.ofMillis(40_500));
            watching.set(true);
            advance(Duration.ofMillis(1_500));
            api.poll();
            api.poll();
            assertThat(log.lines())
                    .containsExactly(
                            "WARN lost the Kubernetes API server https://10.0.0.1:6443: Connection refused:"
                                    + " /10.0.0.1:6443; the cluster view is frozen, switches keep their flows",
                            "INFO regained the Kubernetes API server after 42 s");
            assertThat(api.lost()).isFalse();
            assertThat(api.staleFor()).isZero();
        }
    }

    @Test
    void aWatchClosedBrieflyWithoutAFailureIsNoLossButOneClosedForTheGraceIs() {
        try (CapturedLog log = CapturedLog.of(ApiConnectivity.class)) {
            failures.afterConnectionFailure(null, new ConnectException("old news")); // before the view was fresh
            advance(Duration.ofSeconds(1));
            api.poll();
            watching.set(false); // fabric8 renews a watch
            advance(Duration.ofSeconds(1));
            api.poll();
            watching.set(true);
            api.poll();
            assertThat(log.lines()).isEmpty();

            watching.set(false); // a relist that never ends, without a connection failure
            advance(ApiConnectivity.LOSS_GRACE.minusMillis(1));
            api.poll();
            assertThat(api.lost()).isFalse();
            advance(Duration.ofMillis(1));
            api.poll();
            assertThat(api.lost()).isTrue();
            assertThat(log.lines())
                    .containsExactly("WARN lost the Kubernetes API server https://10.0.0.1:6443: no watch open for"
                            + " 10 s; the cluster view is frozen, switches keep their flows");
        }
    }

    @Test
    void failuresAreDescribedInOneLine() {
        assertThat(ApiFailures.describe(new CompletionException(new ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
        assertThat(ApiFailures.describe(new UnknownHostException("api.example")))
                .isEqualTo("unknown host api.example");
        assertThat(ApiFailures.describe(new java.io.IOException("first\nsecond")))
                .isEqualTo("first");
        assertThat(ApiFailures.describe(new java.nio.channels.ClosedChannelException()))
                .isEqualTo("ClosedChannelException");
    }

    /**
     * The informers of a real client against fabric8's mock API server: it stops, and comes back on
     * the same port. One loss line, one regain line, whatever the eight informers and their retries do.
     */
    @Test
    void theRealInformersReportOneLossAndOneRegainWhenTheServerStopsAndComesBack() throws Exception {
        KubernetesMockServer server = MockApiServer.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        int port = server.getPort();
        Config config = Config.empty();
        config.setMasterUrl(MockApiServer.url(server));
        config.setWatchReconnectInterval(200); // the watches' retry backoff starts there (default 1 s)
        config.setRequestRetryBackoffInterval(100);
        config.setRequestRetryBackoffLimit(10);
        ApiFailures realFailures = new ApiFailures();
        KubernetesMockServer again = null;
        try (CapturedLog log = CapturedLog.of(ApiConnectivity.class);
                KubernetesClient client = realFailures
                        .installIn(new KubernetesClientBuilder().withConfig(config))
                        .build();
                ClusterWatcher watcher = ClusterWatcher.start(client)) {
            watcher.awaitSynced(Duration.ofSeconds(30));
            Wait.until(watcher::watching, Duration.ofSeconds(30), "every watch open");
            try (ApiConnectivity connectivity =
                    ApiConnectivity.start(MockApiServer.url(server), watcher::watching, realFailures)) {
                MockApiServer.stop(server);
                Wait.until(() -> !log.containing(LOST).isEmpty(), Duration.ofSeconds(30), "the loss line");
                assertThat(connectivity.staleFor()).isPositive();
                Thread.sleep(3_000); // more failed retries of every informer: none may log again
                assertThat(log.containing(LOST))
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("WARN " + LOST + " " + MockApiServer.url(server) + ": ")
                        .contains("Connection refused")
                        .endsWith("; the cluster view is frozen, switches keep their flows");

                again = MockApiServer.crudServer();
                again.init(InetAddress.getLoopbackAddress(), port);
                Wait.until(() -> !log.containing(REGAINED).isEmpty(), Duration.ofSeconds(60), "the regain line");
                Thread.sleep(1_000);
                List<String> lines = log.lines();
                assertThat(lines).hasSize(2);
                assertThat(lines.get(1)).matches("INFO " + REGAINED + " after \\d+ s");
                assertThat(connectivity.staleFor()).isZero();
                assertThat(connectivity.lost()).isFalse();
            }
        } finally {
            if (again != null) {
                MockApiServer.stop(again);
            }
        }
    }
}
