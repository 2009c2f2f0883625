package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A synthetic cluster whose node {@code n0} needs about {@code 46 × rules} flows: 10 ANP rules per
 * policy, each with 10 local subject pods, 25 external /24s and 10 TCP ports (a conjunction of
 * 10 + 25 + 10 + 1 flows). {@code generation} changes the CIDRs of every rule whose index is a
 * multiple of {@code 1/changedFraction}, for the "1 % change" benchmark.
 */
public final class BigCluster {
    private BigCluster() {}

    public static ClusterSnapshot of(int rules, double changedFraction, int generation) {
        List<NamespaceInfo> namespaces = new ArrayList<>();
        List<PodInfo> pods = new ArrayList<>();
        int groups = 20;
        for (int g = 0; g < groups; g++) {
            namespaces.add(new NamespaceInfo("ns" + g, Map.of("group", "g" + g)));
            for (int k = 0; k < 10; k++) {
                int n = g * 10 + k;
                pods.add(new PodInfo(
                        "ns" + g,
                        "p" + k,
                        "n0",
                        false,
                        List.of(IpAddress.parse("10.244." + (n / 120) + "." + (2 * (n % 120) + 1))),
                        Map.of("app", "a"),
                        List.of()));
            }
        }
        int stride = changedFraction <= 0 ? Integer.MAX_VALUE : (int) Math.round(1 / changedFraction);
        List<AdminPolicy> policies = new ArrayList<>();
        for (int p = 0; p * 10 < rules; p++) {
            List<Rule> rs = new ArrayList<>();
            for (int i = 0; i < 10 && p * 10 + i < rules; i++) {
                int r = p * 10 + i;
                int salt = (r % stride == 0) ? generation : 0;
                List<String> cidrs = new ArrayList<>();
                for (int c = 0; c < 25; c++) {
                    int x = (r * 25 + c) * 2 + salt * 7919;
                    cidrs.add((100 + (x >> 16) % 100) + "." + ((x >> 8) & 0xff) + "." + (x & 0xff) + ".0/24");
                }
                List<PortMatch> ports = new ArrayList<>();
                for (int q = 0; q < 10; q++)
                    ports.add(new PortMatch.Number(Protocol.TCP, 1000 + 2 * (r % 50) * 10 + 2 * q));
                rs.add(new Rule(
                        i, "r" + i, r % 3 == 0 ? Action.ALLOW : Action.DENY, List.of(new Peer.Networks(cidrs)), ports));
            }
            Subject subject = new Subject(LabelSelector.of(Map.of("group", "g" + (p % groups))), LabelSelector.ALL);
            policies.add(new AdminPolicy(
                    new ObjectRef(Tier.ADMIN.kind(), "", String.format("anp%04d", p), "", SourceRef.NONE),
                    Tier.ADMIN,
                    p % 1000,
                    subject,
                    rs,
                    List.of()));
        }
        return new ClusterSnapshot(
                namespaces,
                pods,
                List.of(new NodeInfo("n0", Map.of(), List.of())),
                List.of(),
                List.of(),
                policies,
                List.of(),
                List.of());
    }
}
