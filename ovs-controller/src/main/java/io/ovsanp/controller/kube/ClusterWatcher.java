package io.ovsanp.controller.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ClusterUpdate;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.KindChange;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.run.ClusterSource;
import io.ovsanp.controller.snapshot.AdminPolicyReader;
import io.ovsanp.controller.snapshot.ClusterNetworkPolicyReader;
import io.ovsanp.controller.snapshot.ClusterObjectConverter;
import io.ovsanp.controller.snapshot.NetworkPolicyConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Informer caches of Namespace, Pod, Node, Service, EndpointSlice (discovery.k8s.io/v1),
 * NetworkPolicy (networking.k8s.io/v1), AdminNetworkPolicy and BaselineAdminNetworkPolicy
 * (policy.networking.k8s.io/v1alpha1) and ClusterNetworkPolicy (v1alpha2), the last three read as
 * generic resources and watched only while the API server serves them ({@link PolicyCrds}), and the
 * {@link ClusterSnapshot} they make. Conversion is the one of the offline loader, with {@link SourceRef#NONE}; problems
 * become {@link ClusterSnapshot#loadDiagnostics()} or policy problems, never exceptions.
 */
public final class ClusterWatcher implements ClusterSource, AutoCloseable {
    /** The AdminNetworkPolicy custom resource (cluster-scoped). */
    public static final CustomResourceDefinitionContext ADMIN_NETWORK_POLICY = crd("AdminNetworkPolicy");

    /** The BaselineAdminNetworkPolicy custom resource (cluster-scoped). */
    public static final CustomResourceDefinitionContext BASELINE_ADMIN_NETWORK_POLICY =
            crd("BaselineAdminNetworkPolicy");

    /** The ClusterNetworkPolicy custom resource (v1alpha2, cluster-scoped). */
    public static final CustomResourceDefinitionContext CLUSTER_NETWORK_POLICY =
            crd("ClusterNetworkPolicy", "v1alpha2");

    /** How often policy kinds the API server does not serve are looked for again. */
    public static final Duration CRD_RECHECK = Duration.ofSeconds(30);

    private final KubernetesSerialization serialization;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> networkPolicies;
    private final PolicyCrds crds;
    private final List<SharedIndexInformer<?>> all;
    private final InformerKind<Namespace, NamespaceInfo> namespaceKind;
    private final InformerKind<Pod, PodInfo> podKind;
    private final InformerKind<Node, NodeInfo> nodeKind;
    private final InformerKind<Service, ServiceInfo> serviceKind;
    private final InformerKind<EndpointSlice, EndpointSliceInfo> sliceKind;
    private final InformerKind<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy, NetworkPolicy> npKind;
    // ANPs, BANPs and CNPs are one list in the snapshot: the last one, and the event counts it is of
    private List<AdminPolicy> policyList;
    private long[] policyChanges = new long[0];
    // the last snapshot built, and what changed since the last update() (null: nothing taken yet)
    private ClusterSnapshot last;
    private ClusterChange pending;

    private ClusterWatcher(KubernetesClient client, Duration crdRecheck) {
        serialization = client.getKubernetesSerialization();
        namespaces = client.namespaces().runnableInformer(0);
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        nodes = client.nodes().runnableInformer(0);
        services = client.services().inAnyNamespace().runnableInformer(0);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        networkPolicies =
                client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        all = List.of(namespaces, pods, nodes, services, slices, networkPolicies);
        namespaceKind = new InformerKind<>(
                namespaces,
                ClusterSnapshot.NAMESPACE_ORDER,
                (ns, out, d) -> out.add(ClusterObjectConverter.namespace(ns)));
        podKind = new InformerKind<>(
                pods,
                ClusterSnapshot.POD_ORDER,
                (p, out, d) -> ClusterObjectConverter.pod(p, SourceRef.NONE, d).ifPresent(out::add));
        nodeKind = new InformerKind<>(
                nodes,
                ClusterSnapshot.NODE_ORDER,
                (n, out, d) -> out.add(ClusterObjectConverter.node(n, SourceRef.NONE, d)));
        serviceKind = new InformerKind<>(
                services,
                ClusterSnapshot.SERVICE_ORDER,
                (sv, out, d) -> out.add(ClusterObjectConverter.service(sv, SourceRef.NONE, d)));
        sliceKind = new InformerKind<>(
                slices,
                ClusterSnapshot.ENDPOINT_SLICE_ORDER,
                (e, out, d) -> out.add(ClusterObjectConverter.endpointSlice(e, SourceRef.NONE, d)));
        npKind = new InformerKind<>(
                networkPolicies,
                ClusterSnapshot.NETWORK_POLICY_ORDER,
                (np, out, d) -> out.add(NetworkPolicyConverter.convert(np, SourceRef.NONE)));
        crds = new PolicyCrds(
                client,
                List.of(
                        new PolicyCrds.Slot(
                                ADMIN_NETWORK_POLICY,
                                (r, out, d) -> out.add(AdminPolicyReader.read(json(r), Tier.ADMIN, SourceRef.NONE))),
                        new PolicyCrds.Slot(
                                BASELINE_ADMIN_NETWORK_POLICY,
                                (r, out, d) -> out.add(AdminPolicyReader.read(json(r), Tier.BASELINE, SourceRef.NONE))),
                        new PolicyCrds.Slot(
                                CLUSTER_NETWORK_POLICY,
                                (r, out, d) -> out.add(ClusterNetworkPolicyReader.read(json(r), SourceRef.NONE)))),
                crdRecheck,
                (slot, informer) -> watch(slot.kind, informer));
        watch(namespaceKind, namespaces);
        watch(podKind, pods);
        watch(nodeKind, nodes);
        watch(serviceKind, services);
        watch(sliceKind, slices);
        watch(npKind, networkPolicies);
    }

    /** Starts all informers; does not wait for them to sync (see {@link #awaitSynced}). */
    public static ClusterWatcher start(KubernetesClient client) {
        return start(client, CRD_RECHECK);
    }

    /** {@link #start(KubernetesClient)}, looking for policy kinds not served every {@code crdRecheck}. */
    public static ClusterWatcher start(KubernetesClient client, Duration crdRecheck) {
        ClusterWatcher w = new ClusterWatcher(client, crdRecheck);
        for (SharedIndexInformer<?> i : w.all) {
            // fabric8 stops an informer for good when its first list fails or its watch ends with an
            // error other than 410 Gone; a controller must keep trying, as client-go's reflector does
            i.exceptionHandler((started, failure) -> true).start();
        }
        w.crds.start();
        return w;
    }

    private static CustomResourceDefinitionContext crd(String kind) {
        return crd(kind, "v1alpha1");
    }

    private static CustomResourceDefinitionContext crd(String kind, String version) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup("policy.networking.k8s.io")
                .withVersion(version)
                .withKind(kind)
                .withPlural(kind.toLowerCase(java.util.Locale.ROOT).replaceAll("y$", "ies"))
                .withScope("Cluster")
                // as the upstream CRDs: status is written only through /status (the mock honours it)
                .withStatusSubresource(true)
                .build();
    }

    private <T extends HasMetadata> void watch(InformerKind<T, ?> kind, SharedIndexInformer<T> informer) {
        AtomicLong events = kind.eventCounter();
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                events.incrementAndGet();
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                events.incrementAndGet();
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                events.incrementAndGet();
                changed();
            }
        });
    }

    private void changed() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /** {@code listener} runs (on an informer thread) after every add, update or delete. */
    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Whether every informer has listed its resources once (a policy kind the API server does not
     * serve counts as listed, empty).
     */
    public boolean synced() {
        return all.stream().allMatch(SharedIndexInformer::hasSynced) && crds.synced();
    }

    /** The policy kinds the API server serves now, as {@code Kind (group/version)}. */
    public List<String> policyKindsServed() {
        return crds.served();
    }

    /**
     * Whether every informer has its watch open now (fabric8's {@link SharedIndexInformer#isWatching}:
     * listed, and the current watch request started and not ended); see {@link ApiConnectivity}.
     */
    public boolean watching() {
        return all.stream().allMatch(SharedIndexInformer::isWatching) && crds.watching();
    }

    /** Waits until {@link #synced()}; throws {@link TimeoutException} after {@code timeout}. */
    public void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!synced()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("informers not synced after " + timeout);
            }
            Thread.sleep(10);
        }
    }

    /**
     * The cluster as the caches have it now. Sorted (deterministic) by {@link ClusterSnapshot}.
     * Objects unchanged since the previous call keep their records, and kinds without events their
     * lists (the same instances), so comparing consecutive snapshots is cheap.
     */
    public synchronized ClusterSnapshot snapshot() {
        KindChange<NamespaceInfo> ns = namespaceKind.refresh();
        KindChange<PodInfo> ps = podKind.refresh();
        KindChange<NodeInfo> nodes = nodeKind.refresh();
        KindChange<ServiceInfo> svcs = serviceKind.refresh();
        KindChange<EndpointSliceInfo> slices = sliceKind.refresh();
        KindChange<NetworkPolicy> nps = npKind.refresh();
        List<InformerKind<GenericKubernetesResource, AdminPolicy>> policyKinds = new ArrayList<>();
        List<KindChange<AdminPolicy>> policyChanged = new ArrayList<>();
        for (PolicyCrds.Slot slot : crds.slots()) {
            policyKinds.add(slot.kind);
            policyChanged.add(slot.kind.refresh());
        }
        // the order of the problems is the one of the former single pass: pods, nodes, services, slices
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<InformerKind<?, ?>> kinds =
                new ArrayList<>(List.of(namespaceKind, podKind, nodeKind, serviceKind, sliceKind, npKind));
        kinds.addAll(policyKinds);
        for (InformerKind<?, ?> k : kinds) {
            diagnostics.addAll(k.diagnostics());
        }
        long[] seen = policyKinds.stream().mapToLong(InformerKind::seen).toArray();
        if (policyList == null || !java.util.Arrays.equals(seen, policyChanges)) {
            policyList = new ArrayList<>();
            for (InformerKind<GenericKubernetesResource, AdminPolicy> k : policyKinds) {
                policyList.addAll(k.records());
            }
            policyChanges = seen;
        }
        ClusterSnapshot s = new ClusterSnapshot(
                namespaceKind.records(),
                podKind.records(),
                nodeKind.records(),
                serviceKind.records(),
                sliceKind.records(),
                policyList,
                npKind.records(),
                diagnostics);
        namespaceKind.sorted(s.namespaces());
        podKind.sorted(s.pods());
        nodeKind.sorted(s.nodes());
        serviceKind.sorted(s.services());
        sliceKind.sorted(s.endpointSlices());
        npKind.sorted(s.networkPolicies());
        policyList = s.adminPolicies();
        ClusterChange change = last == null
                ? ClusterChange.EVERYTHING
                : new ClusterChange(
                        ns,
                        ps,
                        nodes,
                        svcs,
                        slices,
                        merged(policyChanged),
                        nps,
                        !last.loadDiagnostics().equals(s.loadDiagnostics()),
                        false);
        pending = pending == null ? change : pending.then(change);
        last = s;
        return s;
    }

    /**
     * The cluster now and what changed since the snapshot the previous call returned ({@link
     * ClusterChange#EVERYTHING} the first time): what the informers saw leave and come, not a
     * comparison of the snapshots. For the one consumer that follows the cluster (the reconcile loop);
     * {@link #snapshot()} may be called meanwhile by others without losing changes.
     */
    @Override
    public synchronized ClusterUpdate update() {
        ClusterSnapshot s = snapshot();
        ClusterUpdate u = new ClusterUpdate(s, pending);
        pending = ClusterChange.NONE;
        return u;
    }

    @Override
    public boolean ready() {
        return synced();
    }

    /** ANPs, BANPs and CNPs are one kind in the snapshot. */
    private static KindChange<AdminPolicy> merged(List<KindChange<AdminPolicy>> changes) {
        List<KindChange<AdminPolicy>> some =
                changes.stream().filter(c -> !c.isEmpty()).toList();
        if (some.isEmpty()) return changes.get(0);
        if (some.size() == 1) return some.get(0);
        List<AdminPolicy> left = new ArrayList<>();
        List<AdminPolicy> came = new ArrayList<>();
        for (KindChange<AdminPolicy> c : some) {
            left.addAll(c.left());
            came.addAll(c.came());
        }
        left.sort(ClusterSnapshot.ADMIN_POLICY_ORDER);
        came.sort(ClusterSnapshot.ADMIN_POLICY_ORDER);
        return KindChange.between(left, came, ClusterSnapshot.ADMIN_POLICY_ORDER);
    }

    /**
     * The cached policy of {@code kind} (AdminNetworkPolicy, BaselineAdminNetworkPolicy or
     * ClusterNetworkPolicy) named {@code name}, as the informer has it (status included); empty if
     * unknown or the kind is not served.
     */
    public java.util.Optional<GenericKubernetesResource> policyObject(String kind, String name) {
        return crds.slot(kind).flatMap(s -> s.get(name));
    }

    /** The resource of a policy kind, or empty for a kind that is not one. */
    public static java.util.Optional<CustomResourceDefinitionContext> policyResource(String kind) {
        return java.util.stream.Stream.of(ADMIN_NETWORK_POLICY, BASELINE_ADMIN_NETWORK_POLICY, CLUSTER_NETWORK_POLICY)
                .filter(c -> c.getKind().equals(kind))
                .findFirst();
    }

    private JsonNode json(GenericKubernetesResource r) {
        return serialization.convertValue(r, JsonNode.class);
    }

    @Override
    public void close() {
        crds.close();
        for (SharedIndexInformer<?> i : all) {
            i.close();
        }
    }
}
