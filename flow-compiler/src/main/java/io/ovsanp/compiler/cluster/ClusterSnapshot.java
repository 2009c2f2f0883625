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

    /**
     * The last {@link #nodeNames()} answer, by the identity of the (immutable) lists it read, with the
     * number of pods per {@code spec.nodeName} (a map nobody changes once it is published here).
     */
    private record NodeNames(
            List<PodInfo> pods, List<NodeInfo> nodes, Map<String, Integer> podsPerNode, List<String> names) {}

    private static final java.util.concurrent.atomic.AtomicReference<NodeNames> LAST_NODE_NAMES =
            new java.util.concurrent.atomic.AtomicReference<>();

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

    /**
     * {@code in} in {@code order}, immutable. An input that is sorted already costs one pass and no
     * copy when it is immutable (a list of a previous snapshot, which the controller passes again for a
     * kind that did not change): a snapshot of 20,000 pods is built on every API event.
     */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: a list this constructor produced
    private static <T> List<T> sorted(List<T> in, Comparator<T> order) {
        if (LAST_SORTED.get(order) == in) {
            return in; // immutable and sorted by this order: the same kind of an earlier snapshot
        }
        List<T> out = sort(in, order);
        LAST_SORTED.put(order, out);
        return out;
    }

    /** The last {@link #mergeSorted} per order: {@code to} is {@code from} without {@code gone} and with {@code added} (both sorted). */
    private record Merge(List<?> from, List<?> to, List<?> gone, List<?> added) {}

    private static final Map<Comparator<?>, Merge> LAST_MERGE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Per order, the last list {@link #sorted} returned (immutable). */
    private static final Map<Comparator<?>, List<?>> LAST_SORTED = new java.util.concurrent.ConcurrentHashMap<>();

    private static <T> List<T> sort(List<T> in, Comparator<T> order) {
        T previous = null;
        boolean first = true;
        for (T t : in) {
            if (!first && order.compare(previous, t) > 0) {
                List<T> copy = new java.util.ArrayList<>(in);
                copy.sort(order); // stable, as the stream sort was
                return List.copyOf(copy);
            }
            previous = t;
            first = false;
        }
        return List.copyOf(in); // the same instance if immutable already
    }

    /**
     * {@code previous} (sorted by {@code order}) without the {@code gone} instances and with {@code
     * added}, sorted and immutable: binary searches for the few changed records and one copy, instead
     * of sorting the whole kind again (the controller's informer cache does this per event). When
     * {@code previous} is the list the last snapshot holds for {@code order}, the result is sorted by
     * construction and a snapshot built from it skips its sortedness check (a pass over 20,000 pods,
     * a quarter of a pod event's pass).
     */
    @SuppressWarnings("ReferenceEquality") // the instances that left, not equal ones
    public static <R> List<R> mergeSorted(List<R> previous, List<R> gone, List<R> added, Comparator<? super R> order) {
        List<R> came = new ArrayList<>(added);
        came.sort(order);
        List<R> out = List.copyOf(merge(previous, gone, came, order));
        if (LAST_SORTED.get(order) == previous) LAST_SORTED.put(order, out);
        List<R> left = new ArrayList<>(gone);
        left.sort(order);
        LAST_MERGE.put(order, new Merge(previous, out, List.copyOf(left), List.copyOf(came)));
        return out;
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
     * {@code changed} returns false.
     *
     * <p>When {@code after} is the list {@link #mergeSorted} last made from {@code before}, only the
     * records that left and came are walked (the same report: the rest are the same instances in the
     * same order), not every pod of the cluster.
     */
    @SuppressWarnings({"ReferenceEquality", "unchecked"}) // identity first, equals as the fallback
    public static <T> boolean diffSorted(
            List<T> before, List<T> after, Comparator<? super T> order, java.util.function.BiPredicate<T, T> changed) {
        if (before == after) {
            return true;
        }
        Merge m = LAST_MERGE.get(order);
        if (m != null && m.from() == before && m.to() == after) {
            return diffSorted((List<T>) m.gone(), (List<T>) m.added(), order, changed);
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

    /** Node names known from Node objects and from pods' spec.nodeName, sorted. */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: equals would walk every pod
    public List<String> nodeNames() {
        NodeNames last = LAST_NODE_NAMES.get();
        if (last != null && last.pods() == pods && last.nodes() == nodes) {
            return last.names(); // the controller asks on every event; unchanged lists, same answer
        }
        Counts carried = last == null ? null : podsPerNodeFrom(last);
        if (carried != null && !carried.keysChanged() && last.nodes() == nodes) {
            // the same node names: only counts moved (a pod event on known nodes)
            LAST_NODE_NAMES.set(new NodeNames(pods, nodes, carried.perNode(), last.names()));
            return last.names();
        }
        Map<String, Integer> perNode = carried == null ? null : carried.perNode();
        if (perNode == null) {
            perNode = new java.util.HashMap<>();
            for (PodInfo p : pods) {
                if (!p.nodeName().isEmpty()) perNode.merge(p.nodeName(), 1, Integer::sum);
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>(perNode.keySet());
        nodes.forEach(n -> names.add(n.name()));
        String[] sorted = names.toArray(String[]::new);
        java.util.Arrays.sort(sorted);
        List<String> out = List.of(sorted);
        if (last != null && out.equals(last.names())) out = last.names();
        LAST_NODE_NAMES.set(new NodeNames(pods, nodes, perNode, out));
        return out;
    }

    /** Pods per node name, and whether a name appeared or disappeared on the way. */
    private record Counts(Map<String, Integer> perNode, boolean keysChanged) {}

    /**
     * {@code last}'s pods per node brought up to this snapshot's pods by one merge walk of the two
     * sorted lists (identical pods are the same instances and skipped at once; a pod event changes a
     * few): hashing every pod's node name again cost milliseconds per event at 20,000 pods. Null when
     * the walk finds many changes (then counting afresh is as cheap).
     */
    private Counts podsPerNodeFrom(NodeNames last) {
        Map<String, Integer> counts = new java.util.HashMap<>(last.podsPerNode());
        boolean[] keysChanged = {false};
        int[] changes = {0};
        boolean walked = diffSorted(last.pods(), pods, POD_ORDER, (o, n) -> {
            if (o != null) keysChanged[0] |= count(counts, o.nodeName(), -1);
            if (n != null) keysChanged[0] |= count(counts, n.nodeName(), 1);
            return ++changes[0] <= 1024;
        });
        return walked ? new Counts(counts, keysChanged[0]) : null;
    }

    /** Adds {@code delta} to the node's count; true when the node appeared or disappeared. */
    private static boolean count(Map<String, Integer> counts, String node, int delta) {
        if (node.isEmpty()) return false;
        Integer was = counts.get(node);
        int now = (was == null ? 0 : was) + delta;
        if (now == 0) counts.remove(node);
        else counts.put(node, now);
        return was == null || now == 0;
    }
}
