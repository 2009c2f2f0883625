package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.RuleRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds one {@link EffectiveRule}. No destination added means any destination; no port added means
 * any protocol and port (the effective form makes both explicit).
 */
public final class RuleBuilder {
    private final RuleRef ref;
    private final Action action;
    private final List<Destination> destinations = new ArrayList<>();
    private final List<PortMatch> ports = new ArrayList<>();

    public RuleBuilder(RuleRef ref, Action action) {
        this.ref = ref;
        this.action = action;
    }

    /** The {@code pods} peer: pods matching podSelector in namespaces matching namespaceSelector. */
    public RuleBuilder toPods(LabelSelector namespaceSelector, LabelSelector podSelector) {
        destinations.add(new Destination.PodSelection(namespaceSelector, podSelector));
        return this;
    }

    /** The {@code namespaces} peer: every pod in matching namespaces. */
    public RuleBuilder toNamespaces(LabelSelector namespaceSelector) {
        return toPods(namespaceSelector, LabelSelector.ALL);
    }

    /** A NetworkPolicy podSelector-only peer: pods of one namespace. */
    public RuleBuilder toPodsIn(String namespace, LabelSelector podSelector) {
        return toPods(TestClusters.namespaceNamed(namespace), podSelector);
    }

    public RuleBuilder toNodes(LabelSelector nodeSelector) {
        destinations.add(new Destination.NodeSelection(nodeSelector));
        return this;
    }

    public RuleBuilder toNetworks(String... cidrs) {
        destinations.add(new Destination.Cidrs(
                Arrays.stream(cidrs).map(TestClusters::cidr).toList()));
        return this;
    }

    /** A {@code domainNames} peer (exact names or {@code *.} wildcards, as the API writes them). */
    public RuleBuilder toDomainNames(String... names) {
        destinations.add(new Destination.DomainNames(Arrays.stream(names)
                .map(n ->
                        io.ovsanp.compiler.dns.DomainPattern.parse(n).pattern().orElseThrow())
                .toList()));
        return this;
    }

    public RuleBuilder tcp(int port) {
        return port(Protocol.TCP, port);
    }

    public RuleBuilder udp(int port) {
        return port(Protocol.UDP, port);
    }

    public RuleBuilder sctp(int port) {
        return port(Protocol.SCTP, port);
    }

    public RuleBuilder port(Protocol protocol, int port) {
        ports.add(new PortMatch.Number(protocol, port));
        return this;
    }

    /** {@code portRange}, inclusive. */
    public RuleBuilder range(Protocol protocol, int start, int end) {
        ports.add(new PortMatch.Range(protocol, start, end));
        return this;
    }

    /** ANP {@code namedPort}: the protocol comes from the destination pod's containerPort. */
    public RuleBuilder named(String name) {
        ports.add(new PortMatch.Named(name, Optional.empty()));
        return this;
    }

    /** NetworkPolicy named port: name and protocol must both agree with the containerPort. */
    public RuleBuilder named(String name, Protocol protocol) {
        ports.add(new PortMatch.Named(name, Optional.of(protocol)));
        return this;
    }

    /** NetworkPolicy port entry with only a protocol. */
    public RuleBuilder anyPort(Protocol protocol) {
        ports.add(new PortMatch.AnyPort(protocol));
        return this;
    }

    public EffectiveRule build() {
        return new EffectiveRule(ref, action, destinations.isEmpty(), destinations, ports.isEmpty(), ports, false);
    }
}
