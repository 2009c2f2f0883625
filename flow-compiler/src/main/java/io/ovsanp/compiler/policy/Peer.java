package io.ovsanp.compiler.policy;

import java.util.List;

/**
 * An egress destination ({@code to[]} entry). ANP/BANP: exactly one of namespaces, pods, nodes,
 * networks, domainNames. NetworkPolicy peers map onto {@link Pods} (a podSelector alone is scoped to
 * the policy's namespace through the {@code kubernetes.io/metadata.name} label) and {@link IpBlock}.
 * A peer the reader could not make sense of is {@link Unsupported}: per the API it matches nothing in
 * an Allow rule and makes a Deny or Pass rule deny everything.
 */
public sealed interface Peer {

    /** Pods (not host-network) in namespaces matching the selector. */
    record Namespaces(LabelSelector namespaceSelector) implements Peer {}

    /** Pods (not host-network) matching podSelector in namespaces matching namespaceSelector. */
    record Pods(LabelSelector namespaceSelector, LabelSelector podSelector) implements Peer {}

    /** The IPs in status.addresses of nodes matching the selector (NPEP-126). */
    record Nodes(LabelSelector nodeSelector) implements Peer {}

    /** CIDRs as written; any destination IP inside matches, pods and nodes included. */
    record Networks(List<String> cidrs) implements Peer {
        public Networks {
            cidrs = List.copyOf(cidrs);
        }
    }

    /** NetworkPolicy ipBlock: cidr minus except. */
    record IpBlock(String cidr, List<String> except) implements Peer {
        public IpBlock {
            except = List.copyOf(except);
        }
    }

    /** FQDN peer (NPEP-133): the addresses the subject pods learned from DNS answers for the names. */
    record DomainNames(List<String> names) implements Peer {
        public DomainNames {
            names = List.copyOf(names);
        }
    }

    /** A peer of a kind ovs-anp does not know, or with zero or several fields set. */
    record Unsupported(String description) implements Peer {}
}
