package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Destination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Resolves destinations to addresses and pods once per compile (rules often share selectors). */
final class DestinationResolver {
    private final Selection selection;
    private final Map<Destination, List<Cidr>> cidrs = new HashMap<>();
    private final Map<Destination, List<PodInfo>> pods = new HashMap<>();
    private List<PodInfo> allPods;

    DestinationResolver(Selection selection) {
        this.selection = selection;
    }

    /** Every address the destination covers: pod IPs and node addresses as host routes, or CIDRs. */
    List<Cidr> cidrs(Destination d) {
        return cidrs.computeIfAbsent(d, this::resolve);
    }

    /** The pods a destination selects (empty for nodes and CIDRs: names cannot resolve there). */
    List<PodInfo> pods(Destination d) {
        if (d instanceof Destination.PodSelection ps) {
            return pods.computeIfAbsent(d, k -> selection.pods(ps.namespaceSelector(), ps.podSelector()));
        }
        return List.of();
    }

    /** Every non-host-network pod (named-port targets of a rule with any destination). */
    List<PodInfo> allPods() {
        if (allPods == null) {
            allPods = selection.snapshot().pods().stream()
                    .filter(p -> !p.hostNetwork())
                    .toList();
        }
        return allPods;
    }

    private List<Cidr> resolve(Destination d) {
        List<Cidr> out = new ArrayList<>();
        if (d instanceof Destination.PodSelection) {
            for (PodInfo p : pods(d)) {
                for (IpAddress ip : p.ips()) out.add(Cidr.of(ip));
            }
        } else if (d instanceof Destination.NodeSelection ns) {
            for (NodeInfo n : selection.nodes(ns.nodeSelector())) {
                for (IpAddress ip : n.addresses()) out.add(Cidr.of(ip));
            }
        } else if (d instanceof Destination.Cidrs c) {
            out.addAll(c.cidrs());
        } else {
            throw new AssertionError(d);
        }
        return out;
    }
}
