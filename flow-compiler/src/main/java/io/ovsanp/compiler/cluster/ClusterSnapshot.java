package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the compiler and the evaluator need, as one immutable value. Built by the YAML loader
 * (offline) or from informer caches (controller). Lists are sorted so that equal clusters are equal
 * values and compile to byte-identical output. Namespaces referenced by pods or policies but absent
 * from the input exist implicitly with only their name label.
 */
public record ClusterSnapshot(
        List<NamespaceInfo> namespaces,
        List<PodInfo> pods,
        List<NodeInfo> nodes,
        List<ServiceInfo> services,
        List<EndpointSliceInfo> endpointSlices,
        List<AdminPolicy> adminPolicies,
        List<NetworkPolicy> networkPolicies,
        List<Diagnostic> loadDiagnostics) {

    /** The order of {@link #namespaces()}. */
    public static final Comparator<NamespaceInfo> NAMESPACE_ORDER = Comparator.comparing(NamespaceInfo::name);

    /** The order of {@link #pods()}. */
    public static final Comparator<PodInfo> POD_ORDER = (a, b) -> {
        // written out: it runs over every pod of every snapshot (the sortedness check, diffs)
        int c = a.namespace().compareTo(b.namespace());
        return c != 0 ? c : a.name().compareTo(b.name());
    };

    /** The order of {@link #nodes()}. */
    public static final Comparator<NodeInfo> NODE_ORDER = Comparator.comparing(NodeInfo::name);

    /** The order of {@link #services()}. */
    public static final Comparator<ServiceInfo> SERVICE_ORDER =
            Comparator.comparing(ServiceInfo::namespace).thenComparing(ServiceInfo::name);

    /** The order of {@link #endpointSlices()}. */
    public static final Comparator<EndpointSliceInfo> ENDPOINT_SLICE_ORDER =
            Comparator.comparing(EndpointSliceInfo::namespace).thenComparing(EndpointSliceInfo::name);

    /** The order of {@link #adminPolicies()}. */
    public static final Comparator<AdminPolicy> ADMIN_POLICY_ORDER =
            Comparator.comparing(AdminPolicy::tier).thenComparing(AdminPolicy::ref);

    /** The order of {@link #networkPolicies()}. */
    public static final Comparator<NetworkPolicy> NETWORK_POLICY_ORDER = Comparator.comparing(NetworkPolicy::ref);

    public ClusterSnapshot {
        namespaces = sorted(namespaces, NAMESPACE_ORDER);
        pods = sorted(pods, POD_ORDER);
        nodes = sorted(nodes, NODE_ORDER);
        services = sorted(services, SERVICE_ORDER);
        endpointSlices = sorted(endpointSlices, ENDPOINT_SLICE_ORDER);
        adminPolicies = sorted(adminPolicies, ADMIN_POLICY_ORDER);
        networkPolicies = sorted(networkPolicies, NETWORK_POLICY_ORDER);
        loadDiagnostics = List.copyOf(loadDiagnostics);
    }

    /** The same cluster with other pods (everything else the same lists): a pod event's snapshot. */
    public ClusterSnapshot withPods(List<PodInfo> newPods) {
        return new ClusterSnapshot(
                namespaces, newPods, nodes, services, endpointSlices, adminPolicies, networkPolicies, loadDiagnostics);
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** {@code in} in {@code order}, immutable; a {@link SortedList} of that order is taken as it is. */
    private static <T> List<T> sorted(List<T> in, Comparator<T> order) {
        return SortedList.of(in, order);
    }

    /**
     * {@code previous} (sorted by {@code order}) without the {@code gone} instances and with {@code
     * added}, sorted and immutable: binary searches for the few changed records and one copy, instead
     * of sorting the whole kind again (the controller's informer cache does this per event). The
     * result is a {@link SortedList}, so a snapshot built from it skips its sortedness check.
     */
    @SuppressWarnings("ReferenceEquality") // the instances that left, not equal ones
    public static <R> SortedList<R> mergeSorted(
            List<R> previous, List<R> gone, List<R> added, Comparator<? super R> order) {
        List<R> came = new ArrayList<>(added);
        came.sort(order);
        if (!(previous instanceof SortedList<R> s && s.order() == order)) {
            return SortedList.of(merge(previous, gone, came, order), order);
        }
        return SortedList.trusted(merge(previous, gone, came, order), order);
    }

    /** {@code previous} without the {@code gone} instances and with {@code sortedAdded}, in order. */
    @SuppressWarnings("ReferenceEquality") // the instances that left, not equal ones
    private static <R> List<R> merge(List<R> previous, List<R> gone, List<R> sortedAdded, Comparator<? super R> order) {
        boolean[] skip = new boolean[previous.size()];
        for (R g : gone) {
            int at = lowerBound(previous, g, order);
            while (at < previous.size() && previous.get(at) != g && order.compare(previous.get(at), g) == 0) at++;
            if (at < previous.size() && previous.get(at) == g) {
                skip[at] = true;
            } else {
                // not where the order puts it: never expected; fall back to filtering and sorting
                java.util.Set<R> left = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
                left.addAll(gone);
                List<R> out = new ArrayList<>(previous.size() + sortedAdded.size());
                for (R r : previous) if (!left.contains(r)) out.add(r);
                out.addAll(sortedAdded);
                out.sort(order);
                return out;
            }
        }
        List<R> out = new ArrayList<>(previous.size() + sortedAdded.size());
        int from = 0;
        for (R a : sortedAdded) {
            int to = upperBound(previous, a, order);
            for (int i = from; i < to; i++) if (!skip[i]) out.add(previous.get(i));
            out.add(a);
            from = Math.max(from, to);
        }
        for (int i = from; i < previous.size(); i++) if (!skip[i]) out.add(previous.get(i));
        return out;
    }

    /** The first index whose element is not before {@code key}. */
    private static <R> int lowerBound(List<R> sorted, R key, Comparator<? super R> order) {
        return bound(sorted, key, order, false);
    }

    /** The first index whose element is after {@code key}. */
    private static <R> int upperBound(List<R> sorted, R key, Comparator<? super R> order) {
        return bound(sorted, key, order, true);
    }

    /** Binary search for the first element after {@code key} ({@code pastEqual}) or not before it. */
    private static <R> int bound(List<R> sorted, R key, Comparator<? super R> order, boolean pastEqual) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = order.compare(sorted.get(mid), key);
            if (c < 0 || (pastEqual && c == 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Walks two lists sorted by {@code order} and calls {@code changed} for every element the other
     * list lacks: (old, new) when the order puts them at the same place but they differ, (old, null) or
     * (null, new) when only one list has it. Elements the order finds equal are paired in list order,
     * so any difference is reported. Identical instances are skipped without comparing (unchanged
     * objects are the same records from one snapshot to the next). Stops, returning false, as soon as
     * {@code changed} returns false. It walks both lists: a caller that knows what changed (the
     * controller: a {@link ClusterChange}) walks only that.
     */
    @SuppressWarnings("ReferenceEquality") // identity first, equals as the fallback
    public static <T> boolean diffSorted(
            List<T> before, List<T> after, Comparator<? super T> order, java.util.function.BiPredicate<T, T> changed) {
        if (before == after) {
            return true;
        }
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            T o = i < before.size() ? before.get(i) : null;
            T n = j < after.size() ? after.get(j) : null;
            if (o != null && o == n) {
                i++;
                j++;
                continue;
            }
            int c = o == null ? 1 : n == null ? -1 : order.compare(o, n);
            boolean go = true;
            if (c < 0) {
                go = changed.test(o, null);
                i++;
            } else if (c > 0) {
                go = changed.test(null, n);
                j++;
            } else {
                if (!o.equals(n)) go = changed.test(o, n);
                i++;
                j++;
            }
            if (!go) return false;
        }
        return true;
    }

    /** Namespace labels by name, including implicit namespaces of pods. */
    public Map<String, Map<String, String>> namespaceLabels() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (NamespaceInfo ns : namespaces) {
            out.put(ns.name(), ns.labels());
        }
        // pods are sorted by namespace: one lookup per namespace, skipping over its pods
        for (int i = 0; i < pods.size(); i = endOfNamespace(pods, i)) {
            out.computeIfAbsent(pods.get(i).namespace(), n -> new NamespaceInfo(n, Map.of()).labels());
        }
        for (NetworkPolicy np : networkPolicies) {
            out.computeIfAbsent(np.namespace(), n -> new NamespaceInfo(n, Map.of()).labels());
        }
        return out;
    }

    /**
     * The index after the last pod of {@code pods.get(from)}'s namespace ({@code pods} sorted by
     * {@link #POD_ORDER}): a galloping search, O(log n) for a namespace of n pods.
     */
    static int endOfNamespace(List<PodInfo> pods, int from) {
        String ns = pods.get(from).namespace();
        int lo = from; // known in the namespace
        int step = 1;
        int hi = from + 1; // first index not known to be in it
        while (hi < pods.size() && pods.get(hi).namespace().equals(ns)) {
            lo = hi;
            step <<= 1;
            hi = from + step;
        }
        hi = Math.min(hi, pods.size());
        while (lo + 1 < hi) { // invariant: lo in the namespace, hi past it (or the end)
            int mid = (lo + hi) >>> 1;
            if (pods.get(mid).namespace().equals(ns)) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** The pods of {@code namespace}, a view of {@link #pods()} (sorted by namespace). */
    public List<PodInfo> podsIn(String namespace) {
        int lo = 0;
        int hi = pods.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pods.get(mid).namespace().compareTo(namespace) < 0) lo = mid + 1;
            else hi = mid;
        }
        if (lo == pods.size() || !pods.get(lo).namespace().equals(namespace)) {
            return List.of();
        }
        return pods.subList(lo, endOfNamespace(pods, lo));
    }

    public Optional<NodeInfo> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<PodInfo> pod(String namespace, String name) {
        return pods.stream()
                .filter(p -> p.namespace().equals(namespace) && p.name().equals(name))
                .findFirst();
    }

    public List<AdminPolicy> policies(Tier tier) {
        return adminPolicies.stream().filter(p -> p.tier() == tier).toList();
    }

    /**
     * Node names known from Node objects and from pods' spec.nodeName, sorted. A walk over every pod;
     * the controller keeps these per snapshot incrementally ({@code Compilation#nodeNames}).
     */
    public List<String> nodeNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        nodes.forEach(n -> names.add(n.name()));
        for (PodInfo p : pods) {
            if (!p.nodeName().isEmpty()) names.add(p.nodeName());
        }
        return List.copyOf(names);
    }
}
