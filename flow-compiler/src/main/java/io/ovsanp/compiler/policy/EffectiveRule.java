package io.ovsanp.compiler.policy;

import java.util.List;

/**
 * A rule as it is enforced. For an ingress rule ({@code ref.direction()}) the "destinations" are the
 * peers traffic comes from (its sources); ports are always the destination port at the subject pod.
 * After validation and fail-closed rewriting. {@code anyDestination} /
 * {@code anyPort} are explicit, so an Allow rule whose every peer was dropped can never turn into
 * "allow everything": such a rule is left out instead. A rule realised fail-closed is a DENY with any
 * destination and any port, and {@code failClosed} set.
 */
public record EffectiveRule(
        RuleRef ref,
        Action action,
        boolean anyDestination,
        List<Destination> destinations,
        boolean anyPort,
        List<PortMatch> ports,
        boolean failClosed) {

    public EffectiveRule {
        destinations = List.copyOf(destinations);
        ports = List.copyOf(ports);
        if (!anyDestination && destinations.isEmpty()) {
            throw new IllegalArgumentException("rule " + ref + " matches no destination; leave it out instead");
        }
        if (!anyPort && ports.isEmpty()) {
            throw new IllegalArgumentException("rule " + ref + " matches no port; leave it out instead");
        }
    }

    /** Some port is a {@code namedPort}, resolved against the destination pods' container ports. */
    public boolean hasNamedPorts() {
        return ports.stream().anyMatch(p -> p instanceof PortMatch.Named);
    }

    /**
     * Its named ports can resolve in any pod of the cluster, not only pods a destination selects: the
     * rule has any destination, or a CIDR (a NetworkPolicy {@code ipBlock}) that may hold pod IPs; an
     * ingress rule's named ports resolve in its subject pods, which may be any pod.
     */
    public boolean namedPortsReadEveryPod() {
        return hasNamedPorts()
                && (ref.ingress()
                        || anyDestination
                        || destinations.stream().anyMatch(d -> d instanceof Destination.Cidrs));
    }

    public static EffectiveRule denyAll(RuleRef ref) {
        return new EffectiveRule(ref, Action.DENY, true, List.of(), true, List.of(), true);
    }
}
