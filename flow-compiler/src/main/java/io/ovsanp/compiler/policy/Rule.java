package io.ovsanp.compiler.policy;

import java.util.List;

/**
 * One egress rule, tier-neutral (ANP, BANP, NetworkPolicy). {@code peers} empty means every
 * destination (NetworkPolicy {@code to} absent); {@code ports} empty means every protocol and port.
 * ANP/BANP require both lists non-empty where present; readers report violations and the rule is then
 * realised fail-closed, so the "empty means all" reading never widens an invalid ANP rule.
 */
public record Rule(int index, String name, Action action, List<Peer> peers, List<PortMatch> ports) {
    public Rule {
        name = name == null ? "" : name;
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }
}
