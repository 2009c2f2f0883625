package io.ovsanp.compiler.policy;

import java.util.Optional;

/**
 * A destination port condition. {@code portNumber} → {@link Number}; {@code portRange} → {@link
 * Range} (inclusive); {@code namedPort} → {@link Named}, resolved against the destination pod's
 * container ports; NetworkPolicy's protocol-only entry → {@link AnyPort}. A rule with ports never
 * matches ICMP.
 */
public sealed interface PortMatch {

    record Number(Protocol protocol, int port) implements PortMatch {}

    record Range(Protocol protocol, int start, int end) implements PortMatch {}

    /**
     * A named container port of the destination pod. ANP namedPort takes the protocol from the
     * containerPort ({@code protocol} empty); NetworkPolicy requires both to agree.
     */
    record Named(String name, Optional<Protocol> protocol) implements PortMatch {}

    /** Every port of one protocol (NetworkPolicy port entry with only a protocol). */
    record AnyPort(Protocol protocol) implements PortMatch {}
}
