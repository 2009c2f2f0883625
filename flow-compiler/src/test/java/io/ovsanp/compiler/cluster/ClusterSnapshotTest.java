package io.ovsanp.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's derived views, which the controller asks for on every API event and which therefore
 * take shortcuts (node names carried over from the previous answer by a merge walk, namespaces found
 * by galloping over the sorted pods): each equals its plain definition, here recomputed naively.
 */
class ClusterSnapshotTest {

    @Property(tries = 300)
    void derivedViewsEqualTheirDefinitionsAcrossPodEvents(@ForAll long seed) {
        Random r = new Random(seed);
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < r.nextInt(4); i++) nodes.add(new NodeInfo("n" + i, Map.of(), List.of()));
        List<NamespaceInfo> namespaces = List.of(new NamespaceInfo("ns1", Map.of("team", "x")));
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < r.nextInt(60); i++) pods.add(pod(r, i));
        ClusterSnapshot s = snapshot(namespaces, pods, nodes);
        check(s);
        for (int step = 0; step < 10; step++) {
            List<PodInfo> gone = new ArrayList<>();
            List<PodInfo> added = new ArrayList<>();
            List<PodInfo> left = new ArrayList<>(s.pods());
            int changes = 1 + r.nextInt(3);
            for (int k = 0; k < changes; k++) {
                int what = r.nextInt(3);
                if (what == 0 || left.isEmpty()) {
                    added.add(pod(r, 100 + step * 10 + k));
                } else {
                    PodInfo p = left.remove(r.nextInt(left.size()));
                    gone.add(p);
                    if (what == 2) {
                        added.add(new PodInfo(
                                p.namespace(), p.name(), node(r), p.hostNetwork(), p.ips(), p.labels(), p.ports()));
                    }
                }
            }
            List<PodInfo> expected = new ArrayList<>(left);
            expected.addAll(added);
            // the controller's way (a merge into the previous snapshot's list, trusted as sorted), or any list
            List<PodInfo> next;
            if (r.nextBoolean()) {
                next = ClusterSnapshot.mergeSorted(s.pods(), gone, added, ClusterSnapshot.POD_ORDER);
            } else {
                next = new ArrayList<>(expected);
                java.util.Collections.shuffle(next, r);
            }
            if (r.nextInt(5) == 0) nodes = List.of(new NodeInfo("n" + r.nextInt(9), Map.of(), List.of()));
            ClusterSnapshot was = s;
            s = r.nextBoolean() ? s.withPods(next) : snapshot(s.namespaces(), next, nodes);
            // after a merge the diff walks only what left and came: the same report as a walk of copies
            assertThat(diff(was.pods(), s.pods()))
                    .isEqualTo(diff(new ArrayList<>(was.pods()), new ArrayList<>(s.pods())));
            assertThat(s.pods()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(s.pods()).isSortedAccordingTo(ClusterSnapshot.POD_ORDER);
            check(s);
        }
    }

    @Test
    void podsInANamespaceAreItsRunOfTheSortedPods() {
        Random r = new Random(7);
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 500; i++) pods.add(pod(r, i));
        ClusterSnapshot s = snapshot(List.of(), pods, List.of());
        for (String ns : List.of("ns0", "ns1", "ns2", "ns3", "ns4", "nobody", "")) {
            assertThat(s.podsIn(ns))
                    .as(ns)
                    .containsExactlyElementsOf(s.pods().stream()
                            .filter(p -> p.namespace().equals(ns))
                            .toList());
        }
    }

    private static List<String> diff(List<PodInfo> before, List<PodInfo> after) {
        List<String> out = new ArrayList<>();
        ClusterSnapshot.diffSorted(before, after, ClusterSnapshot.POD_ORDER, (o, n) -> out.add(o + " -> " + n));
        return out;
    }

    private static void check(ClusterSnapshot s) {
        TreeSet<String> names = new TreeSet<>();
        s.nodes().forEach(n -> names.add(n.name()));
        s.pods().stream().map(PodInfo::nodeName).filter(n -> !n.isEmpty()).forEach(names::add);
        assertThat(s.nodeNames()).containsExactlyElementsOf(names);
        assertThat(s.nodeNames()).as("asked again").containsExactlyElementsOf(names);

        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        s.namespaces().forEach(n -> labels.put(n.name(), n.labels()));
        s.pods().forEach(p -> labels.computeIfAbsent(p.namespace(), n -> new NamespaceInfo(n, Map.of()).labels()));
        assertThat(s.namespaceLabels()).containsExactlyEntriesOf(labels);

        Selection selection = new Selection(s);
        for (LabelSelector ns : List.of(LabelSelector.ALL, new LabelSelector(Map.of("team", "x"), List.of()))) {
            for (LabelSelector pod : List.of(LabelSelector.ALL, new LabelSelector(Map.of("app", "a"), List.of()))) {
                assertThat(selection.pods(ns, pod))
                        .containsExactlyElementsOf(s.pods().stream()
                                .filter(p -> selection.podMatches(p, ns, pod))
                                .toList());
            }
        }
    }

    private static ClusterSnapshot snapshot(List<NamespaceInfo> namespaces, List<PodInfo> pods, List<NodeInfo> nodes) {
        return new ClusterSnapshot(namespaces, pods, nodes, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static String node(Random r) {
        return r.nextInt(6) == 0 ? "" : "n" + r.nextInt(6);
    }

    private static PodInfo pod(Random r, int i) {
        // few namespaces, some with long runs of pods: the galloping search crosses many boundaries
        String ns = "ns" + (r.nextInt(3) == 0 ? r.nextInt(5) : 1);
        return new PodInfo(
                ns,
                "p" + i + "-" + r.nextInt(1000),
                node(r),
                r.nextInt(10) == 0,
                List.of(IpAddress.parse("10.0." + r.nextInt(200) + "." + r.nextInt(250))),
                Map.of("app", r.nextBoolean() ? "a" : "b"),
                List.of());
    }
}
