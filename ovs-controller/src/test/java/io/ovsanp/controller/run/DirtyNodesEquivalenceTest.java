package io.ovsanp.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link DirtyNodes} (driven by the change between snapshots and the compiler's read sets) decides
 * exactly as its former version ({@link DirtyNodesReference}), and the compiler's {@link
 * io.ovsanp.compiler.compile.ReadSet} says what the former NodeInputs said, on random small clusters
 * and random sequences of changes: pods added, removed,
 * moved and relabelled, nodes relabelled, added and removed, namespace labels, ANP/BANP and
 * NetworkPolicy edits, endpoint slices, load diagnostics, equal snapshots of new instances, and
 * snapshots that share the previous one's lists and records (as ClusterWatcher's do). A missed
 * recompile is a security bug, so any difference fails.
 */
class DirtyNodesEquivalenceTest {
    private static final List<String> APPS = List.of("a", "b", "c");
    private static final List<String> ZONES = List.of("z1", "z2");
    private static final List<String> TEAMS = List.of("t1", "t2");

    @Property
    void theFastDecisionIsTheFormerOne(@ForAll long seed) {
        Random r = new Random(seed);
        ClusterSnapshot s = cluster(r);
        TrackedDirtyNodes fast = new TrackedDirtyNodes();
        DirtyNodesReference reference = new DirtyNodesReference();
        assertThat(fast.next(s)).isEqualTo(reference.next(s));
        compile(s, s.nodeNames(), fast, reference);
        for (int step = 0; step < 8; step++) {
            ClusterSnapshot next = change(s, r);
            DirtyNodes.Changes expected = reference.next(next);
            assertThat(fast.next(next)).as("step %d, seed %d", step, seed).isEqualTo(expected);
            // the loop compiles the dirty nodes, and some it had in flight; it forgets departed ones
            List<String> compiled = new ArrayList<>();
            for (String node : next.nodeNames()) {
                if (expected.affects(node) || r.nextInt(4) == 0) compiled.add(node);
            }
            compile(next, compiled, fast, reference);
            if (r.nextInt(6) == 0) {
                String gone = "n" + r.nextInt(5);
                fast.forget(gone);
                reference.forget(gone);
            }
            s = next;
        }
    }

    private static void compile(
            ClusterSnapshot s, List<String> nodes, TrackedDirtyNodes fast, DirtyNodesReference reference) {
        EffectivePolicies p = PolicyValidator.validate(s);
        for (String node : nodes) {
            DirtyNodesReference.Inputs in = DirtyNodesReference.inputs(s, p, node);
            assertThat(DirtyNodesReference.Inputs.of(fast.compiled(node)))
                    .as("read set of " + node)
                    .isEqualTo(in);
            reference.compiled(node, in);
        }
    }

    // ---- random clusters ----

    private static ClusterSnapshot cluster(Random r) {
        List<NamespaceInfo> ns = new ArrayList<>();
        for (int i = 0; i < 3; i++) ns.add(namespace(r, "ns" + i));
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) nodes.add(node(r, "n" + i));
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 10; i++) pods.add(pod(r, "p" + i));
        List<AdminPolicy> policies = new ArrayList<>();
        for (int i = 0; i < 3; i++) policies.add(anp(r, i));
        policies.add(banp(r));
        List<NetworkPolicy> nps = new ArrayList<>();
        for (int i = 0; i < 2; i++) nps.add(np(r, i));
        return new ClusterSnapshot(ns, pods, nodes, List.of(), List.of(slice(r)), policies, nps, List.of());
    }

    /** One to three random changes; the lists not changed are the previous snapshot's. */
    private static ClusterSnapshot change(ClusterSnapshot s, Random r) {
        List<NamespaceInfo> ns = s.namespaces();
        List<PodInfo> pods = s.pods();
        List<NodeInfo> nodes = s.nodes();
        List<EndpointSliceInfo> slices = s.endpointSlices();
        List<AdminPolicy> policies = s.adminPolicies();
        List<NetworkPolicy> nps = s.networkPolicies();
        List<Diagnostic> diags = s.loadDiagnostics();
        int changes = 1 + r.nextInt(3);
        for (int c = 0; c < changes; c++) {
            switch (r.nextInt(14)) {
                case 0 -> { // a pod relabelled or moved
                    pods = new ArrayList<>(pods);
                    if (!pods.isEmpty()) {
                        int i = r.nextInt(pods.size());
                        PodInfo p = pods.get(i);
                        PodInfo q = pod(r, p.name());
                        pods.set(
                                i,
                                r.nextBoolean()
                                        ? q
                                        : new PodInfo(
                                                p.namespace(),
                                                p.name(),
                                                q.nodeName(),
                                                p.hostNetwork(),
                                                p.ips(),
                                                q.labels(),
                                                p.ports()));
                        pods = unique(pods); // the API server has one object per name
                    }
                }
                case 1 -> { // a pod added
                    pods = new ArrayList<>(pods);
                    pods.add(pod(r, "p" + (10 + r.nextInt(20))));
                    pods = unique(pods);
                }
                case 2 -> { // a pod removed
                    pods = new ArrayList<>(pods);
                    if (!pods.isEmpty()) pods.remove(r.nextInt(pods.size()));
                }
                case 3 -> { // a node relabelled, added or removed
                    nodes = new ArrayList<>(nodes);
                    String name = "n" + r.nextInt(5);
                    nodes.removeIf(n -> n.name().equals(name));
                    if (r.nextInt(3) > 0) nodes.add(node(r, name));
                }
                case 4 -> { // a namespace's labels
                    ns = new ArrayList<>(ns);
                    int i = r.nextInt(ns.size());
                    ns.set(i, namespace(r, ns.get(i).name()));
                }
                case 5, 6 -> { // an ANP edited, added or removed
                    policies = new ArrayList<>(policies);
                    int i = r.nextInt(4);
                    String name = "anp" + i;
                    policies.removeIf(
                            p -> p.tier() == Tier.ADMIN && p.ref().name().equals(name));
                    if (r.nextInt(4) > 0) policies.add(anp(r, i));
                }
                case 7 -> { // the BANP edited
                    policies = new ArrayList<>(policies);
                    policies.removeIf(p -> p.tier() == Tier.BASELINE);
                    policies.add(banp(r));
                }
                case 8 -> { // a NetworkPolicy edited, added or removed
                    nps = new ArrayList<>(nps);
                    int i = r.nextInt(3);
                    String name = "np" + i;
                    nps.removeIf(p -> p.ref().name().equals(name));
                    if (r.nextInt(4) > 0) nps.add(np(r, i));
                }
                case 9 -> slices = List.of(slice(r));
                case 10 ->
                    diags = r.nextInt(3) == 0
                            ? List.of(Diagnostic.warning(ref("Pod", "ns0", "x"), "status", "unreadable"))
                            : List.of();
                case 11 -> { // equal objects, new instances (an informer relist)
                    pods = pods.stream().map(DirtyNodesEquivalenceTest::copy).toList();
                    nodes = nodes.stream()
                            .map(n -> new NodeInfo(n.name(), Map.copyOf(n.labels()), n.addresses()))
                            .toList();
                }
                case 12 -> pods = new ArrayList<>(pods); // equal list, another instance
                default -> {} // nothing: the same lists
            }
        }
        if (pods != s.pods() && r.nextBoolean()) {
            // as ClusterWatcher makes the list: the previous one with what left and came merged in,
            // which DirtyNodes' diffs then walk instead of every pod
            List<PodInfo> gone = without(s.pods(), pods);
            List<PodInfo> came = without(unique(pods), s.pods());
            pods = ClusterSnapshot.mergeSorted(s.pods(), gone, came, ClusterSnapshot.POD_ORDER);
        }
        return new ClusterSnapshot(ns, pods, nodes, s.services(), slices, policies, nps, diags);
    }

    private static List<PodInfo> unique(List<PodInfo> pods) {
        Map<String, PodInfo> byKey = new java.util.LinkedHashMap<>();
        pods.forEach(p -> byKey.put(p.key(), p));
        return new ArrayList<>(byKey.values());
    }

    private static PodInfo copy(PodInfo p) {
        return new PodInfo(
                p.namespace(), p.name(), p.nodeName(), p.hostNetwork(), p.ips(), Map.copyOf(p.labels()), p.ports());
    }

    private static NamespaceInfo namespace(Random r, String name) {
        return new NamespaceInfo(name, Map.of("team", pick(r, TEAMS)));
    }

    /** The pods of {@code from} that {@code other} does not hold (the same instance). */
    private static List<PodInfo> without(List<PodInfo> from, List<PodInfo> other) {
        java.util.Set<PodInfo> in = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        in.addAll(other);
        return from.stream().filter(p -> !in.contains(p)).toList();
    }

    private static NodeInfo node(Random r, String name) {
        return new NodeInfo(
                name,
                Map.of("zone", pick(r, ZONES)),
                List.of(IpAddress.parse("172.16.0." + (1 + name.hashCode() % 200 + 200) % 250)));
    }

    private static PodInfo pod(Random r, String name) {
        int x = r.nextInt(250);
        return new PodInfo(
                "ns" + r.nextInt(4), // ns3 exists only implicitly
                name,
                r.nextInt(10) == 0 ? "" : "n" + r.nextInt(5), // n4 has no Node object
                r.nextInt(8) == 0,
                List.of(IpAddress.parse("10.0." + r.nextInt(4) + "." + x)),
                Map.of("app", pick(r, APPS)),
                List.of());
    }

    private static LabelSelector selector(Random r, String key, List<String> values) {
        return r.nextInt(4) == 0 ? LabelSelector.ALL : new LabelSelector(Map.of(key, pick(r, values)), List.of());
    }

    private static List<Rule> rules(Random r) {
        List<Rule> rules = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Peer peer = switch (r.nextInt(4)) {
                case 0 -> new Peer.Pods(selector(r, "team", TEAMS), selector(r, "app", APPS));
                case 1 -> new Peer.Namespaces(selector(r, "team", TEAMS));
                case 2 -> new Peer.Nodes(selector(r, "zone", ZONES));
                default -> new Peer.Networks(List.of("192.168." + r.nextInt(4) + ".0/24"));
            };
            List<PortMatch> ports = switch (r.nextInt(3)) {
                case 0 -> List.of(new PortMatch.Named("http", Optional.of(Protocol.TCP)));
                case 1 -> List.of(new PortMatch.Number(Protocol.TCP, 80));
                default -> List.of();
            };
            rules.add(new Rule(i, "r" + i, r.nextBoolean() ? Action.ALLOW : Action.DENY, List.of(peer), ports));
        }
        return rules;
    }

    private static AdminPolicy anp(Random r, int i) {
        return new AdminPolicy(
                ref("AdminNetworkPolicy", "", "anp" + i),
                Tier.ADMIN,
                i * 10 + r.nextInt(2),
                new Subject(selector(r, "team", TEAMS), selector(r, "app", APPS)),
                rules(r),
                List.of());
    }

    private static AdminPolicy banp(Random r) {
        return new AdminPolicy(
                ref("BaselineAdminNetworkPolicy", "", "default"),
                Tier.BASELINE,
                0,
                new Subject(selector(r, "team", TEAMS), LabelSelector.ALL),
                rules(r),
                List.of());
    }

    private static NetworkPolicy np(Random r, int i) {
        return new NetworkPolicy(
                ref("NetworkPolicy", "ns" + r.nextInt(3), "np" + i),
                selector(r, "app", APPS),
                r.nextInt(4) > 0,
                rules(r).stream()
                        .map(x -> new Rule(x.index(), "", Action.ALLOW, x.peers(), x.ports()))
                        .toList(),
                List.of());
    }

    private static EndpointSliceInfo slice(Random r) {
        return new EndpointSliceInfo(
                "default",
                "kubernetes",
                "kubernetes",
                List.of(IpAddress.parse("172.18.0." + (1 + r.nextInt(3)))),
                List.of(new EndpointSliceInfo.EndpointPort("https", Protocol.TCP, 6443)));
    }

    private static ObjectRef ref(String kind, String namespace, String name) {
        return new ObjectRef(kind, namespace, name, "uid-" + name, SourceRef.NONE);
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
