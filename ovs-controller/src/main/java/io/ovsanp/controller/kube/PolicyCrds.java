package io.ovsanp.controller.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.AdminPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy custom resources (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy),
 * each watched only while the API server serves it. A cluster may have the v1alpha1 CRDs, the v1alpha2
 * one, both or neither, and may install one later: discovery ({@code GET /apis/GROUP/VERSION}) says
 * which are served, an informer is started for each served one, and the kinds not served are checked
 * again every {@code recheck}. A kind the API server does not serve holds no object and counts as
 * synced (a controller must not hang waiting for an informer whose list can only fail); a kind whose
 * discovery has not been answered yet (the API server unreachable at start) does not.
 *
 * <p>Discovery runs on its own daemon thread; {@code started} is called there with the informer of a
 * kind just found (the watcher registers its event handler on it before it starts).
 */
final class PolicyCrds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyCrds.class);

    /** One policy kind: its resource, its informer once served, and its records. */
    static final class Slot {
        final CustomResourceDefinitionContext context;
        final InformerKind<GenericKubernetesResource, AdminPolicy> kind;
        private volatile SharedIndexInformer<GenericKubernetesResource> informer;
        /** null: discovery not answered yet; false: not served; true: informer started. */
        private volatile Boolean served;

        Slot(
                CustomResourceDefinitionContext context,
                InformerKind.Converter<GenericKubernetesResource, AdminPolicy> c) {
            this.context = context;
            this.kind = new InformerKind<>(this::cached, ClusterSnapshot.ADMIN_POLICY_ORDER, c);
        }

        private List<GenericKubernetesResource> cached() {
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            return i == null ? List.of() : i.getStore().list();
        }

        boolean synced() {
            Boolean s = served;
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            return s != null && (i == null ? !s : i.hasSynced());
        }

        boolean watching() {
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            return served != null && (i == null || i.isWatching());
        }

        Optional<GenericKubernetesResource> get(String name) {
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            return i == null
                    ? Optional.empty()
                    : Optional.ofNullable(i.getStore().getByKey(name));
        }

        String display() {
            return context.getKind() + " (" + context.getGroup() + "/" + context.getVersion() + ")";
        }
    }

    private final KubernetesClient client;
    private final List<Slot> slots;
    private final Duration recheck;
    private final BiConsumer<Slot, SharedIndexInformer<GenericKubernetesResource>> started;
    private final ScheduledExecutorService discovery;
    private volatile boolean closed;

    /**
     * @param started registers the watcher's event handler on an informer before it starts
     * @param recheck how often kinds not served are looked for again
     */
    PolicyCrds(
            KubernetesClient client,
            List<Slot> slots,
            Duration recheck,
            BiConsumer<Slot, SharedIndexInformer<GenericKubernetesResource>> started) {
        this.client = client;
        this.slots = List.copyOf(slots);
        this.recheck = recheck;
        this.started = started;
        this.discovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ovs-anp-crd-discovery");
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks for the kinds now and keeps looking for those not served. */
    void start() {
        discovery.execute(this::discover);
    }

    List<Slot> slots() {
        return slots;
    }

    boolean synced() {
        return slots.stream().allMatch(Slot::synced);
    }

    boolean watching() {
        return slots.stream().allMatch(Slot::watching);
    }

    /** The kinds served now, as {@code Kind (group/version)}. */
    List<String> served() {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) {
            if (Boolean.TRUE.equals(s.served)) out.add(s.display());
        }
        return out;
    }

    Optional<Slot> slot(String kind) {
        return slots.stream().filter(s -> s.context.getKind().equals(kind)).findFirst();
    }

    private void discover() {
        if (closed) return;
        boolean unanswered = false;
        for (Slot s : slots) {
            if (Boolean.TRUE.equals(s.served)) continue;
            Boolean now;
            try {
                now = isServed(s.context);
            } catch (RuntimeException e) {
                unanswered = true;
                LOG.debug("discovery of {} failed (will retry): {}", s.display(), e.toString());
                continue;
            }
            if (now && !closed) {
                SharedIndexInformer<GenericKubernetesResource> i =
                        client.genericKubernetesResources(s.context).runnableInformer(0);
                started.accept(s, i);
                s.informer = i;
                // as ClusterWatcher's informers: keep retrying after a failed list or watch
                i.exceptionHandler((wasStarted, failure) -> true).start();
                if (s.served != null) {
                    LOG.info("{} is served now: watching it", s.display());
                }
            } else if (!now && s.served == null) {
                LOG.info(
                        "{} is not served by the API server (its CRD is not installed): none are read;"
                                + " looking again every {} s",
                        s.display(),
                        recheck.toSeconds());
            }
            s.served = now;
        }
        if (closed) return;
        boolean allServed = slots.stream().allMatch(s -> Boolean.TRUE.equals(s.served));
        if (!allServed) {
            long delay = unanswered ? Math.min(recheck.toMillis(), 2000) : recheck.toMillis();
            try {
                discovery.schedule(this::discover, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    /** Whether the API server serves {@code c}'s resource; throws when it cannot be asked. */
    private boolean isServed(CustomResourceDefinitionContext c) {
        APIResourceList list;
        try {
            list = client.getApiResources(c.getGroup() + "/" + c.getVersion());
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 404) return false; // the group/version is not served at all
            throw e;
        }
        if (list == null || list.getResources() == null) return false;
        for (APIResource r : list.getResources()) {
            if (c.getPlural().equals(r.getName())) return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        discovery.shutdownNow();
        for (Slot s : slots) {
            SharedIndexInformer<GenericKubernetesResource> i = s.informer;
            if (i != null) i.close();
        }
    }
}
