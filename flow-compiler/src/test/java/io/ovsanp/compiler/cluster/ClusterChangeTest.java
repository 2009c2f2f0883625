package io.ovsanp.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A change composed step by step ({@link ClusterChange#then}) says what a walk from the first snapshot
 * to the last says; records that came and left in between cancel; equal records are no change.
 */
class ClusterChangeTest {
    private static PodInfo pod(String name, String node, String ip) {
        return new PodInfo("ns", name, node, false, List.of(IpAddress.parse(ip)), Map.of("app", name), List.of());
    }

    private static List<String> pairs(ClusterChange c) {
        List<String> out = new ArrayList<>();
        c.pods().forEach(ClusterSnapshot.POD_ORDER, (o, n) -> out.add(o + " -> " + n));
        return out;
    }

    @Property(tries = 300)
    void composedStepsSayWhatTheWalkFromFirstToLastSays(@ForAll long seed) {
        Random r = new Random(seed);
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 8; i++) pods.add(pod("p" + i, "n" + r.nextInt(3), "10.0.0." + i));
        ClusterSnapshot first = ClusterSnapshot.empty().withPods(pods);
        ClusterSnapshot s = first;
        ClusterChange composed = ClusterChange.NONE;
        for (int step = 0; step < 5; step++) {
            List<PodInfo> next = new ArrayList<>(s.pods());
            int what = r.nextInt(4);
            int i = next.isEmpty() ? 0 : r.nextInt(next.size());
            if (what == 0 && !next.isEmpty()) {
                next.remove(i);
            } else if (what == 1) {
                next.add(pod("q" + r.nextInt(4), "n" + r.nextInt(3), "10.0.1." + r.nextInt(9)));
            } else if (what == 2 && !next.isEmpty()) {
                PodInfo p = next.get(i);
                next.set(i, pod(p.name(), "n" + r.nextInt(3), p.ips().get(0).toString()));
            } else if (!next.isEmpty()) {
                PodInfo p = next.get(i);
                next.set(i, pod(p.name(), p.nodeName(), p.ips().get(0).toString())); // equal, other instance
            }
            // one pod per name, as in a cluster
            java.util.Map<String, PodInfo> byName = new java.util.TreeMap<>();
            next.forEach(p -> byName.put(p.name(), p));
            ClusterSnapshot after = s.withPods(List.copyOf(byName.values()));
            composed = composed.then(ClusterChange.between(s, after));
            s = after;
        }
        assertThat(pairs(composed)).isEqualTo(pairs(ClusterChange.between(first, s)));
        assertThat(composed.nodes().isEmpty()).isTrue();
    }

    @Example
    void aPodAddedAndRemovedAgainLeavesNoTraceAndEqualRecordsAreNoChange() {
        PodInfo a = pod("a", "n1", "10.0.0.1");
        ClusterSnapshot s0 = ClusterSnapshot.empty().withPods(List.of(a));
        PodInfo b = pod("b", "n1", "10.0.0.2");
        ClusterSnapshot s1 = s0.withPods(List.of(a, b));
        ClusterSnapshot s2 = s1.withPods(List.of(pod("a", "n1", "10.0.0.1")));
        ClusterChange c = ClusterChange.between(s0, s1).then(ClusterChange.between(s1, s2));
        assertThat(pairs(c)).isEmpty();
        assertThat(ClusterChange.between(s0, s2).isEmpty()).isTrue();
        assertThat(ClusterChange.EVERYTHING.then(ClusterChange.NONE).everything())
                .isTrue();
        assertThat(ClusterChange.between(s0, s1).summary()).isEqualTo("pods -0 +1");
    }
}
