package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.AllocationRecovery;
import io.ovsanp.compiler.compile.CompileMemo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.controller.switches.Reconciler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The per-node reconcile loop of {@code ovs-anp run}. Inputs: snapshot changes ({@link
 * #snapshotChanged()}, e.g. from {@code ClusterWatcher.onChange}) and switch connections (it is the
 * {@link SwitchSource.Sink}). A change marks only the affected nodes dirty ({@link DirtyNodes});
 * changes are coalesced: snapshots are read at most once per {@link Options#coalesce()} (a lone change
 * at once, a burst's later events together at the end of the interval), and a
 * node that is dirtied again while it reconciles is reconciled once more afterwards, not once per
 * event. Each node has at most one reconcile in flight; different nodes run in parallel on a small
 * worker pool (a compile is CPU-bound and independent per node; a bundle waits on its switch, so one
 * slow switch must not hold the others up).
 *
 * <p>All bookkeeping happens on one loop thread; workers only compile and talk to their switch. A
 * node's {@link Allocation} is kept between compiles; on every new connection it is rebuilt from the
 * switch's flows ({@link AllocationRecovery}), so a restarted controller, or a new leader, sends no
 * flow-mods for rules that did not change. Nothing is compiled before {@link Options#ready()} (the
 * informers synced): an empty snapshot would remove every rule. Writes happen only while {@link
 * Options#mayWrite()} holds (central mode's leader election); {@link #leadershipGained()} then resyncs
 * every switch. A refused bundle leaves the switch's previous flows; the node is retried with backoff.
 */
public final class ControllerLoop implements SwitchSource.Sink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
    private static final long RETRY_FIRST_MS = 200;
    private static final long RETRY_MAX_MS = 30_000;

    /**
     * @param auditInterval every switch is re-dumped and repaired this often
     * @param coalesce the least time between two snapshot reads (a change after a quiet interval is read
     *     at once; later ones wait for the interval's end and are read together)
     * @param switchTimeout per-request timeout towards a switch
     * @param workers reconciles running in parallel (different nodes)
     * @param compile pipeline placement, generation and compiler options
     * @param ready whether the snapshot is complete (informers synced)
     * @param mayWrite whether this replica may write flows (leader election; always true in agent mode)
     */
    public record Options(
            Duration auditInterval,
            Duration coalesce,
            Duration switchTimeout,
            int workers,
            CompileOptions compile,
            BooleanSupplier ready,
            BooleanSupplier mayWrite) {
        public static final Options DEFAULT = new Options(
                Duration.ofSeconds(60),
                Duration.ofMillis(10),
                Duration.ofSeconds(60),
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                CompileOptions.DEFAULT,
                () -> true,
                () -> true);

        public Options {
            Objects.requireNonNull(auditInterval);
            Objects.requireNonNull(coalesce);
            Objects.requireNonNull(switchTimeout);
            Objects.requireNonNull(compile);
            Objects.requireNonNull(ready);
            Objects.requireNonNull(mayWrite);
            if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
            if (auditInterval.isNegative() || auditInterval.isZero()) {
                throw new IllegalArgumentException("audit interval must be positive");
            }
        }

        public Options withAuditInterval(Duration d) {
            return new Options(d, coalesce, switchTimeout, workers, compile, ready, mayWrite);
        }

        public Options withSwitchTimeout(Duration d) {
            return new Options(auditInterval, coalesce, d, workers, compile, ready, mayWrite);
        }

        public Options withWorkers(int n) {
            return new Options(auditInterval, coalesce, switchTimeout, n, compile, ready, mayWrite);
        }

        public Options withCompile(CompileOptions c) {
            return new Options(auditInterval, coalesce, switchTimeout, workers, c, ready, mayWrite);
        }

        public Options withReady(BooleanSupplier r) {
            return new Options(auditInterval, coalesce, switchTimeout, workers, compile, r, mayWrite);
        }

        public Options withMayWrite(BooleanSupplier w) {
            return new Options(auditInterval, coalesce, switchTimeout, workers, compile, ready, w);
        }
    }

    /** One node's state; touched only on the loop thread (workers get copies in a {@link Job}). */
    private static final class NodeState {
        final String name;
        /** Used by the node's one reconcile in flight only (a worker), never by two at once. */
        final CompileMemo memo = new CompileMemo();

        OfConnection connection;
        Reconciler reconciler;
        Allocation allocation;
        CompileResult desired;
        long dirtyGeneration = 1; // > cleanGeneration: needs a compile
        long cleanGeneration;
        boolean audit;
        boolean recover;
        boolean inFlight;
        int failures;
        long retryAtNanos;

        NodeState(String name) {
            this.name = name;
        }

        boolean dirty() {
            return dirtyGeneration > cleanGeneration;
        }

        void markDirty() {
            dirtyGeneration++;
        }
    }

    private record Job(
            NodeState node,
            OfConnection connection,
            Reconciler reconciler,
            ClusterSnapshot snapshot,
            EffectivePolicies policies,
            Allocation allocation,
            CompileResult desired,
            long generation,
            boolean compile,
            boolean recover,
            boolean audit) {}

    private record Outcome(
            Job job, Allocation allocation, CompileResult desired, NodeInputs inputs, String failure, boolean ok) {}

    private final Supplier<ClusterSnapshot> snapshots;
    private final List<RealisationListener> listeners = new CopyOnWriteArrayList<>();
    private final Options options;
    private final ScheduledExecutorService loop;
    private final ExecutorService workers;
    private final Map<String, NodeState> nodes = new TreeMap<>();
    private final DirtyNodes dirtyNodes = new DirtyNodes();
    private Set<String> knownNodes = Set.of();
    private ClusterSnapshot snapshot;
    private EffectivePolicies policies;
    private boolean passScheduled;
    /** When the last pass read a snapshot (System.nanoTime); at first one interval ago, so none waits. */
    private long lastPassNanos;

    private int inFlight;
    private volatile boolean closed;

    public ControllerLoop(Supplier<ClusterSnapshot> snapshots, List<RealisationListener> listeners, Options options) {
        this.snapshots = Objects.requireNonNull(snapshots);
        this.listeners.addAll(listeners);
        this.options = Objects.requireNonNull(options);
        this.lastPassNanos = System.nanoTime() - options.coalesce().toNanos();
        this.loop = Executors.newSingleThreadScheduledExecutor(threads("ovs-anp-loop"));
        this.workers = Executors.newFixedThreadPool(options.workers(), threads("ovs-anp-reconcile"));
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public void addListener(RealisationListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /** Reads the first snapshot (once ready) and starts the periodic audit. */
    public ControllerLoop start() {
        long audit = options.auditInterval().toMillis();
        loop.scheduleWithFixedDelay(this::auditAll, audit, audit, TimeUnit.MILLISECONDS);
        snapshotChanged();
        return this;
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
            notify(l -> l.switchConnected(node, connection.datapathId().toString()));
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
            notify(l -> l.switchDisconnected(node));
        });
    }

    /**
     * Waits until nothing is pending: no snapshot change waiting, no reconcile in flight, every
     * connected node converged. For tests and benchmarks; false on timeout.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (call(this::idle)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Names of the nodes whose switch is connected now. */
    public Set<String> connectedNodes() throws InterruptedException {
        return call(() -> {
            Set<String> out = new HashSet<>();
            nodes.forEach((k, v) -> {
                if (v.connection != null) out.add(k);
            });
            return out;
        });
    }

    @Override
    public void close() {
        closed = true;
        loop.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- loop thread ----

    private boolean idle() {
        if (passScheduled || inFlight > 0 || !options.ready().getAsBoolean()) {
            return false;
        }
        for (NodeState n : nodes.values()) {
            if (n.connection != null && (n.dirty() || n.audit || n.recover)) {
                return false;
            }
        }
        return true;
    }

    private void pass() {
        passScheduled = false;
        if (!options.ready().getAsBoolean()) {
            // Never compile a partial cluster: an unsynced snapshot lacks policies (fail-open).
            passScheduled = true;
            schedule(this::pass, 100);
            return;
        }
        lastPassNanos = System.nanoTime();
        ClusterSnapshot next = snapshots.get();
        EffectivePolicies validated;
        try {
            validated = PolicyValidator.validate(next);
        } catch (RuntimeException e) {
            LOG.error("validation of the cluster snapshot failed; keeping the previous flows", e);
            return;
        }
        snapshot = next;
        policies = validated;
        notify(l -> l.validated(next, validated));
        DirtyNodes.Changes changes = dirtyNodes.next(next);
        Set<String> names = new HashSet<>(next.nodeNames());
        for (String gone : knownNodes) {
            if (!names.contains(gone)) {
                nodeGone(gone);
            }
        }
        knownNodes = names;
        int marked = 0;
        for (NodeState n : nodes.values()) {
            // A node in flight compiled an older snapshot whose inputs we do not know yet: redo it.
            if (n.inFlight || changes.affects(n.name)) {
                n.markDirty();
                marked++;
            }
        }
        LOG.debug("snapshot: {} node(s) dirty of {}", marked, nodes.size());
        dispatch();
    }

    private void nodeGone(String name) {
        LOG.info("node={} left the cluster", name);
        dirtyNodes.forget(name);
        notify(l -> l.nodeRemoved(name));
        NodeState n = nodes.get(name);
        if (n == null) {
            return;
        }
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

    private void dispatch() {
        if (closed || snapshot == null || !options.mayWrite().getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        for (NodeState n : nodes.values()) {
            if (n.inFlight || n.connection == null || !(n.dirty() || n.audit || n.recover)) {
                continue;
            }
            if (n.retryAtNanos != 0 && now < n.retryAtNanos) {
                continue;
            }
            boolean compile = n.dirty() || n.desired == null || n.recover;
            Job job = new Job(
                    n,
                    n.connection,
                    n.reconciler,
                    snapshot,
                    policies,
                    n.allocation,
                    n.desired,
                    n.dirtyGeneration,
                    compile,
                    n.recover || n.allocation == null,
                    n.audit);
            n.inFlight = true;
            inFlight++;
            try {
                workers.execute(() -> {
                    Outcome o = run(job);
                    onLoop(() -> finished(o));
                });
            } catch (RejectedExecutionException closing) {
                n.inFlight = false;
                inFlight--;
                return;
            }
        }
    }

    private void finished(Outcome o) {
        NodeState n = o.job().node();
        n.inFlight = false;
        inFlight--;
        if (n.connection != o.job().connection()) {
            // The switch reconnected meanwhile: the new connection has its own recovery queued.
            dispatch();
            return;
        }
        if (o.ok()) {
            n.allocation = o.allocation();
            n.desired = o.desired();
            if (o.job().compile()) {
                n.cleanGeneration = Math.max(n.cleanGeneration, o.job().generation());
                dirtyNodes.compiled(n.name, o.inputs());
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
            LOG.warn("node={} {} (attempt {}; retrying in {} ms)", n.name, o.failure(), n.failures, delay);
            schedule(this::dispatch, delay);
        }
        dispatch();
    }

    // ---- worker threads ----

    private Outcome run(Job j) {
        String node = j.node().name;
        MDC.put("node", node);
        MDC.put("dpid", j.connection().datapathId().toString());
        Allocation allocation = j.allocation();
        try {
            if (j.recover()) {
                CompileResult fresh =
                        Compiler.compile(j.snapshot(), j.policies(), node, Allocation.EMPTY, options.compile());
                allocation = AllocationRecovery.recover(j.reconciler().installed(), fresh);
            }
            CompileResult desired = j.desired();
            NodeInputs inputs = null;
            if (j.compile()) {
                long t0 = System.nanoTime();
                desired = Compiler.compile(
                        j.snapshot(), j.policies(), node, allocation, options.compile(), j.node().memo);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                inputs = NodeInputs.of(j.snapshot(), j.policies(), node);
                CompileResult compiled = desired;
                notify(l -> l.compiled(node, compiled, took));
            }
            long t1 = System.nanoTime();
            // A recovery has just dumped the switch: converging on that view is the audit.
            ReconcileResult r = j.audit() && !j.recover()
                    ? j.reconciler().audit(desired.flows())
                    : j.reconciler().converge(desired.flows());
            Duration took = Duration.ofNanos(System.nanoTime() - t1);
            if (r.flowMods() > 0 || j.compile()) {
                LOG.info("node={} dpid={} {}", node, j.connection().datapathId(), r.summary());
            }
            notify(l -> l.converged(node, r, took));
            return new Outcome(j, desired.allocation(), desired, inputs, null, true);
        } catch (ReconcileException e) {
            String why = e.getMessage();
            notify(l -> l.failed(node, why));
            return new Outcome(j, allocation, null, null, why, false);
        } catch (RuntimeException e) {
            String why = "compile failed: " + e;
            LOG.error("node={} {}", node, why, e);
            notify(l -> l.failed(node, why));
            return new Outcome(j, allocation, null, null, why, false);
        } finally {
            MDC.remove("node");
            MDC.remove("dpid");
        }
    }

    // ---- helpers ----

    private void notify(Consumer<RealisationListener> call) {
        for (RealisationListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed (ignored)", l.getClass().getName(), e);
            }
        }
    }

    private void onLoop(Runnable r) {
        if (closed) return;
        try {
            loop.execute(guarded(r));
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    private void schedule(Runnable r, long delayMs) {
        if (closed) return;
        try {
            loop.schedule(guarded(r), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    private static Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("controller loop step failed", e);
            }
        };
    }

    private <T> T call(Supplier<T> s) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        onLoop(() -> f.complete(s.get()));
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("controller loop does not answer", e);
        }
    }
}
