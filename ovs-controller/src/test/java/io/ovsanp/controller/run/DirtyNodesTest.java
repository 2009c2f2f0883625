package io.ovsanp.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which nodes a snapshot change makes dirty. The cluster: {@code workloads-blocked-from-apiserver}
 * (analytics/reporter on worker-1 may not reach control-plane nodes) plus an ANP that lets the
 * reporter reach pods {@code app: db} (shop/db runs on worker-2). worker-2 and cp-1 run no subject.
 */
class DirtyNodesTest {
    private static final String PEERS = """
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: reporter-to-db}
            spec:
              priority: 40
              subject:
                pods:
                  namespaceSelector: {matchLabels: {team: analytics}}
                  podSelector: {matchLabels: {app: reporter}}
              egress:
              - name: db
                action: Allow
                to:
                - pods:
                    namespaceSelector: {}
                    podSelector: {matchLabels: {app: db}}
            """;

    @TempDir
    Path dir;

    private ClusterSnapshot base;
    private TrackedDirtyNodes dirty;

    @BeforeEach
    void load() throws Exception {
        Path peers = Files.writeString(dir.resolve("peers.yaml"), PEERS);
        base = SnapshotLoader.load(List.of(Path.of("../examples/workloads-blocked-from-apiserver"), peers));
        dirty = new TrackedDirtyNodes();
        assertThat(dirty.next(base).all())
                .as("the first snapshot dirties every node")
                .isTrue();
        for (String node : base.nodeNames()) {
            dirty.compiled(node);
        }
    }

    private DirtyNodes.Changes change(ClusterSnapshot next) {
        DirtyNodes.Changes c = dirty.next(next);
        for (String node : next.nodeNames()) {
            dirty.compiled(node);
        }
        return c;
    }

    @Test
    void anEqualSnapshotDirtiesNothing() {
        assertThat(change(copy(base))).isEqualTo(new DirtyNodes.Changes(false, java.util.Set.of()));
    }

    @Test
    void aNodeLabelChangeDirtiesTheNodeAndTheNodesWhoseRulesSelectIt() {
        ClusterSnapshot next = withNodes(
                base,
                n -> n.name().equals("cp-1")
                        ? new NodeInfo(n.name(), Map.of("kubernetes.io/hostname", "cp-1"), n.addresses())
                        : n);
        DirtyNodes.Changes c = change(next);
        assertThat(c.all()).isFalse();
        assertThat(c.nodes()).containsExactlyInAnyOrder("cp-1", "worker-1");
        // and back: selected before the change counts as well
        assertThat(change(base).nodes()).containsExactlyInAnyOrder("cp-1", "worker-1");
    }

    @Test
    void aNodeNoRuleSelectsDirtiesOnlyItself() {
        ClusterSnapshot next = withNodes(
                base,
                n -> n.name().equals("worker-2")
                        ? new NodeInfo(n.name(), plus(n.labels(), "zone", "b"), n.addresses())
                        : n);
        assertThat(change(next).nodes()).containsExactly("worker-2");
    }

    @Test
    void aPodDirtiesItsNodeAndTheNodesWhosePodSelectionsPickItBeforeOrAfter() {
        // db (worker-2) is a peer of the reporter's rule on worker-1
        ClusterSnapshot moved = withPods(base, p -> p.name().equals("db") ? relabel(p, "app", "db2") : p);
        assertThat(change(moved).nodes()).containsExactlyInAnyOrder("worker-2", "worker-1");
        // operator (worker-2) is nobody's peer and no subject
        ClusterSnapshot op = withPods(moved, p -> p.name().equals("operator") ? relabel(p, "x", "y") : p);
        assertThat(change(op).nodes()).containsExactly("worker-2");
        // a new pod that the selection picks, on cp-1
        List<PodInfo> pods = new ArrayList<>(op.pods());
        pods.add(new PodInfo(
                "shop", "db-2", "cp-1", false, List.of(IpAddress.parse("10.244.0.9")), Map.of("app", "db"), List.of()));
        assertThat(change(with(op, pods, op.nodes(), op.endpointSlices())).nodes())
                .containsExactlyInAnyOrder("cp-1", "worker-1");
    }

    @Test
    void aPodSelectedAsAnIngressPeerDirtiesTheNodesOfTheRulesSubjectsAndANewDestinationPodItsNode() throws Exception {
        // db (worker-2) accepts ingress from the reporter (worker-1)
        Path in = Files.writeString(dir.resolve("ingress.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: db-from-reporter}
                spec:
                  priority: 41
                  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}
                  ingress:
                  - name: reporter
                    action: Allow
                    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: reporter}}}}]
                """);
        ClusterSnapshot withIngress = SnapshotLoader.load(
                List.of(Path.of("../examples/workloads-blocked-from-apiserver"), dir.resolve("peers.yaml"), in));
        assertThat(change(withIngress).nodes())
                .as("the policy's subject runs on worker-2")
                .contains("worker-2");
        // the reporter leaves the ingress peer selection: the db's node (worker-2) must recompile
        ClusterSnapshot moved = withPods(withIngress, p -> p.name().equals("reporter") ? relabel(p, "app", "r2") : p);
        assertThat(change(moved).nodes()).containsExactlyInAnyOrder("worker-1", "worker-2");
        // a pod nobody selects, on worker-2's neighbour cp-1: only its own node
        List<PodInfo> pods = new ArrayList<>(moved.pods());
        pods.add(new PodInfo(
                "shop",
                "cache",
                "cp-1",
                false,
                List.of(IpAddress.parse("10.244.0.8")),
                Map.of("app", "cache"),
                List.of()));
        ClusterSnapshot withCache = with(moved, pods, moved.nodes(), moved.endpointSlices());
        assertThat(change(withCache).nodes()).containsExactly("cp-1");
        // a new destination pod (a subject of the ingress rule) dirties its node; no other node: the
        // relabelled reporter is no longer a subject of its egress rule to app=db
        List<PodInfo> more = new ArrayList<>(withCache.pods());
        more.add(new PodInfo(
                "shop",
                "db-3",
                "cp-1",
                false,
                List.of(IpAddress.parse("10.244.0.10")),
                Map.of("app", "db"),
                List.of()));
        ClusterSnapshot withDb = with(withCache, more, withCache.nodes(), withCache.endpointSlices());
        DirtyNodes.Changes c = change(withDb);
        assertThat(c.nodes()).containsExactly("cp-1");
        for (String node : withDb.nodeNames()) {
            if (c.affects(node)) continue;
            assertThat(io.ovsanp.compiler.compile.Compiler.compile(
                                    withDb, node, io.ovsanp.compiler.compile.Allocation.EMPTY)
                            .flows())
                    .as(node + " was not marked dirty, so its flows must not change")
                    .isEqualTo(io.ovsanp.compiler.compile.Compiler.compile(
                                    withCache, node, io.ovsanp.compiler.compile.Allocation.EMPTY)
                            .flows());
        }
    }

    @Test
    void aPodInsideTheIpBlockOfANamedPortRuleDirtiesTheRulesNodes() throws Exception {
        // NetworkPolicy named ports resolve against the pods inside an ipBlock too
        Path np = Files.writeString(dir.resolve("np.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: reporter-pg, namespace: analytics}
                spec:
                  podSelector: {matchLabels: {app: reporter}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{ipBlock: {cidr: 10.244.0.0/16}}]
                    ports: [{protocol: TCP, port: pg}]
                """);
        ClusterSnapshot before = SnapshotLoader.load(
                List.of(Path.of("../examples/workloads-blocked-from-apiserver"), dir.resolve("peers.yaml"), np));
        change(before);
        List<PodInfo> pods = new ArrayList<>(before.pods());
        pods.add(new PodInfo(
                "shop",
                "pg-2",
                "cp-1",
                false,
                List.of(IpAddress.parse("10.244.0.9")),
                Map.of("app", "cache"),
                List.of(new io.ovsanp.compiler.cluster.ContainerPort(
                        "pg", io.ovsanp.compiler.policy.Protocol.TCP, 5433))));
        ClusterSnapshot after = with(before, pods, before.nodes(), before.endpointSlices());
        assertThat(change(after).nodes()).containsExactlyInAnyOrder("cp-1", "worker-1");
        assertThat(io.ovsanp.compiler.compile.Compiler.compile(
                                after, "worker-1", io.ovsanp.compiler.compile.Allocation.EMPTY)
                        .flows())
                .as("the reporter's flows do change: pg-2's port joins the rule")
                .isNotEqualTo(io.ovsanp.compiler.compile.Compiler.compile(
                                before, "worker-1", io.ovsanp.compiler.compile.Allocation.EMPTY)
                        .flows());
    }

    @Test
    void aPolicyChangeDirtiesTheNodesOfItsSubjectsBeforeOrAfterAndNamespacesDirtyEveryNode() {
        // removing an ANP whose subject (analytics/reporter) runs on worker-1 only
        ClusterSnapshot lessPolicies = new ClusterSnapshot(
                base.namespaces(),
                base.pods(),
                base.nodes(),
                base.services(),
                base.endpointSlices(),
                base.adminPolicies().subList(1, base.adminPolicies().size()),
                base.networkPolicies(),
                base.loadDiagnostics());
        DirtyNodes.Changes removed = change(lessPolicies);
        assertThat(removed.all()).isFalse();
        assertThat(removed.nodes()).containsExactly("worker-1");
        // adding it back, with its subject widened to every namespace: the nodes of all its subjects
        AdminPolicy first = base.adminPolicies().get(0);
        AdminPolicy widened = new AdminPolicy(
                first.ref(),
                first.tier(),
                first.priority(),
                Subject.ALL,
                first.egress(),
                first.ingress(),
                first.readProblems());
        List<AdminPolicy> policies = new ArrayList<>(lessPolicies.adminPolicies());
        policies.add(widened);
        ClusterSnapshot wide = new ClusterSnapshot(
                base.namespaces(),
                base.pods(),
                base.nodes(),
                base.services(),
                base.endpointSlices(),
                policies,
                base.networkPolicies(),
                base.loadDiagnostics());
        java.util.Set<String> withPods = new java.util.TreeSet<>();
        base.pods().stream().filter(p -> !p.hostNetwork()).forEach(p -> withPods.add(p.nodeName()));
        assertThat(change(wide).nodes()).containsExactlyInAnyOrderElementsOf(withPods);
        // and narrowed again: the nodes it applied to before count too
        assertThat(change(base).nodes()).containsExactlyInAnyOrderElementsOf(withPods);
        List<NamespaceInfo> ns = base.namespaces().stream()
                .map(n -> n.name().equals("shop") ? new NamespaceInfo("shop", plus(n.labels(), "x", "y")) : n)
                .toList();
        ClusterSnapshot relabelled = new ClusterSnapshot(
                ns,
                base.pods(),
                base.nodes(),
                base.services(),
                base.endpointSlices(),
                base.adminPolicies(),
                base.networkPolicies(),
                base.loadDiagnostics());
        assertThat(change(relabelled).all()).isTrue();
    }

    @Test
    void everyNodeWhoseFlowsAPolicyEditChangesIsDirty() {
        // the safety side: a node outside the dirty set compiles to the same flows after the change
        ClusterSnapshot lessPolicies = new ClusterSnapshot(
                base.namespaces(),
                base.pods(),
                base.nodes(),
                base.services(),
                base.endpointSlices(),
                base.adminPolicies().subList(1, base.adminPolicies().size()),
                base.networkPolicies(),
                base.loadDiagnostics());
        DirtyNodes.Changes c = change(lessPolicies);
        for (String node : base.nodeNames()) {
            if (c.affects(node)) continue;
            assertThat(io.ovsanp.compiler.compile.Compiler.compile(
                                    lessPolicies, node, io.ovsanp.compiler.compile.Allocation.EMPTY)
                            .flows())
                    .as(node + " was not marked dirty, so its flows must not change")
                    .isEqualTo(io.ovsanp.compiler.compile.Compiler.compile(
                                    base, node, io.ovsanp.compiler.compile.Allocation.EMPTY)
                            .flows());
        }
    }

    @Test
    void anEndpointSliceChangeDirtiesTheNodesThatHaveRules() {
        List<EndpointSliceInfo> slices = base.endpointSlices().stream()
                .map(s -> new EndpointSliceInfo(
                        s.namespace(), s.name(), s.serviceName(), List.of(IpAddress.parse("172.18.0.99")), s.ports()))
                .toList();
        assertThat(change(with(base, base.pods(), base.nodes(), slices)).nodes())
                .containsExactly("worker-1");
    }

    @Test
    void aForgottenNodeIsNoLongerDirtiedThroughItsSelections() {
        dirty.forget("worker-1");
        ClusterSnapshot moved = withPods(base, p -> p.name().equals("db") ? relabel(p, "app", "db2") : p);
        assertThat(dirty.next(moved).nodes()).containsExactly("worker-2");
    }

    private static PodInfo relabel(PodInfo p, String k, String v) {
        return new PodInfo(
                p.namespace(), p.name(), p.nodeName(), p.hostNetwork(), p.ips(), plus(p.labels(), k, v), p.ports());
    }

    private static Map<String, String> plus(Map<String, String> m, String k, String v) {
        Map<String, String> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }

    private static ClusterSnapshot copy(ClusterSnapshot s) {
        return with(s, new ArrayList<>(s.pods()), new ArrayList<>(s.nodes()), s.endpointSlices());
    }

    private static ClusterSnapshot withNodes(ClusterSnapshot s, UnaryOperator<NodeInfo> f) {
        return with(s, s.pods(), s.nodes().stream().map(f).toList(), s.endpointSlices());
    }

    private static ClusterSnapshot withPods(ClusterSnapshot s, UnaryOperator<PodInfo> f) {
        return with(s, s.pods().stream().map(f).toList(), s.nodes(), s.endpointSlices());
    }

    private static ClusterSnapshot with(
            ClusterSnapshot s, List<PodInfo> pods, List<NodeInfo> nodes, List<EndpointSliceInfo> slices) {
        return new ClusterSnapshot(
                s.namespaces(),
                pods,
                nodes,
                s.services(),
                slices,
                s.adminPolicies(),
                s.networkPolicies(),
                s.loadDiagnostics());
    }
}
