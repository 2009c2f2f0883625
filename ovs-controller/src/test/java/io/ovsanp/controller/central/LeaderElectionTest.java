package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.testing.CapturedLog;
import io.ovsanp.controller.testing.MockApiServer;
import io.ovsanp.testkit.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two replicas electing on a Lease of fabric8's CRUD mock API server (a real HTTP API for the real client). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeaderElectionTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofMillis(400);

    private KubernetesMockServer server;
    private KubernetesClient client1;
    private KubernetesClient client2;
    private LeaderElection e1;
    private LeaderElection e2;
    private Sampler sampler;

    @BeforeEach
    void startServer() {
        server = MockApiServer.crudServer();
        server.init();
        client1 = server.createClient();
        client2 = server.createClient();
    }

    @AfterEach
    void stopAll() {
        if (sampler != null) {
            sampler.stop();
        }
        for (LeaderElection e : new LeaderElection[] {e1, e2}) {
            if (e != null) {
                e.close();
            }
        }
        client1.close();
        client2.close();
        MockApiServer.stop(server);
    }

    private static LeaderElection.Settings settings(String identity) {
        return LeaderElection.Settings.of("ovs-anp", "ovs-anp", identity).withTiming(LEASE, RENEW, RETRY);
    }

    /** Watches both replicas every millisecond: were they ever both leader? */
    private static final class Sampler {
        final AtomicBoolean both = new AtomicBoolean();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Sampler(LeaderElection a, LeaderElection b) {
            thread = new Thread(() -> {
                while (running.get()) {
                    if (a.isLeader() && b.isLeader()) {
                        both.set(true);
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running.set(false);
        }
    }

    private static final class Counts implements LeaderElection.Listener {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();
        final List<Long> generations = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void startedLeading(long generation) {
            generations.add(generation);
            started.incrementAndGet();
        }

        @Override
        public void stoppedLeading() {
            stopped.incrementAndGet();
        }
    }

    private String holder() {
        Lease l = client1.leases().inNamespace("ovs-anp").withName("ovs-anp").get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    /** Waits until exactly one replica leads and returns it (the other one second). */
    private List<LeaderElection> awaitOneLeader() {
        Wait.until(() -> e1.isLeader() ^ e2.isLeader(), Duration.ofSeconds(20), "one leader");
        return e1.isLeader() ? List.of(e1, e2) : List.of(e2, e1);
    }

    @Test
    void theCrudMockRefusesALeaseUpdateWithAStaleResourceVersion() {
        // LeaseLock.update relies on it: without 409 Conflict two replicas could both win a race.
        Lease created = client1.leases()
                .inNamespace("ovs-anp")
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("probe")
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("a")
                        .endSpec()
                        .build())
                .create();
        Lease newer = client1.leases()
                .inNamespace("ovs-anp")
                .resource(new LeaseBuilder(created)
                        .editSpec()
                        .withHolderIdentity("b")
                        .endSpec()
                        .build())
                .update();
        assertThat(newer.getMetadata().getResourceVersion())
                .isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThatThrownBy(() -> client2.leases()
                        .inNamespace("ovs-anp")
                        .resource(new LeaseBuilder(created)
                                .editSpec()
                                .withHolderIdentity("c")
                                .endSpec()
                                .build())
                        .update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void twoReplicasElectExactlyOneLeaderAndTheOtherTakesOverWhenItStops() throws Exception {
        Counts c1 = new Counts();
        Counts c2 = new Counts();
        e1 = LeaderElection.start(client1, settings("replica-1"), c1);
        e2 = LeaderElection.start(client2, settings("replica-2"), c2);
        sampler = new Sampler(e1, e2);

        List<LeaderElection> order = awaitOneLeader();
        LeaderElection leader = order.get(0);
        LeaderElection other = order.get(1);
        assertThat(holder()).isEqualTo(leader.settings().identity());
        // Several renewals later the leader is still the only one.
        Thread.sleep(LEASE.toMillis() + RENEW.toMillis());
        assertThat(leader.isLeader()).isTrue();
        assertThat(other.isLeader()).isFalse();
        assertThat(other.leader()).contains(leader.settings().identity());

        long stopped = System.nanoTime();
        leader.close();
        assertThat(leader.isLeader()).isFalse();
        Wait.until(other::isLeader, LEASE, "the other replica to take over within the lease duration");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        System.out.println("[leader-election] takeover after a release took " + tookMs + " ms");
        assertThat(holder()).isEqualTo(other.settings().identity());
        sampler.stop();
        assertThat(sampler.both).as("both replicas leader at once").isFalse();
        assertThat(c1.started.get() + c2.started.get()).isEqualTo(2);
        // Each term's role generation is the stored acquireTime's, and the second term's is larger.
        Counts first = leader == e1 ? c1 : c2;
        Counts second = leader == e1 ? c2 : c1;
        assertThat(second.generations).containsExactly(storedGeneration());
        assertThat(first.generations).hasSize(1);
        assertThat(second.generations.get(0)).isGreaterThan(first.generations.get(0));
        assertThat(other.generation()).isEqualTo(second.generations.get(0));
    }

    /** The generation a replica restarted with the holder's identity would derive from the stored Lease. */
    private long storedGeneration() {
        Lease l = client1.leases().inNamespace("ovs-anp").withName("ovs-anp").get();
        return LeaderElection.generationOf(l.getSpec().getAcquireTime());
    }

    @Test
    void theGenerationKeepsGrowingWhenTheLeaseIsDeletedAndRecreated() throws Exception {
        // leaseTransitions starts again at 0 in a recreated Lease, but ovs-vswitchd remembers the
        // largest generation it saw: a generation from the transitions would be refused forever.
        Counts c1 = new Counts();
        e1 = LeaderElection.start(client1, settings("replica-1"), c1);
        Wait.until(e1::isLeader, Duration.ofSeconds(20), "replica-1 to lead");
        long before = storedGeneration();
        e1.close();
        e1 = null;
        client1.leases().inNamespace("ovs-anp").withName("ovs-anp").delete();
        Wait.until(() -> holder() == null, Duration.ofSeconds(10), "the Lease to be gone");

        Counts c2 = new Counts();
        e2 = LeaderElection.start(client2, settings("replica-2"), c2);
        Wait.until(e2::isLeader, Duration.ofSeconds(20), "replica-2 to lead");
        Lease recreated =
                client1.leases().inNamespace("ovs-anp").withName("ovs-anp").get();
        assertThat(recreated.getSpec().getLeaseTransitions()).isZero();
        assertThat(c1.generations).containsExactly(before);
        assertThat(c2.generations).containsExactly(storedGeneration());
        assertThat(c2.generations.get(0)).isGreaterThan(before);
    }

    @Test
    void theGenerationIsTheAcquireTimeInMicroseconds() {
        assertThat(LeaderElection.generationOf(java.time.ZonedDateTime.parse("2026-12-07T05:00:00.123456789Z")))
                .isEqualTo(1_796_619_600_123_456L);
        assertThat(LeaderElection.generationOf(java.time.ZonedDateTime.parse("2026-12-07T06:00:00.123456+01:00")))
                .isEqualTo(1_796_619_600_123_456L);
    }

    @Test
    void aCrashedLeaderIsReplacedOnceItsLeaseExpires() throws Exception {
        e1 = LeaderElection.start(client1, settings("replica-1"), new LeaderElection.Listener() {});
        e2 = LeaderElection.start(client2, settings("replica-2"), new LeaderElection.Listener() {});
        sampler = new Sampler(e1, e2);
        List<LeaderElection> order = awaitOneLeader();
        LeaderElection leader = order.get(0);
        LeaderElection other = order.get(1);

        long crashed = System.nanoTime();
        leader.abandon(); // no release: the lease stays until it expires
        assertThat(leader.isLeader()).isFalse();
        assertThat(holder()).isEqualTo(leader.settings().identity());
        // Expiry is counted from the last renewal (up to one retry period before the crash), then the
        // other replica notices within one jittered retry period (≤ 2.2 × RETRY).
        Wait.until(
                other::isLeader, LEASE.plus(RETRY.multipliedBy(3)), "the other replica to take over after the lease");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
        System.out.println("[leader-election] takeover after a crash took " + tookMs + " ms");
        assertThat(holder()).isEqualTo(other.settings().identity());
        sampler.stop();
        assertThat(sampler.both).isFalse();
    }

    @Test
    void aLeaderCutOffFromTheApiStopsWritingBeforeTheOtherStarts() throws Exception {
        e1 = LeaderElection.start(client1, settings("replica-1"), new LeaderElection.Listener() {});
        Wait.until(e1::isLeader, Duration.ofSeconds(20), "replica-1 to lead");
        e2 = LeaderElection.start(client2, settings("replica-2"), new LeaderElection.Listener() {});
        sampler = new Sampler(e1, e2);

        client1.close(); // replica-1 can no longer renew
        Wait.until(() -> !e1.isLeader(), RENEW.plus(RETRY), "replica-1 to stop writing");
        Wait.until(e2::isLeader, LEASE.plus(RETRY.multipliedBy(3)), "replica-2 to take over");
        sampler.stop();
        assertThat(sampler.both).as("both replicas leader at once").isFalse();
    }

    @Test
    void closingWithoutReleaseLeavesTheLeaseToExpire() {
        e1 = LeaderElection.start(client1, settings("replica-1"), new LeaderElection.Listener() {});
        Wait.until(e1::isLeader, Duration.ofSeconds(20), "replica-1 to lead");
        e1.close(Duration.ZERO); // what `run` does when it knows the API server is gone
        assertThat(e1.isLeader()).isFalse();
        assertThat(holder()).isEqualTo("replica-1");
    }

    @Test
    void aLeaderCutOffFromTheApiGivesUpTheReleaseAfterItsBoundInsteadOfTheClientsRetries() throws Exception {
        KubernetesMockServer own = MockApiServer.crudServer();
        own.init();
        Config config = Config.empty();
        config.setMasterUrl(MockApiServer.url(own));
        // each retry of the release waits a second at least: it cannot give up within the bound
        config.setRequestRetryBackoffLimit(10);
        config.setRequestRetryBackoffInterval(1_000);
        try (CapturedLog log = CapturedLog.of(LeaderElection.class);
                KubernetesClient client =
                        new KubernetesClientBuilder().withConfig(config).build()) {
            e1 = LeaderElection.start(client, settings("replica-1"), new LeaderElection.Listener() {});
            Wait.until(e1::isLeader, Duration.ofSeconds(20), "replica-1 to lead");
            MockApiServer.stop(own);
            e1.close(Duration.ofMillis(300));
            assertThat(e1.isLeader()).isFalse();
            assertThat(log.containing("not released within PT0.3S"))
                    .singleElement(InstanceOfAssertFactories.STRING)
                    .startsWith("WARN Lease ovs-anp/ovs-anp not released within PT0.3S: the API server did not answer");
        }
    }

    @Test
    void settingsRefuseTimingThatCannotBeSafe() {
        var s = LeaderElection.Settings.of("ns", "lease", "me");
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> s.withTiming(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .hasMessageContaining("lease duration");
        assertThatThrownBy(() -> s.withTiming(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .hasMessageContaining("1.2");
        assertThatThrownBy(() -> LeaderElection.Settings.of("ns", " ", "me")).hasMessageContaining("lease name");
        assertThat(LeaderElection.Settings.defaultIdentity(Map.of("POD_NAME", "ovs-anp-central-0", "HOSTNAME", "h")))
                .isEqualTo("ovs-anp-central-0");
        assertThat(LeaderElection.Settings.defaultIdentity(Map.of("HOSTNAME", "h")))
                .isEqualTo("h");
    }
}
