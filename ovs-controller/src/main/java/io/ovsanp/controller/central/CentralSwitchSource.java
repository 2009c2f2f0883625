package io.ovsanp.controller.central;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.OfErrorException;
import io.ovsanp.controller.openflow.RateLimitedWarnings;
import io.ovsanp.controller.openflow.SwitchListener;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.RoleMessage;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.run.SwitchSource;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central mode's switches: listens on {@code pssl:} (or, only when asked for explicitly, {@code
 * ptcp:} on a given address) for every node's br-int and hands each switch to the sink under the Node
 * {@link SwitchMapping} gives it: over {@code pssl:} the node its certificate names. A switch that
 * maps to no node yet (or ambiguously) is held: connected, nothing written; it is mapped as soon as
 * the nodes change so that it resolves. A switch that contradicts its proof or an established switch
 * is refused: its connection is closed. The switch that holds a node keeps it against later claims.
 * When the nodes change so that a switch maps to another node (an annotation moved), the sink gets
 * {@code disconnected(old)} then {@code connected(new)}. Held and refused switches are logged at WARN,
 * rate-limited (a peer can cause them at will).
 *
 * <p>Several replicas share the switches (each switch dials every replica): a switch is handed to the
 * sink only while it has made this connection its OpenFlow MASTER with the generation of our current
 * term ({@link #lead}); while we stand by ({@link #standBy}, the initial state) every switch is asked
 * to make us SLAVE and none is handed over. A refused role request is logged and retried with the
 * leadership state of the time; the switch is never written without the role ({@link SwitchRoles}).
 *
 * <p>The node list comes from the caller: {@link #nodesChanged} with the nodes of every new cluster
 * snapshot (a list equal to the last one costs nothing). Until the first call every switch is held.
 * All state changes and every sink call happen on one thread, in order.
 */
public final class CentralSwitchSource implements SwitchSource, RealisationListener {
    private static final Logger log = LoggerFactory.getLogger(CentralSwitchSource.class);
    private static final int REFUSALS_KEPT = 16;

    private final SwitchTarget target;
    private final Optional<TlsConfig> tls;
    private final ConnectionConfig config;
    private final ListenerLimits limits;
    private final SwitchMapping.Proof proof;
    private final RateLimitedWarnings unbound;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ovs-anp-central");
        t.setDaemon(true);
        return t;
    });

    // Only on `thread`:
    private final Map<OfConnection, Long> connections = new LinkedHashMap<>();
    private final Map<OfConnection, SwitchMapping.Outcome> outcomes = new HashMap<>();
    private final Map<String, OfConnection> mapped = new HashMap<>();
    private final SwitchRoles<OfConnection> roles = new SwitchRoles<>();
    private Optional<List<NodeInfo>> nodes = Optional.empty();
    private long seq;
    private Sink sink;

    private volatile SwitchListener listener;
    private volatile Map<String, OfConnection> mappedView = Map.of();
    private volatile Map<OfConnection, String> heldView = Map.of();
    private volatile Map<OfConnection, String> rolesView = Map.of();
    private volatile List<String> refusedView = List.of();
    private volatile boolean closed;

    /**
     * @param target a {@code pssl:} target (needs {@code tls}), or a {@code ptcp:PORT:IP} one with
     *     {@code allowUnauthenticated}
     * @param allowUnauthenticated whether {@code ptcp:} may be used: its switches prove nothing, anyone
     *     who reaches the port can claim any datapath id
     * @throws IllegalArgumentException for an active target, {@code ptcp:} not explicitly allowed or
     *     without an address to bind
     */
    public CentralSwitchSource(
            SwitchTarget target,
            Optional<TlsConfig> tls,
            ConnectionConfig config,
            ListenerLimits limits,
            boolean allowUnauthenticated) {
        if (!(target instanceof SwitchTarget.Listen listen)) {
            throw new IllegalArgumentException(target + " is not a listening target (pssl:PORT[:IP], or ptcp:PORT:IP)");
        }
        if (!listen.tls() && !allowUnauthenticated) {
            throw new IllegalArgumentException(target + " accepts switches that prove nothing (anyone who reaches it"
                    + " can claim to be any node); use pssl: with node certificates, or allow it explicitly with"
                    + " --allow-unauthenticated-switches");
        }
        if (!listen.tls() && listen.ip().isEmpty()) {
            throw new IllegalArgumentException(
                    target + ": an unauthenticated listener must name the address to bind (ptcp:PORT:IP)");
        }
        this.target = target;
        this.tls = Objects.requireNonNull(tls);
        this.config = Objects.requireNonNull(config);
        this.limits = Objects.requireNonNull(limits);
        this.proof = listen.tls() ? SwitchMapping.Proof.CERTIFICATE : SwitchMapping.Proof.UNAUTHENTICATED;
        this.unbound = limits.failureLog("switch connections held or refused");
    }

    /**
     * Binds and starts accepting switches.
     *
     * @throws IllegalStateException if the address cannot be bound, or when called twice
     * @throws IllegalArgumentException for a TLS setting that does not fit the target
     */
    @Override
    public void start(Sink sink) {
        Objects.requireNonNull(sink);
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        run(() -> this.sink = sink);
        listener = SwitchListener.listen(target, tls, config, limits, this::accepted);
        long window = limits.logWindow().toNanos();
        thread.scheduleAtFixedRate(
                () -> unbound.summary(System.nanoTime()).ifPresent(line -> log.warn("{}: {}", target, line)),
                window,
                window,
                TimeUnit.NANOSECONDS);
    }

    /** Each snapshot the loop validates brings the current nodes (a no-op when no Node changed). */
    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
        if (change.everything() || !change.nodes().isEmpty()) {
            nodesChanged(snapshot.nodes());
        }
    }

    /** The nodes of the current cluster snapshot; switches are re-mapped if they differ from the last. */
    public void nodesChanged(Collection<NodeInfo> current) {
        List<NodeInfo> copy = List.copyOf(current);
        run(() -> {
            if (nodes.isPresent() && nodes.get().equals(copy)) {
                return;
            }
            nodes = Optional.of(copy);
            remap();
        });
    }

    /**
     * We lead with {@code generation}: every switch is asked to make us MASTER with it, and each is
     * handed to the sink once it has (then the sink converges it).
     */
    public void lead(long generation) {
        run(() -> {
            List<SwitchRoles.Request<OfConnection>> requests = roles.lead(generation);
            log.info(
                    "leadership gained with generation {}: asking {} switch(es) for the master role",
                    Long.toUnsignedString(generation),
                    requests.size());
            requests.forEach(this::ask);
            remap();
        });
    }

    /** We stand by: no switch is written from now on, and each is asked to make us SLAVE. */
    public void standBy() {
        run(() -> {
            OptionalLongText was = new OptionalLongText(roles.term());
            List<SwitchRoles.Request<OfConnection>> requests = roles.standBy();
            log.info("leadership lost{}: standing by, asking {} switch(es) for the slave role", was, requests.size());
            remap();
            requests.forEach(this::ask);
        });
    }

    /** " (generation G)" or nothing, for the log line. */
    private record OptionalLongText(java.util.OptionalLong value) {
        @Override
        public String toString() {
            return value.isPresent() ? " (generation " + Long.toUnsignedString(value.getAsLong()) + ")" : "";
        }
    }

    /**
     * Sends one role request; its outcome comes back to {@code thread}. SLAVE is asked with the
     * generation the switch already has (read with a NOCHANGE request; 2^64 − 1 while it has none): a
     * larger one would fence the real leader, a smaller one is refused as stale.
     */
    private void ask(SwitchRoles.Request<OfConnection> r) {
        OfConnection c = r.connection();
        RoleMessage.Role want = r.master() ? RoleMessage.Role.MASTER : RoleMessage.Role.SLAVE;
        CompletableFuture<RoleMessage> reply = r.master()
                ? c.requestRole(want, r.masterGeneration().getAsLong())
                : c.requestRole(RoleMessage.Role.NOCHANGE, 0)
                        .thenCompose(now -> c.requestRole(want, now.generationId()));
        reply.thenApply(answer -> {
                    if (answer.role() != want) {
                        throw new IllegalStateException("asked for " + want + ", the switch answered " + answer);
                    }
                    return answer;
                })
                .whenComplete((ok, failure) -> run(() -> {
                    if (failure == null) {
                        if (roles.confirmed(r)) {
                            log.info("{}: role {}", c, r.describe());
                        }
                        remap();
                    } else if (c.isActive()) {
                        refusedRole(r, failure instanceof CompletionException e ? e.getCause() : failure);
                    }
                }));
    }

    private void refusedRole(SwitchRoles.Request<OfConnection> r, Throwable failure) {
        java.time.Duration retry = roles.failed(r);
        remap();
        boolean stale =
                failure instanceof OfErrorException e && e.error().error().equals(OfError.ROLE_STALE);
        if (stale && r.master()) {
            log.error(
                    "switch {} refused {} as stale: another controller has made it master with a later"
                            + " generation (a newer leader, or a leader whose clock is ahead of ours); not"
                            + " writing it, retrying in {} ms",
                    r.connection(),
                    r.describe(),
                    retry.toMillis());
        } else {
            log.warn(
                    "{}: role {} failed: {}; retrying in {} ms",
                    r.connection(),
                    r.describe(),
                    failure.toString(),
                    retry.toMillis());
        }
        try {
            thread.schedule(
                    () -> run(() -> roles.retry(r.connection()).ifPresent(this::ask)),
                    retry.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** The bound address (its real port when the target said port 0). */
    public InetSocketAddress localAddress() {
        SwitchListener l = listener;
        if (l == null) {
            throw new IllegalStateException("not started");
        }
        return l.localAddress();
    }

    /** Node → its switch, as last handed to the sink. */
    public Map<String, OfConnection> mapped() {
        return mappedView;
    }

    /** Connected switches that are not handed to the sink, with the reason. */
    public Map<OfConnection, String> held() {
        return heldView;
    }

    /** Every connected switch with the role it last confirmed ("master with generation G", "slave", "none"). */
    public Map<OfConnection, String> roles() {
        return rolesView;
    }

    /** The reasons of the last {@value #REFUSALS_KEPT} refusals, oldest first (for tests and debugging). */
    public List<String> lastRefusals() {
        return refusedView;
    }

    private void accepted(OfConnection c) {
        run(() -> {
            connections.put(c, seq++);
            ask(roles.added(c));
            remap();
        });
        c.closeFuture()
                .thenRun(() -> run(() -> {
                    roles.removed(c);
                    if (connections.remove(c) != null) {
                        remap();
                    }
                }));
    }

    private void remap() {
        List<SwitchMapping.Switch<OfConnection>> switches = new ArrayList<>();
        connections.forEach((c, n) ->
                switches.add(new SwitchMapping.Switch<>(c, c.datapathId(), sourceIp(c), n, c.peerIdentity())));
        Map<OfConnection, SwitchMapping.Outcome> now;
        if (nodes.isPresent()) {
            now = SwitchMapping.resolve(nodes.get(), switches, mapped, proof);
        } else {
            now = new LinkedHashMap<>();
            for (OfConnection c : connections.keySet()) {
                now.put(c, new SwitchMapping.Held("the cluster's nodes have not been read yet"));
            }
        }
        Map<String, OfConnection> want = new HashMap<>();
        now.forEach((c, o) -> {
            if (o instanceof SwitchMapping.Mapped m && roles.writable(c)) {
                want.put(m.node(), c);
            }
        });
        List<OfConnection> refused = new ArrayList<>();
        for (Map.Entry<OfConnection, SwitchMapping.Outcome> e : now.entrySet()) {
            OfConnection c = e.getKey();
            if (e.getValue() instanceof SwitchMapping.Refused) {
                refused.add(c);
            }
            if (!e.getValue().equals(outcomes.get(c))) {
                report(c, e.getValue());
            }
        }
        for (OfConnection c : refused) {
            List<String> last = new ArrayList<>(refusedView);
            last.add(c.datapathId() + ": " + ((SwitchMapping.Refused) now.remove(c)).reason());
            refusedView = List.copyOf(last.subList(Math.max(0, last.size() - REFUSALS_KEPT), last.size()));
            connections.remove(c);
            roles.removed(c);
            c.close();
        }
        outcomes.clear();
        outcomes.putAll(now);
        // Every disconnect before any connect: a connection that moves leaves its old node first. The
        // views are updated before the sink hears, so a sink that reads them sees the new state.
        List<Runnable> calls = new ArrayList<>();
        for (Map.Entry<String, OfConnection> e : List.copyOf(mapped.entrySet())) {
            if (!e.getValue().equals(want.get(e.getKey()))) {
                mapped.remove(e.getKey());
                calls.add(() -> tell(() -> sink.disconnected(e.getKey(), e.getValue()), "disconnected", e.getKey()));
            }
        }
        for (Map.Entry<String, OfConnection> e : want.entrySet()) {
            if (!mapped.containsKey(e.getKey()) && e.getValue().isActive()) {
                mapped.put(e.getKey(), e.getValue());
                calls.add(() -> tell(() -> sink.connected(e.getKey(), e.getValue()), "connected", e.getKey()));
            }
        }
        mappedView = Map.copyOf(mapped);
        Map<OfConnection, String> held = new HashMap<>();
        now.forEach((c, o) -> {
            if (o instanceof SwitchMapping.Held h) {
                held.put(c, h.reason());
            }
        });
        heldView = Map.copyOf(held);
        Map<OfConnection, String> confirmedRoles = new HashMap<>();
        connections.keySet().forEach(c -> confirmedRoles.put(c, roles.describe(c)));
        rolesView = Map.copyOf(confirmedRoles);
        calls.forEach(Runnable::run);
    }

    /** A changed outcome: mapped at INFO; held or refused at WARN, rate-limited (peers cause them at will). */
    private void report(OfConnection c, SwitchMapping.Outcome outcome) {
        String source = sourceIp(c).map(IpAddress::toString).orElse(c.remote());
        String line = "switch " + c.datapathId() + " from " + source
                + c.peerIdentity().map(p -> " with " + p.describe()).orElse("") + " " + outcome.describe();
        if (outcome instanceof SwitchMapping.Mapped) {
            log.info("{}", line);
        } else {
            unbound.failed(source, line, System.nanoTime()).ifPresent(l -> log.warn("{}", l));
        }
    }

    private void tell(Runnable call, String what, String node) {
        if (sink == null) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("the switch sink failed on {} for node {}", what, node, e);
        }
    }

    /** The IP of {@code tcp:IP:PORT}, {@code ssl:[IP6]:PORT}; IPv4-mapped IPv6 as IPv4. */
    static Optional<IpAddress> sourceIp(OfConnection c) {
        return ipOfRemote(c.remote());
    }

    static Optional<IpAddress> ipOfRemote(String remote) {
        int colon = remote.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String hostPort = remote.substring(colon + 1);
        String host;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            host = end < 0 ? "" : hostPort.substring(1, end);
        } else {
            int last = hostPort.lastIndexOf(':');
            host = last < 0 ? hostPort : hostPort.substring(0, last);
        }
        if (host.regionMatches(true, 0, "::ffff:", 0, 7) && host.indexOf('.') > 0) {
            host = host.substring(7);
        }
        return IpAddress.tryParse(host);
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("central switch mapping failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing more to map
        }
    }

    /** Stops listening, closes every switch connection and reports each mapped node disconnected. */
    @Override
    public void close() {
        run(() -> {
            for (Map.Entry<String, OfConnection> e : List.copyOf(mapped.entrySet())) {
                mapped.remove(e.getKey());
                tell(() -> sink.disconnected(e.getKey(), e.getValue()), "disconnected", e.getKey());
            }
            mappedView = Map.of();
            closed = true;
        });
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("the central mapping thread did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        SwitchListener l = listener;
        if (l != null) {
            l.close();
        }
    }
}
