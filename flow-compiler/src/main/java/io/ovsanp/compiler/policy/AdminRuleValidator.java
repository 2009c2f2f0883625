package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates one ANP/BANP or ClusterNetworkPolicy rule (egress or ingress) and builds its effective form (see {@link
 * PolicyValidator}). The kinds differ in limits (v1alpha2: 25 peers and 25 protocols), in where a port
 * is ({@code ports[j]} or {@code protocols[j]}), in a range's rule (v1alpha2: start below end), and in
 * what a Baseline policy may do (a Baseline CNP may Pass and have domainNames peers).
 */
final class AdminRuleValidator {
    private AdminRuleValidator() {}

    static Optional<EffectiveRule> validate(
            RuleRef ref, Rule r, boolean policyInvalid, List<Diagnostic> readProblems, List<Diagnostic> diags) {
        String path = ref.path();
        List<Diagnostic> out = new ArrayList<>();
        boolean invalid =
                policyInvalid || readProblems.stream().anyMatch(d -> d.severity() == Severity.ERROR && d.isUnder(path));
        boolean unsupportedDeniesAll = false;
        boolean cnp = AdminPolicy.isClusterNetworkPolicy(ref.policy());
        int maxPeers = cnp ? PolicyValidator.CNP_MAX_ITEMS : PolicyValidator.MAX_PEERS;
        int maxPorts = cnp ? PolicyValidator.CNP_MAX_ITEMS : PolicyValidator.MAX_PORTS;
        String portsField = cnp ? ".protocols" : ".ports";
        Direction dir = ref.direction();
        String peersPath = path + "." + dir.peersField();
        String traffic = "all " + dir.field() + " of its subjects";
        if (r.name().length() > PolicyValidator.MAX_RULE_NAME) {
            out.add(Diagnostic.error(
                    ref.policy(),
                    path + ".name",
                    "name has " + r.name().length() + " characters; at most " + PolicyValidator.MAX_RULE_NAME));
        }
        if (ref.tier() == Tier.BASELINE && !cnp && r.action() == Action.PASS) {
            out.add(Diagnostic.error(
                    ref.policy(), path + ".action", "Pass is not allowed in a BaselineAdminNetworkPolicy"));
        }
        if (r.peers().isEmpty() || r.peers().size() > maxPeers) {
            out.add(Diagnostic.error(ref.policy(), peersPath, r.peers().size() + " peers; must be 1.." + maxPeers));
        }
        if (r.ports().size() > maxPorts) {
            out.add(Diagnostic.error(
                    ref.policy(),
                    path + portsField,
                    r.ports().size() + (cnp ? " protocols" : " ports") + "; at most " + maxPorts));
        }
        boolean northbound = false;
        List<Destination> dests = new ArrayList<>();
        for (int i = 0; i < r.peers().size(); i++) {
            Peer peer = r.peers().get(i);
            String pp = peersPath + "[" + i + "]";
            if (dir == Direction.INGRESS
                    && (peer instanceof Peer.Nodes
                            || peer instanceof Peer.Networks
                            || peer instanceof Peer.DomainNames)) {
                out.add(Diagnostic.error(
                        ref.policy(), pp, "only namespaces and pods are ingress peers; this peer matches nothing"));
            } else if (peer instanceof Peer.Namespaces n) {
                dests.add(new Destination.PodSelection(n.namespaceSelector(), LabelSelector.ALL));
            } else if (peer instanceof Peer.Pods p) {
                dests.add(new Destination.PodSelection(p.namespaceSelector(), p.podSelector()));
            } else if (peer instanceof Peer.Nodes n) {
                northbound = true;
                dests.add(new Destination.NodeSelection(n.nodeSelector()));
            } else if (peer instanceof Peer.Networks n) {
                northbound = true;
                networks(ref, pp + ".networks", n.cidrs(), out).ifPresent(dests::add);
            } else if (peer instanceof Peer.DomainNames dn) {
                northbound = true;
                if (dn.names().isEmpty() || dn.names().size() > PolicyValidator.MAX_DOMAIN_NAMES) {
                    out.add(Diagnostic.error(
                            ref.policy(),
                            pp + ".domainNames",
                            dn.names().size() + " names; must be 1.." + PolicyValidator.MAX_DOMAIN_NAMES));
                } else if (ref.tier() == Tier.BASELINE && !cnp) {
                    out.add(Diagnostic.error(
                            ref.policy(), pp + ".domainNames", "domainNames is not a BaselineAdminNetworkPolicy peer"));
                } else if (r.action() != Action.ALLOW) {
                    out.add(Diagnostic.error(
                            ref.policy(),
                            pp + ".domainNames",
                            "domainNames is allowed only in " + Action.ALLOW.apiName(ref.policy()) + " rules"));
                } else {
                    List<DomainPattern> patterns = new ArrayList<>();
                    for (int k = 0; k < dn.names().size(); k++) {
                        DomainPattern.Parsed parsed =
                                DomainPattern.parse(dn.names().get(k));
                        if (parsed.pattern().isPresent()) {
                            patterns.add(parsed.pattern().get());
                        } else {
                            out.add(Diagnostic.error(
                                    ref.policy(),
                                    pp + ".domainNames[" + k + "]",
                                    parsed.problem() + "; this name matches nothing"));
                        }
                    }
                    if (!patterns.isEmpty()) {
                        // Matches the addresses each subject pod learned from DNS answers for these
                        // names (the switch: docs/architecture.md, "Names learned from DNS"; offline:
                        // explain --resolved).
                        dests.add(new Destination.DomainNames(patterns));
                    }
                }
            } else if (peer instanceof Peer.Unsupported u) {
                if (r.action() == Action.ALLOW) {
                    out.add(Diagnostic.unenforced(
                            ref.policy(),
                            pp,
                            "unsupported peer (" + u.description() + "); in an " + Action.ALLOW.apiName(ref.policy())
                                    + " rule it matches nothing"));
                } else {
                    unsupportedDeniesAll = true;
                    out.add(Diagnostic.unenforced(
                            ref.policy(),
                            pp,
                            "unsupported peer (" + u.description() + "); this "
                                    + r.action().apiName() + " rule denies " + traffic + " (fail-closed)"));
                }
            } else if (peer instanceof Peer.IpBlock) {
                out.add(Diagnostic.error(ref.policy(), pp, "ipBlock is a NetworkPolicy peer, not an ANP/BANP peer"));
            } else {
                throw new AssertionError(peer);
            }
        }
        for (int j = 0; j < r.ports().size(); j++) {
            PortMatch pm = r.ports().get(j);
            if (cnp) {
                protocolProblem(ref, path + portsField + "[" + j + "]", pm, northbound, out);
                continue;
            }
            String portPath = path + ".ports[" + j + "]";
            portProblem(pm, northbound).ifPresent(msg -> out.add(Diagnostic.error(ref.policy(), portPath, msg)));
        }
        diags.addAll(out);
        invalid |= out.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        if (invalid || unsupportedDeniesAll) {
            if (r.action() == Action.ALLOW) {
                diags.add(Diagnostic.note(
                        ref.policy(),
                        path,
                        "realised fail-closed: this " + Action.ALLOW.apiName(ref.policy()) + " rule matches nothing"));
                return Optional.empty();
            }
            if (!policyInvalid) {
                diags.add(Diagnostic.note(
                        ref.policy(),
                        path,
                        "realised fail-closed: this rule denies " + traffic + " at its precedence"));
            }
            return Optional.of(EffectiveRule.denyAll(ref));
        }
        if (dests.isEmpty()) {
            diags.add(Diagnostic.note(
                    ref.policy(),
                    path,
                    "no supported peer is left; this " + Action.ALLOW.apiName(ref.policy()) + " rule matches nothing"));
            return Optional.empty();
        }
        return Optional.of(
                new EffectiveRule(ref, r.action(), false, dests, r.ports().isEmpty(), r.ports(), false));
    }

    static Optional<Destination> networks(RuleRef ref, String path, List<String> cidrs, List<Diagnostic> out) {
        if (cidrs.isEmpty() || cidrs.size() > PolicyValidator.MAX_NETWORKS) {
            out.add(Diagnostic.error(
                    ref.policy(), path, cidrs.size() + " CIDRs; must be 1.." + PolicyValidator.MAX_NETWORKS));
        }
        List<Cidr> parsed = new ArrayList<>();
        for (int k = 0; k < cidrs.size(); k++) {
            String c = cidrs.get(k);
            String cp = path + "[" + k + "]";
            if (c.length() > PolicyValidator.MAX_CIDR_CHARS) {
                out.add(Diagnostic.error(
                        ref.policy(), cp, "CIDR longer than " + PolicyValidator.MAX_CIDR_CHARS + " characters"));
                continue;
            }
            parseCidr(ref.policy(), cp, c, out).ifPresent(parsed::add);
        }
        return parsed.isEmpty() ? Optional.empty() : Optional.of(new Destination.Cidrs(parsed));
    }

    static Optional<Cidr> parseCidr(
            io.ovsanp.compiler.diag.ObjectRef obj, String path, String text, List<Diagnostic> out) {
        try {
            Cidr.Parsed p = Cidr.parse(text);
            if (p.hostBitsSet()) {
                out.add(Diagnostic.note(obj, path, "\"" + text + "\" has host bits set; read as " + p.cidr()));
            }
            return Optional.of(p.cidr());
        } catch (IllegalArgumentException e) {
            // Cidr.parse's message names the text already.
            out.add(Diagnostic.error(obj, path, e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * A v1alpha2 {@code protocols[j]} entry: {@code tcp|udp|sctp.destinationPort.number} 1..65535, {@code
     * .range} with both ends 1..65535 and start below end (the CRD's rule {@code self.start < self.end}),
     * {@code destinationNamedPort} not empty and not beside nodes, networks or domainNames peers.
     */
    private static void protocolProblem(
            RuleRef ref, String at, PortMatch pm, boolean northbound, List<Diagnostic> out) {
        String path;
        String problem;
        if (pm instanceof PortMatch.Number n) {
            path = at + "." + field(n.protocol()) + ".destinationPort.number";
            problem = validPort(n.port()) ? null : "port " + n.port() + " is outside 1..65535";
        } else if (pm instanceof PortMatch.Range rg) {
            path = at + "." + field(rg.protocol()) + ".destinationPort.range";
            if (!validPort(rg.start()) || !validPort(rg.end())) {
                problem = "port range " + rg.start() + "-" + rg.end() + " is outside 1..65535";
            } else {
                problem = rg.start() < rg.end() ? null : "start " + rg.start() + " is not below end " + rg.end();
            }
        } else if (pm instanceof PortMatch.Named nm) {
            path = at + ".destinationNamedPort";
            problem = nm.name().isEmpty()
                    ? "destinationNamedPort is empty"
                    : northbound
                            ? "destinationNamedPort cannot be used in a rule whose peers include nodes, networks"
                                    + " or domainNames"
                            : null;
        } else if (pm instanceof PortMatch.AnyPort a) {
            path = at + "." + field(a.protocol());
            problem = null;
        } else {
            throw new AssertionError(pm);
        }
        if (problem != null) {
            out.add(Diagnostic.error(ref.policy(), path, problem));
        }
    }

    private static String field(Protocol p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A problem with one port entry, or empty. */
    static Optional<String> portProblem(PortMatch pm, boolean northbound) {
        if (pm instanceof PortMatch.Number n) {
            return validPort(n.port()) ? Optional.empty() : Optional.of("port " + n.port() + " is outside 1..65535");
        } else if (pm instanceof PortMatch.Range rg) {
            if (!validPort(rg.start()) || !validPort(rg.end())) {
                return Optional.of("port range " + rg.start() + "-" + rg.end() + " is outside 1..65535");
            }
            return rg.start() > rg.end()
                    ? Optional.of("port range start " + rg.start() + " is greater than end " + rg.end())
                    : Optional.empty();
        } else if (pm instanceof PortMatch.Named nm) {
            if (nm.name().isEmpty()) {
                return Optional.of("namedPort is empty");
            }
            return northbound
                    ? Optional.of(
                            "namedPort cannot be used in a rule whose peers include nodes, networks or domainNames")
                    : Optional.empty();
        } else if (pm instanceof PortMatch.AnyPort) {
            return Optional.empty();
        }
        throw new AssertionError(pm);
    }

    static boolean validPort(int p) {
        return p >= 1 && p <= 65535;
    }
}
