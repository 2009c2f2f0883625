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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
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

    private ClusterWatcher(KubernetesClient client) {
        serialization = client.getKubernetesSerialization();
        namespaces = watch(client.namespaces().runnableInformer(0));
        pods = watch(client.pods().inAnyNamespace().runnableInformer(0));
        nodes = watch(client.nodes().runnableInformer(0));
        services = watch(client.services().inAnyNamespace().runnableInformer(0));
        slices = watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0));
        networkPolicies =
                watch(client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0));
        adminPolicies =
                watch(client.genericKubernetesResources(ADMIN_NETWORK_POLICY).runnableInformer(0));
        baselinePolicies = watch(
                client.genericKubernetesResources(BASELINE_ADMIN_NETWORK_POLICY).runnableInformer(0));
        all = List.of(namespaces, pods, nodes, services, slices, networkPolicies, adminPolicies, baselinePolicies);
    }

    /** Starts all informers; does not wait for them to sync (see {@link #awaitSynced}). */
    public static ClusterWatcher start(KubernetesClient client) {
        ClusterWatcher w = new ClusterWatcher(client);
        for (SharedIndexInformer<?> i : w.all) {
            i.start();
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

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        });
        return informer;
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

    /** The cluster as the caches have it now. Sorted (deterministic) by {@link ClusterSnapshot}. */
    public ClusterSnapshot snapshot() {
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
