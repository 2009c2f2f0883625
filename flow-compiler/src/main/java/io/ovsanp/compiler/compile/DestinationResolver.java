package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.policy.Destination;
import java.util.List;

/** Resolves destinations to addresses and pods; shared by every node's compile of one snapshot. */
final class DestinationResolver {
    private final SnapshotIndex index;

    DestinationResolver(SnapshotIndex index) {
        this.index = index;
    }

    /** Every address the destination covers: pod IPs and node addresses as host routes, or CIDRs. */
    List<Cidr> cidrs(Destination d) {
        return index.cidrs(d);
    }

    /** The pods a destination selects (empty for nodes and CIDRs: names cannot resolve there). */
    List<PodInfo> pods(Destination d) {
        return index.pods(d);
    }

    /** Every non-host-network pod (named-port targets of a rule with any destination). */
    List<PodInfo> allPods() {
        return index.allPods();
    }
}
