package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.net.Cidr;
import java.util.List;

/**
 * A validated destination of an effective rule. Peers are reduced to three shapes: selected pods,
 * selected nodes, and CIDRs (networks, or an ipBlock with its excepts already subtracted).
 */
public sealed interface Destination {

    /** Non-host-network pods matching podSelector in namespaces matching namespaceSelector. */
    record PodSelection(LabelSelector namespaceSelector, LabelSelector podSelector) implements Destination {}

    /** Addresses of nodes matching the selector. */
    record NodeSelection(LabelSelector nodeSelector) implements Destination {}

    /** Any IP inside one of the CIDRs. */
    record Cidrs(List<Cidr> cidrs) implements Destination {
        public Cidrs {
            cidrs = List.copyOf(cidrs);
        }
    }
}
