package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.net.Cidr;
import java.util.List;

/**
 * A validated destination of an effective rule. Peers are reduced to four shapes: selected pods,
 * selected nodes, CIDRs (networks, or an ipBlock with its excepts already subtracted), and domain
 * names (the addresses their DNS answers gave).
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

    /**
     * The addresses that names these patterns cover resolved to ({@code domainNames}, egress Allow rules
     * only), for each subject pod the answers that pod received. What they are depends on DNS answers,
     * not on the cluster: the evaluator takes them from {@link io.ovsanp.compiler.dns.ResolverStates},
     * the compiler from what the controller learned (docs/semantics.md, "Subjects and peers").
     */
    record DomainNames(List<DomainPattern> patterns) implements Destination {
        public DomainNames {
            patterns = List.copyOf(patterns);
        }
    }
}
