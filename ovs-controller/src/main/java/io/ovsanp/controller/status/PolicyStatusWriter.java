package io.ovsanp.controller.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.ReadSet;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.run.VerifyOutcome;
import io.ovsanp.controller.switches.ReconcileResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code Ready} condition of every AdminNetworkPolicy, BaselineAdminNetworkPolicy and
 * ClusterNetworkPolicy through their {@code /status} subresource, and a Warning Event per invalid rule and per unenforced
 * part ({@link InvalidRuleEvents}).
 *
 * <p>{@code Ready} is what {@link ReadyCondition} says: no invalid rule, and no failed node among those
 * the policy applies to (by each node's last {@link ReadSet}, the compiler's own answer).
 *
 * <p>The listener methods only record state and ask for a flush; the flush runs on one daemon thread
 * and coalesces (many calls, one flush). It compares with the object the {@link PolicyObjects} has
 * (the informer cache) and with what it wrote last, and PUTs {@code /status} only when type, status,
 * reason, message or observedGeneration differ; {@code lastTransitionTime} moves only when the status
 * flips. API errors (a 409 from a stale cache included) are logged and the flush is retried after
 * {@code retryAfter}. Nothing is written or emitted while {@code mayWrite} is false (a standby
 * replica); call {@link #requestFlush()} when it becomes true.
 */
public final class PolicyStatusWriter implements RealisationListener, AutoCloseable {
    public static final String READY = ReadyCondition.READY;

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStatusWriter.class);

    private final KubernetesClient client;
    private final PolicyObjects objects;
    private final BooleanSupplier mayWrite;
    /** Whether this process sees every node (central mode), so that Ready can name the failed ones. */
    private final boolean seesEveryNode;

    private final Clock clock;
    private final InvalidRuleEvents events;
    private final Flusher flusher;

    // Written by the loop's threads, read by the flush: guarded by this.
    private EffectivePolicies policies;
    private final Map<String, String> failedNodes = new TreeMap<>();
    /**
     * Nodes whose switch the last periodic verification found unequal to the policies: what a
     * convergence does not clear (a foreign flow stays through it), only an equal verification.
     */
    private final Map<String, String> unequalNodes = new TreeMap<>();
    /** Per node, the policies that apply to it ({@link ReadSet#policies()} of its last compile). */
    private final Map<String, Set<ObjectRef>> policiesOf = new HashMap<>();

    // The flush thread's own: what we wrote, per kind/name, so a lagging cache causes no second write.
    private final Map<String, Condition> written = new HashMap<>();

    /**
     * @param objects where the current objects are read (the informer cache)
     * @param mayWrite false on a standby replica: nothing is written or emitted
     * @param eventNamespace namespace of the Events ({@code default}, as client-go does for cluster-scoped objects)
     */
    public PolicyStatusWriter(
            KubernetesClient client,
            PolicyObjects objects,
            BooleanSupplier mayWrite,
            String eventNamespace,
            Clock clock,
            Duration retryAfter) {
        this(client, objects, mayWrite, eventNamespace, clock, retryAfter, true);
    }

    /**
     * @param seesEveryNode false in agent mode: this process realises one node only, so {@code Ready}
     *     says what needs no switch (validity, unenforced parts) and node failures are left to each
     *     node's {@link NodeRealisationEvents}
     */
    public PolicyStatusWriter(
            KubernetesClient client,
            PolicyObjects objects,
            BooleanSupplier mayWrite,
            String eventNamespace,
            Clock clock,
            Duration retryAfter,
            boolean seesEveryNode) {
        this.client = client;
        this.objects = objects;
        this.mayWrite = mayWrite;
        this.seesEveryNode = seesEveryNode;
        this.clock = clock;
        this.events = new InvalidRuleEvents(client, eventNamespace, clock);
        this.flusher = new Flusher("ovs-anp-status", retryAfter, this::flush);
    }

    /**
     * The controller's writer: informer cache, events in {@code default}, retry after 10 s; {@code
     * seesEveryNode} in central mode only.
     */
    public static PolicyStatusWriter of(
            KubernetesClient client, ClusterWatcher watcher, BooleanSupplier mayWrite, boolean seesEveryNode) {
        return new PolicyStatusWriter(
                client,
                PolicyObjects.of(watcher),
                mayWrite,
                "default",
                Clock.systemUTC(),
                Duration.ofSeconds(10),
                seesEveryNode);
    }

    /**
     * A new snapshot: a flush when the policies (or the diagnostics their conditions quote) may have
     * changed; a change of pods, nodes or services alone changes no condition.
     */
    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
        boolean first;
        synchronized (this) {
            first = this.policies == null;
            this.policies = policies;
        }
        if (first
                || change.everything()
                || change.loadDiagnosticsChanged()
                || !change.adminPolicies().isEmpty()) {
            requestFlush();
        }
    }

    /** Which policies apply to {@code node}: where its failures are reported. */
    @Override
    public void compiled(String node, CompileResult result, Duration took) {
        if (!seesEveryNode) return;
        boolean changed;
        synchronized (this) {
            Set<ObjectRef> now = result.reads().policies();
            changed = !now.equals(policiesOf.put(node, now))
                    && (failedNodes.containsKey(node) || unequalNodes.containsKey(node));
        }
        if (changed) {
            requestFlush();
        }
    }

    @Override
    public void converged(String node, ReconcileResult result, Duration took) {
        if (!seesEveryNode) return;
        boolean changed;
        synchronized (this) {
            changed = failedNodes.remove(node) != null;
        }
        if (changed) {
            requestFlush();
        }
    }

    @Override
    public void failed(String node, String reason) {
        if (!seesEveryNode) return;
        boolean changed;
        synchronized (this) {
            changed = !reason.equals(failedNodes.put(node, reason));
        }
        if (changed) {
            requestFlush();
        }
    }

    /**
     * A verification that found a difference names the node on its policies until one finds it equal;
     * one that could not verify (a dump that failed or timed out, a flow it cannot read) changes
     * nothing here: it is logged and counted, and the next one decides.
     */
    @Override
    public void verified(String node, VerifyOutcome outcome) {
        if (!seesEveryNode || outcome.result().isEmpty()) return;
        boolean changed;
        synchronized (this) {
            changed = outcome.equal()
                    ? unequalNodes.remove(node) != null
                    : !outcome.summary().equals(unequalNodes.put(node, outcome.summary()));
        }
        if (changed) {
            requestFlush();
        }
    }

    @Override
    public void nodeRemoved(String node) {
        synchronized (this) {
            policiesOf.remove(node);
            unequalNodes.remove(node);
        }
        converged(node, null, Duration.ZERO);
    }

    /** Queues one flush unless one is queued already (coalescing). Never blocks, never throws. */
    public void requestFlush() {
        flusher.request();
    }

    /** Waits until every flush requested before this call has run (tests, orderly shutdown). */
    public void drain(Duration timeout) throws InterruptedException, TimeoutException {
        flusher.drain(timeout);
    }

    private void flush() {
        try {
            if (!mayWrite.getAsBoolean()) {
                return;
            }
            EffectivePolicies p;
            Map<String, String> failed;
            Map<String, Set<ObjectRef>> applying;
            synchronized (this) {
                p = policies;
                failed = new TreeMap<>(failedNodes);
                unequalNodes.forEach((n, why) -> failed.merge(n, why, (a, b) -> a + "; " + b));
                applying = new HashMap<>(policiesOf);
            }
            if (p == null) {
                return;
            }
            if (!writeAll(p, failed, applying)) {
                retryLater();
            }
        } catch (RuntimeException e) {
            LOG.warn("status flush failed (will retry): {}", e.toString(), e);
            retryLater();
        }
    }

    private void retryLater() {
        flusher.retryLater();
    }

    /** Returns false if anything must be retried. */
    private boolean writeAll(EffectivePolicies p, Map<String, String> failed, Map<String, Set<ObjectRef>> applying) {
        Map<String, List<Diagnostic>> errors = new HashMap<>();
        Map<String, List<Diagnostic>> unenforced = new HashMap<>();
        for (Diagnostic d : p.diagnostics()) {
            if (d.severity() == Severity.ERROR) {
                errors.computeIfAbsent(key(d.object()), k -> new ArrayList<>()).add(d);
            } else if (d.unenforced()) {
                unenforced
                        .computeIfAbsent(key(d.object()), k -> new ArrayList<>())
                        .add(d);
            }
        }
        boolean ok = true;
        Set<String> present = new HashSet<>();
        events.startRound();
        List<EffectiveAdminPolicy> all = new ArrayList<>(p.admin());
        all.addAll(p.baseline());
        for (EffectiveAdminPolicy policy : all) {
            String k = key(policy.ref());
            present.add(k);
            List<Diagnostic> errs = errors.getOrDefault(k, List.of()).stream()
                    .distinct()
                    .sorted()
                    .toList();
            List<Diagnostic> notEnforced = unenforced.getOrDefault(k, List.of()).stream()
                    .distinct()
                    .sorted()
                    .toList();
            Map<String, String> failedHere = failedFor(policy.ref(), failed, applying);
            Condition want = seesEveryNode
                    ? ReadyCondition.of(policy, errs, notEnforced, failedHere)
                    : ReadyCondition.withoutNodes(policy, errs, notEnforced);
            try {
                ok &= write(policy, want);
                for (Diagnostic d : notEnforced) {
                    ok &= events.emit(policy.ref(), d);
                }
                for (Diagnostic d : errs) {
                    ok &= events.emit(policy.ref(), d);
                }
            } catch (KubernetesClientException e) {
                LOG.warn(
                        "status of {} not written (will retry): {}",
                        policy.ref().display(),
                        e.getMessage());
                written.remove(k);
                ok = false;
            }
        }
        events.endRound();
        written.keySet().retainAll(present);
        return ok;
    }

    /**
     * The failed nodes {@code policy} applies to, by their last compile's read set; a node that has no
     * read set yet (its compile failed, or it never compiled) counts for every policy: unknown is
     * reported, never hidden.
     */
    private static Map<String, String> failedFor(
            ObjectRef policy, Map<String, String> failed, Map<String, Set<ObjectRef>> applying) {
        Map<String, String> out = new TreeMap<>();
        failed.forEach((n, r) -> {
            Set<ObjectRef> ps = applying.get(n);
            if (ps == null || ps.contains(policy)) {
                out.put(n, r);
            }
        });
        return out;
    }

    /** Writes {@code want} unless the object has it already. Returns true when nothing is left to do. */
    @SuppressWarnings("unchecked")
    private boolean write(EffectiveAdminPolicy policy, Condition want) {
        String name = policy.ref().name();
        var ctx = ClusterWatcher.policyResource(policy.ref().kind()).orElseThrow();
        GenericKubernetesResource current =
                objects.get(policy.ref().kind(), name).orElse(null);
        Condition mine = written.get(key(policy.ref()));
        if (current != null && mine != null && !mine.sameAs(readyOf(current))) {
            // The cache disagrees with our last write: it lags behind, or someone else wrote since.
            // Judge (and write) against the API server's copy, never against a stale cache.
            current = client.genericKubernetesResources(ctx).withName(name).get();
        }
        if (current == null) {
            return true; // deleted meanwhile: the next snapshot drops it
        }
        String uid = current.getMetadata().getUid();
        if (!policy.ref().uid().isEmpty() && uid != null && !policy.ref().uid().equals(uid)) {
            return false; // recreated under the same name: wait for the snapshot of the new object
        }
        Long gen = current.getMetadata().getGeneration();
        want = want.withGeneration(gen == null ? 0 : gen);
        String k = key(policy.ref());
        Map<String, Object> status = current.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        List<Object> conditions =
                status.get("conditions") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        Condition existing = null;
        int at = -1;
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = Condition.fromMap(conditions.get(i));
            if (c != null && READY.equals(c.type())) {
                existing = c;
                at = i;
            }
        }
        if (want.sameAs(existing)) {
            written.put(k, existing);
            return true;
        }
        if (want.sameAs(mine)) {
            return true; // we wrote it; the cache has not caught up yet
        }
        Condition before = mine != null ? mine : existing;
        String previous = before != null && before.status().equals(want.status()) ? before.lastTransitionTime() : "";
        Condition next = want.withTransition(
                previous.isEmpty()
                        ? Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()
                        : previous);
        if (at >= 0) {
            conditions.set(at, next.toMap());
        } else {
            conditions.add(next.toMap());
        }
        status.put("conditions", conditions);
        GenericKubernetesResource copy = client.getKubernetesSerialization().clone(current);
        copy.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(ctx).resource(copy).updateStatus();
        written.put(k, next);
        LOG.info("{} {}={} {}: {}", policy.ref().display(), READY, next.status(), next.reason(), next.message());
        return true;
    }

    /** The Ready condition an object carries, or null. */
    @SuppressWarnings("unchecked")
    private static Condition readyOf(GenericKubernetesResource r) {
        if (!(r.getAdditionalProperties().get("status") instanceof Map<?, ?> m)) {
            return null;
        }
        if (!(((Map<String, Object>) m).get("conditions") instanceof List<?> l)) {
            return null;
        }
        Condition ready = null;
        for (Object o : l) {
            Condition c = Condition.fromMap(o);
            if (c != null && READY.equals(c.type())) ready = c;
        }
        return ready;
    }

    private static String key(ObjectRef ref) {
        return ref.kind() + "/" + ref.name();
    }

    /** Every failed node this writer knows of, with its reason (for tests and the log). */
    public synchronized Map<String, String> failedNodes() {
        return new TreeMap<>(failedNodes);
    }

    /** Every node whose switch the last verification found unequal, with what it found. */
    public synchronized Map<String, String> unequalNodes() {
        return new TreeMap<>(unequalNodes);
    }

    @Override
    public void close() {
        flusher.close();
    }
}
