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
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.snapshot.AdminPolicyReader;
import io.ovsanp.controller.snapshot.ClusterObjectConverter;
import io.ovsanp.controller.snapshot.NetworkPolicyConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Informer caches of Namespace, Pod, Node, Service, EndpointSlice (discovery.k8s.io/v1),
 * NetworkPolicy (networking.k8s.io/v1), AdminNetworkPolicy and BaselineAdminNetworkPolicy
 * (policy.networking.k8s.io/v1alpha1, read as generic resources), and the {@link ClusterSnapshot}
 * they make. Conversion is the one of the offline loader, with {@link SourceRef#NONE}; problems
 * become {@link ClusterSnapshot#loadDiagnostics()} or policy problems, never exceptions.
 */
public final class ClusterWatcher implements AutoCloseable {
    /** The AdminNetworkPolicy custom resource (cluster-scoped). */
    public static final CustomResourceDefinitionContext ADMIN_NETWORK_POLICY = crd("AdminNetworkPolicy");

    /** The BaselineAdminNetworkPolicy custom resource (cluster-scoped). */
    public static final CustomResourceDefinitionContext BASELINE_ADMIN_NETWORK_POLICY =
            crd("BaselineAdminNetworkPolicy");

    /**
     * Benchmarks only (PassBench's baseline): with this system property true every {@link
     * #snapshot()} converts every cached object again, as before the conversions were kept.
     */
    public static final String NO_REUSE_PROPERTY = "ovsanp.bench.noSnapshotReuse";

    private final KubernetesSerialization serialization;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> networkPolicies;
    private final SharedIndexInformer<GenericKubernetesResource> adminPolicies;
    private final SharedIndexInformer<GenericKubernetesResource> baselinePolicies;
    private final List<SharedIndexInformer<?>> all;
    private final Kind<Namespace, NamespaceInfo> namespaceKind;
    private final Kind<Pod, PodInfo> podKind;
    private final Kind<Node, NodeInfo> nodeKind;
    private final Kind<Service, ServiceInfo> serviceKind;
    private final Kind<EndpointSlice, EndpointSliceInfo> sliceKind;
    private final Kind<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy, NetworkPolicy> npKind;
    private final Kind<GenericKubernetesResource, AdminPolicy> adminKind;
    private final Kind<GenericKubernetesResource, AdminPolicy> baselineKind;
    // ANPs and the BANP are one list in the snapshot: the last one, and the event counts it is of
    private List<AdminPolicy> policyList;
    private long adminChanges;
    private long baselineChanges;

    private ClusterWatcher(KubernetesClient client) {
        serialization = client.getKubernetesSerialization();
        namespaces = client.namespaces().runnableInformer(0);
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        nodes = client.nodes().runnableInformer(0);
        services = client.services().inAnyNamespace().runnableInformer(0);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        networkPolicies =
                client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        adminPolicies = client.genericKubernetesResources(ADMIN_NETWORK_POLICY).runnableInformer(0);
        baselinePolicies =
                client.genericKubernetesResources(BASELINE_ADMIN_NETWORK_POLICY).runnableInformer(0);
        all = List.of(namespaces, pods, nodes, services, slices, networkPolicies, adminPolicies, baselinePolicies);
        namespaceKind = new Kind<>(
                namespaces,
                ClusterSnapshot.NAMESPACE_ORDER,
                (ns, out, d) -> out.add(ClusterObjectConverter.namespace(ns)));
        podKind = new Kind<>(
                pods,
                ClusterSnapshot.POD_ORDER,
                (p, out, d) -> ClusterObjectConverter.pod(p, SourceRef.NONE, d).ifPresent(out::add));
        nodeKind = new Kind<>(
                nodes,
                ClusterSnapshot.NODE_ORDER,
                (n, out, d) -> out.add(ClusterObjectConverter.node(n, SourceRef.NONE, d)));
        serviceKind = new Kind<>(
                services,
                ClusterSnapshot.SERVICE_ORDER,
                (sv, out, d) -> out.add(ClusterObjectConverter.service(sv, SourceRef.NONE, d)));
        sliceKind = new Kind<>(
                slices,
                ClusterSnapshot.ENDPOINT_SLICE_ORDER,
                (e, out, d) -> out.add(ClusterObjectConverter.endpointSlice(e, SourceRef.NONE, d)));
        npKind = new Kind<>(
                networkPolicies,
                ClusterSnapshot.NETWORK_POLICY_ORDER,
                (np, out, d) -> out.add(NetworkPolicyConverter.convert(np, SourceRef.NONE)));
        adminKind = new Kind<>(
                adminPolicies,
                ClusterSnapshot.ADMIN_POLICY_ORDER,
                (r, out, d) -> out.add(AdminPolicyReader.read(json(r), Tier.ADMIN, SourceRef.NONE)));
        baselineKind = new Kind<>(
                baselinePolicies,
                ClusterSnapshot.ADMIN_POLICY_ORDER,
                (r, out, d) -> out.add(AdminPolicyReader.read(json(r), Tier.BASELINE, SourceRef.NONE)));
    }

    /** Converts one cached object: its records (none for a pod that is not running) and problems. */
    @FunctionalInterface
    private interface Converter<T, R> {
        void convert(T object, List<R> out, List<Diagnostic> diagnostics);
    }

    /** What one cached object converted to. */
    private record Conversion<R>(List<R> records, List<Diagnostic> diagnostics) {}

    /**
     * One kind's informer and its conversions, kept between snapshots. Every API event used to
     * convert every cached object (20,000 pods at the scale) and compare the results deeply.
     * Now an object the informer still holds (the same instance: an informer replaces the object on
     * every update, it never changes one in place) keeps its records, so unchanged objects are the
     * same record instances in consecutive snapshots, and a kind without an event since the last
     * snapshot keeps its whole list. Events are counted before the listeners run, so the snapshot
     * read after any event sees the count moved; one that raced ahead of its count is picked up by
     * the snapshot its own notification triggers.
     */
    private final class Kind<T extends HasMetadata, R> {
        private final SharedIndexInformer<T> informer;
        private final Converter<T, R> converter;
        private final AtomicLong events = new AtomicLong(1);
        private long seen; // the event count the lists below were built at
        // the cache's objects at the last scan, in its order, and what each converted to
        private Object[] objects = new Object[0];

        @SuppressWarnings("unchecked")
        private Conversion<R>[] conversions = new Conversion[0];

        private final Comparator<? super R> order;
        private List<R> sortedRecords = List.of(); // in the snapshot's order, as the conversions have them
        private List<R> records = List.of();
        private List<Diagnostic> diagnostics = List.of();

        Kind(SharedIndexInformer<T> informer, Comparator<? super R> order, Converter<T, R> converter) {
            this.informer = informer;
            this.order = order;
            this.converter = converter;
            watch(informer, events);
        }

        /**
         * Brings the lists up to the informer's cache; called under the watcher's lock. Objects the
         * cache no longer holds (deleted, or replaced by an update) leave the sorted list, new ones
         * are converted and merged in: no sort of the whole kind.
         */
        @SuppressWarnings({"ReferenceEquality", "unchecked"}) // identity: the informer's instances
        void refresh() {
            long count = events.get();
            if (count == seen) {
                return;
            }
            Object[] before = objects;
            Conversion<R>[] was = conversions;
            List<R> previous = sortedRecords;
            // if a conversion throws, the next call starts over
            objects = new Object[0];
            conversions = new Conversion[0];
            sortedRecords = List.of();
            records = List.of();
            seen = 0;
            List<T> now = informer.getStore().list();
            Object[] objs = now.toArray();
            Conversion<R>[] convs = new Conversion[objs.length];
            int[] at = InstanceMatch.of(before, objs);
            boolean[] kept = new boolean[before.length];
            List<R> added = new ArrayList<>();
            List<Diagnostic> ds = new ArrayList<>();
            for (int i = 0; i < objs.length; i++) {
                Conversion<R> c;
                if (at[i] >= 0) {
                    c = was[at[i]];
                    kept[at[i]] = true;
                } else {
                    List<R> out = new ArrayList<>(1);
                    List<Diagnostic> problems = new ArrayList<>(0);
                    converter.convert((T) objs[i], out, problems);
                    c = new Conversion<>(List.copyOf(out), List.copyOf(problems));
                    added.addAll(c.records());
                }
                convs[i] = c;
                ds.addAll(c.diagnostics());
            }
            List<R> gone = new ArrayList<>();
            for (int k = 0; k < before.length; k++) {
                if (!kept[k]) gone.addAll(was[k].records());
            }
            sortedRecords = added.isEmpty() && gone.isEmpty()
                    ? previous
                    : ClusterSnapshot.mergeSorted(previous, gone, added, order);
            objects = objs;
            conversions = convs;
            records = sortedRecords;
            diagnostics = List.copyOf(ds);
            seen = count;
        }

        List<R> records() {
            return records;
        }

        /** Keeps the snapshot's (sorted, immutable) copy, so the next snapshot gets it again. */
        void sorted(List<R> inSnapshot) {
            records = inSnapshot;
            sortedRecords = inSnapshot;
        }

        List<Diagnostic> diagnostics() {
            return diagnostics;
        }
    }

    /** Starts all informers; does not wait for them to sync (see {@link #awaitSynced}). */
    public static ClusterWatcher start(KubernetesClient client) {
        ClusterWatcher w = new ClusterWatcher(client);
        for (SharedIndexInformer<?> i : w.all) {
            // fabric8 stops an informer for good when its first list fails or its watch ends with an
            // error other than 410 Gone; a controller must keep trying, as client-go's reflector does
            i.exceptionHandler((started, failure) -> true).start();
        }
        return w;
    }

    private static CustomResourceDefinitionContext crd(String kind) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup("policy.networking.k8s.io")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(kind.toLowerCase(java.util.Locale.ROOT).replaceAll("y$", "ies"))
                .withScope("Cluster")
                // as the upstream CRDs: status is written only through /status (the mock honours it)
                .withStatusSubresource(true)
                .build();
    }

    private <T extends HasMetadata> void watch(SharedIndexInformer<T> informer, AtomicLong events) {
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
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Whether every informer has listed its resources once. */
    public boolean synced() {
        return all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /**
     * Whether every informer has its watch open now (fabric8's {@link SharedIndexInformer#isWatching}:
     * listed, and the current watch request started and not ended); see {@link ApiConnectivity}.
     */
    public boolean watching() {
        return all.stream().allMatch(SharedIndexInformer::isWatching);
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
        if (Boolean.getBoolean(NO_REUSE_PROPERTY)) {
            return convertAll();
        }
        List<Kind<?, ?>> kinds =
                List.of(namespaceKind, podKind, nodeKind, serviceKind, sliceKind, npKind, adminKind, baselineKind);
        for (Kind<?, ?> k : kinds) {
            k.refresh();
        }
        // the order of the problems is the one of the former single pass: pods, nodes, services, slices
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Kind<?, ?> k : kinds) {
            diagnostics.addAll(k.diagnostics());
        }
        if (policyList == null || adminChanges != adminKind.seen || baselineChanges != baselineKind.seen) {
            policyList = new ArrayList<>(adminKind.records());
            policyList.addAll(baselineKind.records());
            adminChanges = adminKind.seen;
            baselineChanges = baselineKind.seen;
        }
        List<AdminPolicy> aps = policyList;
        ClusterSnapshot s = new ClusterSnapshot(
                namespaceKind.records(),
                podKind.records(),
                nodeKind.records(),
                serviceKind.records(),
                sliceKind.records(),
                aps,
                npKind.records(),
                diagnostics);
        namespaceKind.sorted(s.namespaces());
        podKind.sorted(s.pods());
        nodeKind.sorted(s.nodes());
        serviceKind.sorted(s.services());
        sliceKind.sorted(s.endpointSlices());
        npKind.sorted(s.networkPolicies());
        policyList = s.adminPolicies();
        return s;
    }

    /** Every cached object converted again: the baseline of {@link #NO_REUSE_PROPERTY}. */
    private ClusterSnapshot convertAll() {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<NamespaceInfo> ns = namespaces.getStore().list().stream()
                .map(ClusterObjectConverter::namespace)
                .toList();
        List<PodInfo> ps = new ArrayList<>();
        for (Pod p : pods.getStore().list()) {
            ClusterObjectConverter.pod(p, SourceRef.NONE, diagnostics).ifPresent(ps::add);
        }
        List<NodeInfo> ns2 = new ArrayList<>();
        for (Node n : nodes.getStore().list()) {
            ns2.add(ClusterObjectConverter.node(n, SourceRef.NONE, diagnostics));
        }
        List<ServiceInfo> ss = new ArrayList<>();
        for (Service s : services.getStore().list()) {
            ss.add(ClusterObjectConverter.service(s, SourceRef.NONE, diagnostics));
        }
        List<EndpointSliceInfo> es = new ArrayList<>();
        for (EndpointSlice e : slices.getStore().list()) {
            es.add(ClusterObjectConverter.endpointSlice(e, SourceRef.NONE, diagnostics));
        }
        List<NetworkPolicy> nps = networkPolicies.getStore().list().stream()
                .map(np -> NetworkPolicyConverter.convert(np, SourceRef.NONE))
                .toList();
        List<AdminPolicy> aps = new ArrayList<>();
        for (GenericKubernetesResource r : adminPolicies.getStore().list()) {
            aps.add(AdminPolicyReader.read(json(r), Tier.ADMIN, SourceRef.NONE));
        }
        for (GenericKubernetesResource r : baselinePolicies.getStore().list()) {
            aps.add(AdminPolicyReader.read(json(r), Tier.BASELINE, SourceRef.NONE));
        }
        return new ClusterSnapshot(ns, ps, ns2, ss, es, aps, nps, diagnostics);
    }

    /**
     * The cached AdminNetworkPolicy ({@link Tier#ADMIN}) or BaselineAdminNetworkPolicy ({@link
     * Tier#BASELINE}) named {@code name}, as the informer has it (status included); empty if unknown.
     */
    public java.util.Optional<GenericKubernetesResource> policyObject(Tier tier, String name) {
        SharedIndexInformer<GenericKubernetesResource> i = switch (tier) {
            case ADMIN -> adminPolicies;
            case BASELINE -> baselinePolicies;
            case NETWORK_POLICY -> throw new IllegalArgumentException("not an admin policy tier: " + tier);
        };
        return java.util.Optional.ofNullable(i.getStore().getByKey(name));
    }

    private JsonNode json(GenericKubernetesResource r) {
        return serialization.convertValue(r, JsonNode.class);
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> i : all) {
            i.close();
        }
    }
}
