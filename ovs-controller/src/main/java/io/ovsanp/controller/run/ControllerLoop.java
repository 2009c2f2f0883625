package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterUpdate;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.CompileSession;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.verify.Verifier;
import io.ovsanp.compiler.verify.VerifyResult;
import io.ovsanp.controller.dns.DnsLearning;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.switches.Reconciler;
import io.ovsanp.controller.switches.StageFlows;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node reconcile loop of {@code ovs-anp run} and {@code ovs-anp sync}. Inputs: cluster updates
 * from a {@link ClusterSource} (a snapshot and the {@link ClusterChange} since the last one; its
 * {@code onChange} calls {@link #snapshotChanged()}) and switch connections (it is the {@link
 * SwitchSource.Sink}). The loop owns the {@link CompileSession} the compiles share. A change marks only
 * the affected nodes dirty ({@link DirtyNodes}, from the change and each node's last {@link
 * io.ovsanp.compiler.compile.ReadSet});
 * changes are coalesced: snapshots are read at most once per {@link Options#coalesce()} (a lone change
 * at once, a burst's later events together at the end of the interval), and a
 * node that is dirtied again while it reconciles is reconciled once more afterwards, not once per
 * event. Each node has at most one reconcile in flight; different nodes run in parallel on a small
 * worker pool (a compile is CPU-bound and independent per node; a bundle waits on its switch, so one
 * slow switch must not hold the others up).
 *
 * <p>All bookkeeping happens on one loop thread; workers only compile and talk to their switch. A
 * node's {@link Allocation} is kept between compiles; on every new connection it is rebuilt from the
 * switch's flows ({@link SwitchNumbering}), so a restarted controller, or a new leader, sends
 * no flow-mods for rules that did not change. Nothing is compiled before {@link ClusterSource#ready()}
 * (the informers synced): an empty snapshot would remove every rule. Writes happen only while {@link
 * LoopOptions#mayWrite()} holds (central mode's leader election); {@link #leadershipGained()} then
 * resyncs every switch. A refused bundle leaves the switch's previous flows; the node is retried with
 * backoff.
 */
public final class ControllerLoop implements SwitchSource.Sink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
    private static final long RETRY_FIRST_MS = 200;
    private static final long RETRY_MAX_MS = 30_000;

    private final ClusterSource cluster;
    private final Listeners listeners;
    private final LoopOptions options;
    private final CompileSession session = new CompileSession();
    private final LoopThread loop = new LoopThread("ovs-anp-loop");
    private final ExecutorService workers;
    /** One thread for the periodic verifications: they take seconds on a large node, never a reconcile's. */
    private final ExecutorService verifications;

    private final Map<String, NodeState> nodes = new TreeMap<>();
    private final DirtyNodes dirtyNodes = new DirtyNodes();
    private Set<String> knownNodes = Set.of();
    private Compilation compilation;
    /** The last pass failed after taking an update: the next one cannot trust its change. */
    private boolean resync;

    private boolean passScheduled;
    /** When the last pass read a snapshot (System.nanoTime); at first one interval ago, so none waits. */
    private long lastPassNanos;

    private int inFlight;
    /** What pods learned from the DNS answers their switches paused ({@code domainNames} rules). */
    private final DnsLearning dns;
    /** Answers held over all nodes (at most {@link DnsLearning.Settings#maxHeld()}). */
    private int heldAnswers;

    /** An answer is released unlearned-in-time after this long (resolvers retry after about 5 s). */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(2);

    /** Not started: {@link #start()} reads the cluster; the switch source then feeds connections. */
    public ControllerLoop(ClusterSource cluster, List<RealisationListener> listeners, LoopOptions options) {
        this.cluster = Objects.requireNonNull(cluster);
        this.listeners = new Listeners(listeners);
        this.options = Objects.requireNonNull(options);
        this.lastPassNanos = System.nanoTime() - options.coalesce().toNanos();
        this.workers = Executors.newFixedThreadPool(options.workers(), LoopThread.threads("ovs-anp-reconcile"));
        this.verifications = Executors.newSingleThreadExecutor(LoopThread.threads("ovs-anp-verify"));
        this.dns = new DnsLearning(options.dns());
    }

    public void addListener(RealisationListener l) {
        listeners.add(l);
    }

    /** Follows the cluster source, reads the first snapshot (once ready) and starts the periodic audit. */
    public ControllerLoop start() {
        cluster.onChange(this::snapshotChanged);
        long audit = options.auditInterval().toMillis();
        loop.every(this::auditAll, audit);
        if (!options.ruleStatsInterval().isZero()) {
            loop.every(
                    this::pollCounters, Math.max(1, options.ruleStatsInterval().toMillis()));
        }
        loop.every(this::dnsTick, 250);
        if (!options.verifyInterval().isZero()) {
            loop.every(this::verifyAll, Math.max(1, options.verifyInterval().toMillis()));
        }
        snapshotChanged();
        return this;
    }

    /**
     * Where the switches' paused DNS answers go (their connections ask for continuations): each is
     * learned from on the loop thread and resumed at once, or, when it taught its pod a new address,
     * once the node's flows with that address are on the switch (docs/architecture.md, "Names learned
     * from DNS").
     */
    public PacketInSink dnsAnswers() {
        return new PacketInSink() {
            @Override
            public void accept(OfConnection from, PacketIn p) {
                // A paused packet names its flow's cookie only after a ct recirculation (docs/ovs-notes.md
                // §2.7): ours, or none. Another owner's paused packet is left to its controller.
                if (p.continuation().isEmpty()
                        || (p.cookie() != PacketIn.NO_COOKIE && !new Cookie(p.cookie()).isOurs())) return;
                long arrived = System.nanoTime();
                try {
                    onLoop(() -> answer(from, p, arrived));
                } catch (RejectedExecutionException closing) {
                    from.resume(p);
                }
            }

            @Override
            public boolean wantsContinuations() {
                return true;
            }
        };
    }

    /**
     * The cluster changed: a new snapshot is read at once when none was read within the coalescing
     * interval, else when the interval since the last one ends (so a lone change pays no delay and a
     * burst costs one pass per interval). Any thread.
     */
    public void snapshotChanged() {
        onLoop(() -> {
            if (!passScheduled) {
                passScheduled = true;
                long since = System.nanoTime() - lastPassNanos;
                long waitNanos = options.coalesce().toNanos() - since;
                schedule(this::pass, waitNanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
            }
        });
    }

    /** This replica became the leader: every switch is re-read and re-converged. Any thread. */
    public void leadershipGained() {
        onLoop(() -> {
            for (NodeState n : nodes.values()) {
                n.recover = true;
                n.audit = true;
                n.markDirty();
            }
            dispatch();
        });
    }

    /** Marks every node dirty (a recompile of all, e.g. after an options change). Any thread. */
    public void markAllDirty() {
        onLoop(() -> {
            nodes.values().forEach(NodeState::markDirty);
            dispatch();
        });
    }

    @Override
    public void connected(String node, OfConnection connection) {
        onLoop(() -> {
            NodeState n = nodes.computeIfAbsent(node, NodeState::new);
            if (n.connection != null && n.connection != connection) {
                LOG.info("node={} replaces its connection {} by {}", node, n.connection, connection);
            }
            n.connection = connection;
            n.reconciler = new Reconciler(connection, options.switchTimeout());
            n.recover = true;
            n.audit = true;
            n.failures = 0;
            n.retryAtNanos = 0;
            n.markDirty();
            LOG.info("node={} dpid={} switch connected ({})", node, connection.datapathId(), connection.remote());
            listeners.notify(
                    l -> l.switchConnected(node, connection.datapathId().toString()));
            dispatch();
        });
    }

    @Override
    public void disconnected(String node, OfConnection connection) {
        onLoop(() -> {
            NodeState n = nodes.get(node);
            if (n == null || n.connection != connection) {
                return;
            }
            n.connection = null;
            n.reconciler = null;
            LOG.info("node={} dpid={} switch disconnected", node, connection.datapathId());
            listeners.notify(l -> l.switchDisconnected(node));
        });
    }

    /**
     * Waits until nothing is pending: no snapshot change waiting, no reconcile in flight, every
     * connected node converged. For tests and benchmarks; false on timeout.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (loop.call(this::idle)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Names of the nodes whose switch is connected now. */
    public Set<String> connectedNodes() throws InterruptedException {
        return loop.call(() -> {
            Set<String> out = new HashSet<>();
            nodes.forEach((k, v) -> {
                if (v.connection != null) out.add(k);
            });
            return out;
        });
    }

    @Override
    public void close() {
        loop.close();
        workers.shutdownNow();
        verifications.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- loop thread ----

    private boolean idle() {
        if (passScheduled || inFlight > 0 || !cluster.ready()) {
            return false;
        }
        for (NodeState n : nodes.values()) {
            if (n.connection != null && n.owed()) {
                return false;
            }
        }
        return true;
    }

    private void pass() {
        passScheduled = false;
        if (!cluster.ready()) {
            // Never compile a partial cluster: an unsynced snapshot lacks policies (fail-open).
            passScheduled = true;
            schedule(this::pass, 100);
            return;
        }
        lastPassNanos = System.nanoTime();
        ClusterUpdate update = cluster.update();
        ClusterChange change = resync ? ClusterChange.EVERYTHING : update.change();
        Compilation previous = compilation;
        Compilation next;
        try {
            next = session.advance(update.snapshot(), change);
        } catch (RuntimeException e) {
            resync = true; // the change was taken: the next pass starts afresh
            LOG.error("validation of the cluster snapshot failed; keeping the previous flows", e);
            return;
        }
        resync = false;
        compilation = next;
        dnsFollows(next);
        listeners.notify(l -> l.validated(next.snapshot(), next.policies(), change));
        DirtyNodes.Changes changes = dirtyNodes.next(previous, next, change);
        Set<String> names = new HashSet<>(next.nodeNames());
        for (String gone : knownNodes) {
            if (!names.contains(gone)) {
                nodeGone(gone);
            }
        }
        knownNodes = names;
        int marked = 0;
        for (NodeState n : nodes.values()) {
            // A node in flight compiled an older snapshot whose reads we do not know yet: redo it.
            if (n.inFlight || changes.affects(n.name)) {
                n.markDirty();
                marked++;
            }
        }
        LOG.debug("snapshot ({}): {} node(s) dirty of {}", change.summary(), marked, nodes.size());
        dispatch();
    }

    private void nodeGone(String name) {
        LOG.info("node={} left the cluster", name);
        dirtyNodes.forget(name);
        dns.forgetNode(name);
        listeners.notify(l -> l.nodeRemoved(name));
        NodeState n = nodes.get(name);
        if (n == null) {
            return;
        }
        releaseHeld(n, Long.MAX_VALUE, true); // what its pods learned is gone with it
        if (n.connection == null && !n.inFlight) {
            nodes.remove(name);
        } else {
            n.allocation = null;
            n.recover = true;
            n.markDirty();
        }
    }

    private void auditAll() {
        for (NodeState n : nodes.values()) {
            if (n.connection != null) {
                n.audit = true;
            }
        }
        dispatch();
    }

    /**
     * Dumps the counters of every converged switch that nothing is owed to, on a worker; the node waits
     * for it (its cookies must name the rules of the compile it holds). Listeners hear the dump with
     * that compile's {@link RuleCookies}.
     */
    private void pollCounters() {
        if (loop.closed()) return;
        for (NodeState n : nodes.values()) {
            if (n.inFlight || n.polling || n.connection == null || n.desired == null || n.owed()) continue;
            OfConnection c = n.connection;
            CompileResult held = n.desired;
            n.polling = true;
            try {
                workers.execute(() -> {
                    List<DumpedFlow> dumped = null;
                    try {
                        dumped = c.dumpFlows(FlowStatsRequest.ours(c.nextXid()))
                                .get(options.switchTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        LOG.debug("node={} counters not read: {}", n.name, e.toString());
                    }
                    List<DumpedFlow> got = dumped;
                    onLoop(() -> countersRead(n, c, held, got));
                });
            } catch (RejectedExecutionException closing) {
                n.polling = false;
                return;
            }
        }
    }

    // Identity is the point: the very compile the switch held when the dump started, not an equal one.
    @SuppressWarnings("ReferenceEquality")
    private void countersRead(NodeState n, OfConnection c, CompileResult held, List<DumpedFlow> dumped) {
        n.polling = false;
        if (dumped != null && n.connection == c && n.desired == held) {
            RuleCookies rules = RuleCookies.of(held);
            listeners.notify(l -> l.ruleCounters(n.name, rules, dumped));
        }
        dispatch();
    }

    /**
     * Verifies every converged switch that nothing is owed to, one at a time on the verify thread:
     * every flow of its stage against the policies it is converged to, with what its pods learned
     * from DNS (docs/decisions.md, "verify: atomic predicates"). A difference is reported and the
     * switch audited at once (our flows edited out of band are repaired; a foreign flow stays, and is
     * reported again next time).
     */
    private void verifyAll() {
        if (loop.closed() || compilation == null) return;
        long now = System.nanoTime();
        for (NodeState n : nodes.values()) {
            if (n.verifying || n.inFlight || n.connection == null || n.desired == null || n.owed()) continue;
            OfConnection c = n.connection;
            CompileResult held = n.desired;
            Compilation at = compilation;
            ResolverStates learned = dns.statesFor(n.name, now);
            n.verifying = true;
            try {
                verifications.execute(() -> {
                    VerifyOutcome o = verifySwitch(n.name, c, at, learned);
                    onLoop(() -> verified(n, c, held, o));
                });
            } catch (RejectedExecutionException closing) {
                n.verifying = false;
                return;
            }
        }
    }

    private VerifyOutcome verifySwitch(String node, OfConnection c, Compilation at, ResolverStates learned) {
        long start = System.nanoTime();
        try {
            FlowSet flows = StageFlows.read(c, options.compile().pipeline().placement(), options.switchTimeout());
            VerifyResult r =
                    new Verifier(at.snapshot(), at.policies(), options.compile(), learned).verify(node, flows, 3);
            return VerifyOutcome.of(r, Duration.ofNanos(System.nanoTime() - start));
        } catch (StageFlows.Unreadable | IllegalArgumentException e) {
            return VerifyOutcome.failed(e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return VerifyOutcome.failed("interrupted", Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            LOG.error("node={} verification failed", node, e);
            return VerifyOutcome.failed(e.toString(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Reports a verification unless the switch moved on meanwhile (another connection, another
     * compile, a reconcile owed or under way): its verdict would be about flows no longer meant.
     */
    @SuppressWarnings("ReferenceEquality")
    private void verified(NodeState n, OfConnection c, CompileResult held, VerifyOutcome o) {
        n.verifying = false;
        if (n.connection != c || n.desired != held || n.inFlight || n.owed()) return;
        if (!o.equal()) {
            LOG.warn("node={} {}", n.name, o.summary());
            n.audit = true;
        }
        listeners.notify(l -> l.verified(n.name, o));
        dispatch();
    }

    private void dispatch() {
        if (loop.closed() || compilation == null || !options.mayWrite().getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        for (NodeState n : nodes.values()) {
            if (n.inFlight || n.polling || n.connection == null || !n.owed()) {
                continue;
            }
            if (n.retryAtNanos != 0 && now < n.retryAtNanos) {
                continue;
            }
            boolean compile = n.dirty() || n.desired == null || n.recover;
            NodeWork.Job job = new NodeWork.Job(
                    n,
                    n.connection,
                    n.reconciler,
                    compilation,
                    n.allocation,
                    n.desired,
                    n.dirtyGeneration,
                    compile,
                    n.recover || n.allocation == null,
                    n.audit,
                    dns.statesFor(n.name, now),
                    n.learnedVersion);
            n.inFlight = true;
            inFlight++;
            try {
                workers.execute(() -> {
                    NodeWork.Outcome o = NodeWork.run(job, options, listeners);
                    onLoop(() -> finished(o));
                });
            } catch (RejectedExecutionException closing) {
                n.inFlight = false;
                inFlight--;
                return;
            }
        }
    }

    private void finished(NodeWork.Outcome o) {
        NodeState n = o.job().node();
        n.inFlight = false;
        inFlight--;
        if (n.connection != o.job().connection()) {
            // The switch reconnected meanwhile: the new connection has its own recovery queued.
            dispatch();
            return;
        }
        if (o.job().compile() || o.job().recover()) {
            // the answers this compile covered: their flows are on the switch, or could not be put there
            releaseHeld(n, o.job().learnedVersion(), !o.ok());
        }
        if (o.ok()) {
            n.allocation = o.allocation();
            n.desired = o.desired();
            if (o.job().compile()) {
                n.cleanGeneration = Math.max(n.cleanGeneration, o.job().generation());
                dirtyNodes.compiled(n.name, o.desired().reads());
            }
            if (o.job().audit()) n.audit = false;
            if (o.job().recover()) n.recover = false;
            n.failures = 0;
            n.retryAtNanos = 0;
        } else {
            if (o.allocation() != null && n.allocation == null) {
                n.allocation = o.allocation(); // recovered, the compile or bundle failed later
                n.recover = false;
            }
            n.failures++;
            long delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS << Math.min(n.failures - 1, 20));
            n.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            // one report per failure, with its cause (which may continue on lines naming the flow)
            LOG.warn(
                    "node={} not realised (its previous flows stay; attempt {}, retrying in {} ms): {}",
                    n.name,
                    n.failures,
                    delay,
                    o.failure());
            schedule(this::dispatch, delay);
        }
        dispatch();
    }

    // ---- DNS answers (loop thread) ----

    private void answer(OfConnection from, PacketIn p, long arrived) {
        NodeState n = null;
        for (NodeState candidate : nodes.values()) {
            if (candidate.connection == from) n = candidate;
        }
        if (n == null || compilation == null) {
            resume(null, from, p); // a switch the loop does not serve (yet): nothing to learn for
            return;
        }
        DnsLearning.Observation o = dns.observe(n.name, p.data().toArray(), arrived);
        if (o.kind() != DnsLearning.Kind.LEARNED) {
            release(n, from, p, arrived, o.kind(), false);
            return;
        }
        LOG.debug("node={} pod {} learned {}", n.name, o.pod().orElse(null), o.names());
        n.learnedVersion++;
        n.markDirty();
        reportLearned();
        if (heldAnswers >= dns.settings().maxHeld()) {
            // too many waiting: this one goes on now; its pod's first connection may be judged before the flows
            release(n, from, p, arrived, o.kind(), true);
        } else {
            n.held.add(new HeldAnswer(from, p, n.learnedVersion, arrived));
            heldAnswers++;
        }
        dispatch();
    }

    /** Resumes {@code n}'s held answers of version {@code upTo} or older ({@code late}: unrealised). */
    private void releaseHeld(NodeState n, long upTo, boolean late) {
        java.util.Iterator<HeldAnswer> it = n.held.iterator();
        while (it.hasNext()) {
            HeldAnswer h = it.next();
            if (h.version() > upTo) continue;
            it.remove();
            heldAnswers--;
            release(n, h.from(), h.packetIn(), h.arrivedNanos(), DnsLearning.Kind.LEARNED, late);
        }
    }

    /** Resumes an answer of {@code n}'s switch and reports how long it was held. */
    private void release(
            NodeState n, OfConnection from, PacketIn p, long arrivedNanos, DnsLearning.Kind kind, boolean late) {
        resume(n, from, p);
        Duration held = Duration.ofNanos(System.nanoTime() - arrivedNanos);
        listeners.notify(l -> l.dnsAnswer(n.name, kind, held, late));
    }

    private void resume(NodeState n, OfConnection from, PacketIn p) {
        OfConnection c = from.isActive() || n == null || n.connection == null ? from : n.connection;
        c.resume(p).whenComplete((ok, e) -> {
            if (e != null) LOG.debug("a held DNS answer was not resumed on {}: {}", c, e.toString());
        });
    }

    /** A new compilation: its patterns, and forget the pods that left (their nodes recompile). */
    private void dnsFollows(Compilation next) {
        dns.policies(next.policies());
        if (dns.counts()[0] == 0) return;
        Set<io.ovsanp.compiler.net.IpAddress> live = new HashSet<>();
        for (io.ovsanp.compiler.cluster.PodInfo pod : next.snapshot().pods()) live.addAll(pod.ips());
        Set<String> changed = dns.retain(live);
        for (String node : changed) {
            NodeState n = nodes.get(node);
            if (n != null) n.markDirty();
        }
        if (!changed.isEmpty()) reportLearned();
    }

    /** Expiry of learned addresses, and answers held past {@link #HOLD_LIMIT}. */
    private void dnsTick() {
        long now = System.nanoTime();
        Set<String> expired = dns.expire(now);
        for (String node : expired) {
            NodeState n = nodes.get(node);
            if (n != null) {
                LOG.debug("node={} learned addresses expired", node);
                n.markDirty();
            }
        }
        if (!expired.isEmpty()) reportLearned();
        if (heldAnswers > 0) {
            for (NodeState n : nodes.values()) {
                long oldest = n.held.stream()
                        .filter(h -> now - h.arrivedNanos() > HOLD_LIMIT.toNanos())
                        .mapToLong(HeldAnswer::version)
                        .max()
                        .orElse(-1);
                if (oldest >= 0) {
                    LOG.warn(
                            "node={} DNS answers held for more than {} ms are released before their flows",
                            n.name,
                            HOLD_LIMIT.toMillis());
                    releaseHeld(n, oldest, true);
                }
            }
        }
        if (!expired.isEmpty()) dispatch();
    }

    private void reportLearned() {
        long[] c = dns.counts();
        listeners.notify(l -> l.dnsLearned(c[0], c[1]));
    }

    // ---- helpers ----

    private void onLoop(Runnable r) {
        loop.execute(r);
    }

    private void schedule(Runnable r, long delayMs) {
        loop.schedule(r, delayMs);
    }
}
