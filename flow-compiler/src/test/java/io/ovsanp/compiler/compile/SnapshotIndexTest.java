package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.KindChange;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * An index built from the previous one patches each node's pods and the cluster's pods instead of
 * grouping every pod again (the changed nodes kept aside until there are many): after any sequence of
 * pod events both equal their plain definitions.
 */
class SnapshotIndexTest {

    @Property(tries = 30)
    void podsPerNodeAndAllPodsFollowPodEvents(@ForAll long seed) {
        Random r = new Random(seed);
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 300; i++) pods.add(pod(r, "p" + i));
        ClusterSnapshot s = ClusterSnapshot.empty().withPods(pods);
        SnapshotIndex index = SnapshotIndex.of(s);
        for (int step = 0; step < 60; step++) {
            List<PodInfo> gone = new ArrayList<>();
            List<PodInfo> added = new ArrayList<>();
            List<PodInfo> left = new ArrayList<>(s.pods());
            for (int k = 0; k < 1 + r.nextInt(6); k++) {
                if (r.nextBoolean() || left.isEmpty()) {
                    added.add(pod(r, "q" + step + "-" + k));
                } else {
                    PodInfo p = left.remove(r.nextInt(left.size()));
                    gone.add(p);
                    if (r.nextBoolean()) added.add(pod(r, p.name()));
                }
            }
            boolean merged = r.nextBoolean();
            List<PodInfo> next = merged
                    ? ClusterSnapshot.mergeSorted(s.pods(), gone, added, ClusterSnapshot.POD_ORDER)
                    : concat(left, added);
            ClusterSnapshot before = s;
            s = s.withPods(next);
            // what the informers report (the records that left and came), or a walk of the snapshots
            ClusterChange change = merged ? podsChange(gone, added) : ClusterChange.between(before, s);
            index = index.next(s, change);
            assertThat(index.nodeNames()).as("node names at step " + step).isEqualTo(s.nodeNames());
            TreeSet<String> nodes = new TreeSet<>();
            for (int n = 0; n < 130; n++) nodes.add("n" + n);
            for (String node : nodes) {
                assertThat(index.localPods(node))
                        .as(node + " at step " + step)
                        .containsExactlyElementsOf(s.pods().stream()
                                .filter(p -> p.nodeName().equals(node) && !p.hostNetwork())
                                .toList());
            }
            assertThat(index.allPods())
                    .containsExactlyElementsOf(
                            s.pods().stream().filter(p -> !p.hostNetwork()).toList());
        }
    }

    private static ClusterChange podsChange(List<PodInfo> gone, List<PodInfo> added) {
        List<PodInfo> l = new ArrayList<>(gone);
        List<PodInfo> c = new ArrayList<>(added);
        l.sort(ClusterSnapshot.POD_ORDER);
        c.sort(ClusterSnapshot.POD_ORDER);
        KindChange<PodInfo> pods = KindChange.between(l, c, ClusterSnapshot.POD_ORDER);
        ClusterChange none = ClusterChange.NONE;
        return new ClusterChange(
                none.namespaces(),
                pods,
                none.nodes(),
                none.services(),
                none.endpointSlices(),
                none.adminPolicies(),
                none.networkPolicies(),
                false,
                false);
    }

    private static List<PodInfo> concat(List<PodInfo> a, List<PodInfo> b) {
        List<PodInfo> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Many nodes, so that over the steps more than the index's limit of changed nodes pile up. */
    private static PodInfo pod(Random r, String name) {
        return new PodInfo(
                "ns" + r.nextInt(3),
                name,
                "n" + r.nextInt(130),
                r.nextInt(8) == 0,
                List.of(IpAddress.parse("10.1." + r.nextInt(250) + "." + r.nextInt(250))),
                Map.of("app", "a"),
                List.of());
    }
}
