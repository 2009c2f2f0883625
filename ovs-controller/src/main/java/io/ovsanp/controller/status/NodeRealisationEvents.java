package io.ovsanp.controller.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.switches.ReconcileResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, on each policy, which nodes fail to realise it: when a node's flows cannot be realised (the
 * switch refused the bundle, the compile failed, the switch is not connected) a Warning Event {@value
 * #REASON_FAILED} ("node N: why") on every policy that applies to the node (by its last compile's
 * {@link io.ovsanp.compiler.compile.ReadSet}; every policy while the node has none), and when the node
 * converges again a Normal Event {@value #REASON_RECOVERED} on the same policies. In agent mode every
 * agent reports its own node: no process knows every node's state, so this, not the {@code Ready}
 * condition, is where a DaemonSet install shows node failures ({@code kubectl get events -n default
 * --field-selector reason=RealisationFailed,involvedObject.name=POLICY}); in central mode the leader
 * reports every node (and also names them in {@code Ready}).
 *
 * <p>One failure episode (a node failing, from its first failure to its next convergence, whatever the
 * retries' reasons: they differ in details such as bundle ids) gives one event per policy, with the
 * first failure's reason; the event's name is derived from (policy uid, node, reason, episode start), so
 * a retry never duplicates it. At most {@value #MAX_POLICIES} policies per episode get an event (by kind and
 * name), the rest are counted in the log: a node with a thousand policies must not flood the API server.
 * The listener methods only record and queue; events are created on one daemon thread, retried after
 * {@code retryAfter} when the API refuses them.
 */
public final class NodeRealisationEvents implements RealisationListener, AutoCloseable {
    static final String REASON_FAILED = "RealisationFailed";
    static final String REASON_RECOVERED = "Realised";
    static final int MAX_POLICIES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(NodeRealisationEvents.class);

    private final PolicyEvents events;
    private final BooleanSupplier mayWrite;
    private final Clock clock;
    private final Flusher flusher;

    /** A node failing since {@code since}, first for {@code reason}; {@code done}: the event keys created. */
    private record Episode(String reason, Instant since, Set<String> done) {}

    /** An event still to create (a recovery: its episode is over, only the event is left). */
    private record Pending(PolicyEvents.Spec spec, String key) {}

    // Guarded by this.
    private List<ObjectRef> policies = List.of();
    private final Map<String, Set<ObjectRef>> policiesOf = new HashMap<>();
    private final Map<String, Episode> failing = new LinkedHashMap<>();
    private final List<Pending> pending = new ArrayList<>();

    /**
     * @param mayWrite false while another process reports (a standby central replica): nothing is created
     * @param namespace namespace of the Events ({@code default}, as client-go does for cluster-scoped objects)
     */
    public NodeRealisationEvents(
            KubernetesClient client, String namespace, BooleanSupplier mayWrite, Clock clock, Duration retryAfter) {
        this.events = new PolicyEvents(client, namespace, clock);
        this.mayWrite = mayWrite;
        this.clock = clock;
        this.flusher = new Flusher("ovs-anp-node-events", retryAfter, this::flush);
    }

    /** The controller's: events in {@code default}, retry after 10 s. */
    public static NodeRealisationEvents of(KubernetesClient client, BooleanSupplier mayWrite) {
        return new NodeRealisationEvents(client, "default", mayWrite, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies p, ClusterChange change) {
        List<ObjectRef> all = new ArrayList<>();
        for (EffectiveAdminPolicy a : p.admin()) all.add(a.ref());
        for (EffectiveAdminPolicy b : p.baseline()) all.add(b.ref());
        all.sort(Comparator.comparing(ObjectRef::kind).thenComparing(ObjectRef::name));
        synchronized (this) {
            policies = List.copyOf(all);
        }
    }

    @Override
    public void compiled(String node, CompileResult result, Duration took) {
        synchronized (this) {
            policiesOf.put(node, result.reads().policies());
        }
    }

    @Override
    public void failed(String node, String reason) {
        synchronized (this) {
            if (failing.containsKey(node)) {
                return; // the same episode: its retries' reasons differ only in details (bundle ids)
            }
            failing.put(node, new Episode(reason, clock.instant(), new HashSet<>()));
        }
        requestFlush();
    }

    @Override
    public void converged(String node, ReconcileResult result, Duration took) {
        synchronized (this) {
            Episode e = failing.remove(node);
            if (e == null) {
                return;
            }
            for (ObjectRef policy : applying(node)) {
                String key = key(policy, node, e) + "|recovered";
                pending.add(new Pending(
                        new PolicyEvents.Spec(
                                policy,
                                "",
                                "Normal",
                                REASON_RECOVERED,
                                "node " + node + " realises this policy again (it failed from " + e.since() + ": "
                                        + e.reason() + ")",
                                node),
                        key));
            }
        }
        requestFlush();
    }

    @Override
    public void nodeRemoved(String node) {
        synchronized (this) {
            failing.remove(node);
            policiesOf.remove(node);
        }
    }

    /** Queues one flush unless one is queued already; call it when {@code mayWrite} becomes true. */
    public void requestFlush() {
        flusher.request();
    }

    /** Waits until every flush requested before this call has run (tests). */
    public void drain(Duration timeout) throws InterruptedException, TimeoutException {
        flusher.drain(timeout);
    }

    /** The policies of {@code node}'s last read set, or every policy when it has none. Holds this. */
    private List<ObjectRef> applying(String node) {
        Set<ObjectRef> reads = policiesOf.get(node);
        return reads == null
                ? policies
                : policies.stream().filter(reads::contains).toList();
    }

    private static String key(ObjectRef policy, String node, Episode e) {
        return policy.kind() + "|" + policy.name() + "|" + policy.uid() + "|" + node + "|" + e.reason() + "|"
                + e.since();
    }

    private void flush() {
        try {
            if (!mayWrite.getAsBoolean()) {
                synchronized (this) {
                    pending.clear(); // another process reports; the failing episodes wait for our turn
                }
                return;
            }
            List<Pending> todo = new ArrayList<>();
            Map<String, Integer> leftOut = new LinkedHashMap<>();
            synchronized (this) {
                for (Map.Entry<String, Episode> f : failing.entrySet()) {
                    String node = f.getKey();
                    Episode e = f.getValue();
                    List<ObjectRef> hit = applying(node);
                    for (ObjectRef policy : hit.subList(0, Math.min(hit.size(), MAX_POLICIES))) {
                        String key = key(policy, node, e);
                        if (!e.done().contains(key)) {
                            todo.add(new Pending(
                                    new PolicyEvents.Spec(
                                            policy,
                                            "",
                                            "Warning",
                                            REASON_FAILED,
                                            "node " + node + ": " + e.reason(),
                                            node),
                                    key));
                        }
                    }
                    if (hit.size() > MAX_POLICIES && e.done().isEmpty()) {
                        leftOut.put(node, hit.size() - MAX_POLICIES);
                    }
                }
                todo.addAll(pending);
                pending.clear();
            }
            leftOut.forEach((node, n) ->
                    LOG.warn("node {} fails to realise {} more policies than get a {} event", node, n, REASON_FAILED));
            boolean retry = false;
            List<Pending> again = new ArrayList<>();
            for (Pending p : todo) {
                if (events.create(p.spec(), p.key())) {
                    markDone(p);
                } else {
                    retry = true;
                    again.add(p);
                }
            }
            if (retry) {
                synchronized (this) {
                    for (Pending p : again) {
                        if (p.spec().reason().equals(REASON_RECOVERED)) pending.add(p);
                    }
                }
                retryLater();
            }
        } catch (RuntimeException e) {
            LOG.warn("node realisation events failed (will retry): {}", e.toString(), e);
            retryLater();
        }
    }

    private synchronized void markDone(Pending p) {
        if (!p.spec().reason().equals(REASON_FAILED)) {
            return;
        }
        Episode e = failing.get(p.spec().host());
        if (e != null) {
            e.done().add(p.key());
        }
    }

    private void retryLater() {
        flusher.retryLater();
    }

    @Override
    public void close() {
        flusher.close();
    }
}
