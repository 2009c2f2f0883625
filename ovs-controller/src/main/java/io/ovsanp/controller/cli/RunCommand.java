package io.ovsanp.controller.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ovsanp.controller.audit.AuditLog;
import io.ovsanp.controller.audit.AuditOptions;
import io.ovsanp.controller.central.CentralSwitchSource;
import io.ovsanp.controller.central.LeaderElection;
import io.ovsanp.controller.kube.ApiConnectivity;
import io.ovsanp.controller.kube.ApiFailures;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.metrics.AuditMetrics;
import io.ovsanp.controller.metrics.Health;
import io.ovsanp.controller.metrics.MetricsListener;
import io.ovsanp.controller.metrics.OpsHttpServer;
import io.ovsanp.controller.metrics.RuleMetrics;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.Controller;
import io.ovsanp.controller.run.ControllerLoop;
import io.ovsanp.controller.run.LoopOptions;
import io.ovsanp.controller.run.PacketInRelay;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.run.SwitchSource;
import io.ovsanp.controller.status.NodeRealisationEvents;
import io.ovsanp.controller.status.PolicyProblemLog;
import io.ovsanp.controller.status.PolicyStatusWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp run}: the controller. Watches the cluster (informers), keeps the switch of every
 * node it is responsible for converged ({@link ControllerLoop}) and reports through {@link
 * RealisationListener}s. Agent mode: {@code --node NAME --switch TARGET}, one local switch. The parts
 * that differ between modes are {@link #switchSource} and the leader election's write gate; the loop
 * and its listeners are composed by {@link Controller}. Runs until SIGTERM/SIGINT, then closes the switch source, the loop,
 * the informers and the client within {@link #SHUTDOWN_BOUND}, whether the API server answers or
 * not: the Lease release waits at most {@link LeaderElection#RELEASE_WITHIN}, and not at all while the
 * API is lost; if closing still takes longer, the process exits anyway.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the controller: watch the cluster and keep the node's br-int converged.")
final class RunCommand extends CliCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** SIGTERM to exit, at most (README: the shutdown bound, 5 s, with room for the JVM's own exit). */
    static final Duration SHUTDOWN_BOUND = Duration.ofMillis(4_500);

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name (agent mode; e.g. $NODE_NAME).")
    String node;

    @Mixin
    CentralOptions central;

    @Mixin
    OpsOptions ops;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    PlacementOptions placement;

    @Mixin
    AuditLogOptions auditLog;

    @Mixin
    DnsOptions dns;

    /** This run's connections' packet-in sink: the audit copies, and the held DNS answers for the loop. */
    private PacketInRelay packetIns;

    @Option(
            names = "--switch",
            paramLabel = "TARGET",
            description = "The node's switch: unix:PATH (e.g. unix:/var/run/openvswitch/br-int.mgmt), "
                    + "tcp:HOST:PORT or ssl:HOST:PORT.")
    String switchTarget;

    @Mixin
    TlsOptions tlsFiles;

    @Option(names = "--timeout", defaultValue = "60s", description = "Per-request switch timeout (default 60s).")
    String timeout;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Kubernetes API server URL, overriding the kubeconfig's (e.g. an ovs-anp-dev-apiserver).")
    String server;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Kubeconfig file (default: in-cluster service account, else $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(
            names = "--audit-interval",
            defaultValue = "60s",
            description = "Re-read every switch and repair out-of-band changes this often (default 60s).")
    String auditInterval;

    @Option(
            names = "--stale-after",
            defaultValue = "60s",
            description = "Not ready (/readyz) while the cluster view has been stale this long: some informer's"
                    + " watch closed, e.g. the API server unreachable (default ${DEFAULT-VALUE}); switches keep"
                    + " their flows meanwhile.")
    String staleAfter;

    @Option(
            names = "--switch-liveness-timeout",
            defaultValue = "120s",
            description = "Agent mode: not live (/healthz) when the switch has had no OpenFlow connection this long"
                    + " (default ${DEFAULT-VALUE}), so that the kubelet restarts the pod and it mounts the socket"
                    + " ovs-vswitchd recreated.")
    String switchLivenessTimeout;

    @Option(
            names = "--rule-stats-interval",
            defaultValue = "30s",
            description = "Poll every converged switch's flow counters this often for ovsanp_rule_packets_total and"
                    + " ovsanp_rule_bytes_total (default ${DEFAULT-VALUE}; 0: off).")
    String ruleStatsInterval;

    @Option(
            names = "--verify-interval",
            defaultValue = "10m",
            description = "Verify every converged switch this often: all flows of its stage against the policies,"
                    + " over every packet header (as ovs-anp verify); a difference sets ovsanp_switch_verified to 0"
                    + " and the Ready of the policies on that node to False, and audits the switch (default"
                    + " ${DEFAULT-VALUE}; 0: off).")
    String verifyInterval;

    /** {@link #verifyInterval} parsed. */
    private Duration verifyEvery = Duration.ZERO;

    @Option(
            names = "--sync-timeout",
            defaultValue = "5m",
            description = "How long to wait for the first complete view of the cluster (default 5m).")
    String syncTimeout;

    @Override
    int execute() throws BadInput {
        Duration audit = positive("--audit-interval", auditInterval);
        Duration switchTimeout = Durations.parse("--timeout", timeout);
        Duration sync = Durations.parse("--sync-timeout", syncTimeout);
        Duration stale = positive("--stale-after", staleAfter);
        Duration switchLiveness = positive("--switch-liveness-timeout", switchLivenessTimeout);
        Duration ruleStats =
                ruleStatsInterval.equals("0") ? Duration.ZERO : positive("--rule-stats-interval", ruleStatsInterval);
        verifyEvery = verifyInterval.equals("0") ? Duration.ZERO : positive("--verify-interval", verifyInterval);
        Optional<AuditOptions> auditOptions = auditLog.options();
        Optional<AuditLog> audits =
                auditOptions.isPresent() ? Optional.of(AuditLogOptions.open(auditOptions.get())) : Optional.empty();
        try {
            return execute(audit, switchTimeout, sync, stale, switchLiveness, ruleStats, auditOptions, audits);
        } finally {
            audits.ifPresent(AuditLog::close);
        }
    }

    private int execute(
            Duration audit,
            Duration switchTimeout,
            Duration sync,
            Duration stale,
            Duration switchLiveness,
            Duration ruleStats,
            Optional<AuditOptions> auditOptions,
            Optional<AuditLog> audits)
            throws BadInput {
        packetIns = new PacketInRelay(audits.<PacketInSink>map(a -> a).orElse(PacketInSink.NONE));
        ConnectionConfig connections = ConnectionConfig.DEFAULT.withPacketIns(packetIns);
        SwitchSource source = switchSource(connections);
        LeaderElection.Settings lease = leaseSettings();
        java.util.Optional<java.net.InetSocketAddress> metricsAddress = ops.metricsAddress();
        io.ovsanp.compiler.compile.CompileOptions compile = placement.compileOptions(serviceVips);
        if (auditOptions.isPresent())
            compile = compile.withAudit(auditOptions.get().copy());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean saidStopped = new AtomicBoolean();
        Thread hook = new Thread(() -> awaitShutdown(main, started, stop, stopped, saidStopped), "ovs-anp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ApiFailures failures = new ApiFailures();
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        MetricsListener metrics = new MetricsListener(registry);
        audits.ifPresent(a -> AuditMetrics.register(registry, a.writer()));
        // Every check is named from the start, failing until what it watches exists: /readyz says
        // what is not ready yet while the first sync takes its time, and /healthz answers meanwhile.
        Health health =
                new Health().readyWhen("informers-synced", () -> false).readyWhen("cluster-view-fresh", () -> false);
        if (!central.central()) {
            health.readyWhen("switch", metrics.switchReady(node));
        }
        if (source instanceof AgentSwitchSource agent) {
            health.liveWhen("switch-connection", () -> agent.unconnectedFor().compareTo(switchLiveness) <= 0);
        }
        Config config = config(); // a bad --kubeconfig is reported before a busy --metrics-address
        try (OpsHttpServer http = serve(metricsAddress, registry, health);
                KubernetesClient client = client(config, failures);
                ClusterWatcher watcher = ClusterWatcher.start(client);
                source) {
            health.readyWhen("informers-synced", watcher::synced);
            LOG.info("waiting for the informers of {} to sync", client.getMasterUrl());
            try {
                watcher.awaitSynced(sync);
            } catch (TimeoutException e) {
                throw new BadInput("the cluster view did not sync within " + sync + " from " + client.getMasterUrl()
                        + " (" + e.getMessage()
                        + failures.latest()
                                .map(f -> "; last error: " + f.cause())
                                .orElse("") + ")");
            }
            LoopOptions options = LoopOptions.DEFAULT
                    .withCompile(compile)
                    .withAuditInterval(audit)
                    .withSwitchTimeout(switchTimeout)
                    .withRuleStatsInterval(ruleStats)
                    .withVerifyInterval(verifyEvery)
                    .withDns(dns.settings());
            AtomicReference<ControllerLoop> running = new AtomicReference<>();
            AtomicReference<PolicyStatusWriter> statusRef = new AtomicReference<>();
            AtomicReference<NodeRealisationEvents> eventsRef = new AtomicReference<>();
            try (ApiConnectivity api =
                            ApiConnectivity.start(client.getMasterUrl().toString(), watcher::watching, failures);
                    LeaderElection election = LeaderElection.start(client, lease, new LeaderElection.Listener() {
                        @Override
                        public void startedLeading(long generation) {
                            // central mode: master of every switch first, then the loop may write
                            if (source instanceof CentralSwitchSource c) c.lead(generation);
                            ControllerLoop l = running.get();
                            if (l != null && central.central()) l.leadershipGained();
                            PolicyStatusWriter w = statusRef.get();
                            if (w != null) w.requestFlush();
                            NodeRealisationEvents e = eventsRef.get();
                            if (e != null) e.requestFlush();
                        }

                        @Override
                        public void stoppedLeading() {
                            if (source instanceof CentralSwitchSource c) c.standBy();
                        }
                    });
                    PolicyStatusWriter status =
                            PolicyStatusWriter.of(client, watcher, election::isLeader, central.central());
                    // agent mode: every agent reports its own node; central mode: the leader every node
                    NodeRealisationEvents nodeEvents =
                            NodeRealisationEvents.of(client, central.central() ? election::isLeader : () -> true)) {
                statusRef.set(status);
                eventsRef.set(nodeEvents);
                // agent mode: the Lease elects the status writer only; every agent writes its own switch
                BooleanSupplier gate = central.central() ? election::isLeader : () -> true;
                List<RealisationListener> listeners =
                        new ArrayList<>(List.of(metrics, new PolicyProblemLog(), status, nodeEvents));
                if (!ruleStats.isZero()) listeners.add(new RuleMetrics(registry));
                audits.ifPresent(listeners::add);
                health.readyWhen("cluster-view-fresh", () -> api.staleFor().compareTo(stale) <= 0);
                runLoop(watcher, source, listeners, options.withMayWrite(gate), running, started, stop, client);
                // a release would only wait for an API server known to be gone: the lease expires
                election.close(api.lost() ? Duration.ZERO : LeaderElection.RELEASE_WITHIN);
            }
        } catch (InterruptedException e) {
            LOG.info("stopping");
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException e) {
            throw new BadInput("Kubernetes API: " + e.getMessage());
        } finally {
            // Log first: once `stopped` is counted down the shutdown hook returns and the JVM may halt
            // before a later log line is written.
            if (saidStopped.compareAndSet(false, true)) {
                LOG.info("stopped");
            }
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for `stopped`
            }
        }
        return Main.EXIT_OK;
    }

    private void runLoop(
            ClusterWatcher watcher,
            SwitchSource source,
            List<RealisationListener> listeners,
            LoopOptions options,
            AtomicReference<ControllerLoop> running,
            AtomicBoolean started,
            CountDownLatch stop,
            KubernetesClient client)
            throws InterruptedException {
        try (Controller controller = Controller.start(watcher, source, options, listeners)) {
            packetIns.attach(controller.loop().dnsAnswers());
            running.set(controller.loop());
            String where = central.central() ? "listen=" + central.listen : "node=" + node + " switch=" + switchTarget;
            LOG.info("running: {} audit every {}", where, options.auditInterval());
            out().println("ovs-anp run: " + where + " api=" + client.getMasterUrl());
            out().flush();
            started.set(true);
            stop.await();
            LOG.info("stopping");
        }
    }

    /**
     * SIGTERM: let the main thread close everything in order, for at most {@link #SHUTDOWN_BOUND};
     * the JVM exits when this returns.
     */
    private static void awaitShutdown(
            Thread main, AtomicBoolean started, CountDownLatch stop, CountDownLatch stopped, AtomicBoolean said) {
        stop.countDown();
        if (!started.get()) {
            main.interrupt(); // still waiting for the first sync: stop waiting
        }
        try {
            if (!stopped.await(SHUTDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS) && said.compareAndSet(false, true)) {
                LOG.warn("stopped: closing took longer than {} ms, exiting anyway", SHUTDOWN_BOUND.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Central mode: the replicas' Lease; agent mode: the Lease of the agent that writes policy status. */
    private LeaderElection.Settings leaseSettings() throws BadInput {
        return central.central() ? central.leaseSettings() : central.agentLeaseSettings(node);
    }

    /** The ops server on {@code address}, before anything else starts; none for {@code none}. */
    private static OpsHttpServer serve(
            Optional<java.net.InetSocketAddress> address, PrometheusRegistry registry, Health health) throws BadInput {
        if (address.isEmpty()) {
            return null;
        }
        try {
            OpsHttpServer http = OpsHttpServer.start(address.get(), registry, health);
            LOG.info("serving /metrics, /healthz and /readyz on {}", http.address());
            return http;
        } catch (java.io.IOException e) {
            throw new BadInput("--metrics-address: cannot serve: " + e.getMessage());
        }
    }

    private static Duration positive(String option, String text) throws BadInput {
        Duration d = Durations.parse(option, text);
        if (d.isZero() || d.isNegative()) {
            throw new BadInput(option + " must be positive");
        }
        return d;
    }

    /** Where switch connections come from. Agent mode: --node and --switch. (Central: --listen.) */
    private SwitchSource switchSource(ConnectionConfig connections) throws BadInput {
        if (central.central()) {
            if (node != null || switchTarget != null) {
                throw new BadInput("--listen (central mode) and --node/--switch (agent mode) exclude each other");
            }
            return central.switchSource(tls(), connections);
        }
        if (node == null || node.isBlank()) {
            throw new BadInput("--node is required (agent mode)");
        }
        if (switchTarget == null) {
            throw new BadInput("--switch is required (agent mode)");
        }
        SwitchTarget target;
        try {
            target = SwitchTarget.parse(switchTarget);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--switch: " + e.getMessage());
        }
        try {
            return new AgentSwitchSource(node, target, tls(), connections, System::nanoTime);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--switch " + switchTarget + ": " + e.getMessage());
        }
    }

    private Config config() throws BadInput {
        Config config;
        try {
            config = kubeconfig != null ? Config.fromKubeconfig(kubeconfig.toFile()) : Config.autoConfigure(null);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new BadInput("--kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
        if (server != null) {
            config.setMasterUrl(server);
        }
        return config;
    }

    private static KubernetesClient client(Config config, ApiFailures failures) {
        return failures.installIn(new KubernetesClientBuilder().withConfig(config))
                .build();
    }

    private Optional<TlsConfig> tls() throws BadInput {
        return tlsFiles.tls();
    }
}
