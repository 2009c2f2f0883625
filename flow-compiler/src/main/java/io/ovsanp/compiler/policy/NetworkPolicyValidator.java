package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.CidrSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates a NetworkPolicy. Its rules only allow, so fail-closed means: an invalid rule (or peer)
 * matches nothing, and a policy that could not be read completely still isolates the pods it selects.
 */
final class NetworkPolicyValidator {
    private NetworkPolicyValidator() {}

    static EffectiveNetworkPolicy validate(NetworkPolicy np, List<Diagnostic> diags) {
        ObjectRef ref = np.ref();
        diags.addAll(np.readProblems());
        boolean policyInvalid = np.readProblems().stream().anyMatch(PolicyValidator::isPolicyLevel);
        // An invalid policy's policyTypes cannot be trusted: it isolates its pods both ways.
        boolean isolatesEgress = np.isolatesEgress() || policyInvalid;
        boolean isolatesIngress = np.isolatesIngress() || policyInvalid;
        List<EffectiveRule> egress = new ArrayList<>();
        List<EffectiveRule> ingress = new ArrayList<>();
        if (policyInvalid) {
            diags.add(Diagnostic.note(
                    ref,
                    "spec",
                    "policy is invalid: it isolates the pods it selects for egress and ingress and"
                            + " none of its rules allow anything"));
        } else {
            for (Rule r : np.egress()) {
                rule(np, r, Direction.EGRESS, diags).ifPresent(egress::add);
            }
            for (Rule r : np.ingress()) {
                rule(np, r, Direction.INGRESS, diags).ifPresent(ingress::add);
            }
        }
        return new EffectiveNetworkPolicy(ref, np.podSelector(), isolatesEgress, egress, isolatesIngress, ingress);
    }

    private static Optional<EffectiveRule> rule(NetworkPolicy np, Rule r, Direction dir, List<Diagnostic> diags) {
        RuleRef ref = new RuleRef(Tier.NETWORK_POLICY, np.ref(), r.index(), r.name(), dir);
        String path = ref.path();
        List<Diagnostic> out = new ArrayList<>();
        List<Destination> dests = new ArrayList<>();
        for (int i = 0; i < r.peers().size(); i++) {
            Peer peer = r.peers().get(i);
            String pp = path + "." + dir.peersField() + "[" + i + "]";
            if (peer instanceof Peer.Namespaces n) {
                dests.add(new Destination.PodSelection(n.namespaceSelector(), LabelSelector.ALL));
            } else if (peer instanceof Peer.Pods p) {
                dests.add(new Destination.PodSelection(p.namespaceSelector(), p.podSelector()));
            } else if (peer instanceof Peer.IpBlock b) {
                ipBlock(np.ref(), pp + ".ipBlock", b, out).ifPresent(dests::add);
            } else if (peer instanceof Peer.Nodes
                    || peer instanceof Peer.Networks
                    || peer instanceof Peer.DomainNames
                    || peer instanceof Peer.Unsupported) {
                out.add(Diagnostic.error(np.ref(), pp, "not a NetworkPolicy peer; it matches nothing"));
            } else {
                throw new AssertionError(peer);
            }
        }
        for (int j = 0; j < r.ports().size(); j++) {
            String portPath = path + ".ports[" + j + "]";
            AdminRuleValidator.portProblem(r.ports().get(j), false)
                    .ifPresent(msg -> out.add(Diagnostic.error(np.ref(), portPath, msg)));
        }
        diags.addAll(out);
        boolean invalid = out.stream().anyMatch(d -> d.severity() == Severity.ERROR)
                || np.readProblems().stream().anyMatch(d -> d.severity() == Severity.ERROR && d.isUnder(path));
        if (invalid) {
            diags.add(Diagnostic.note(np.ref(), path, "realised fail-closed: this rule allows nothing"));
            return Optional.empty();
        }
        boolean anyDestination = r.peers().isEmpty();
        if (!anyDestination && dests.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EffectiveRule(
                ref, Action.ALLOW, anyDestination, dests, r.ports().isEmpty(), r.ports(), false));
    }

    private static Optional<Destination> ipBlock(ObjectRef obj, String path, Peer.IpBlock b, List<Diagnostic> out) {
        Optional<Cidr> base = AdminRuleValidator.parseCidr(obj, path + ".cidr", b.cidr(), out);
        List<Cidr> except = new ArrayList<>();
        boolean bad = base.isEmpty();
        for (int k = 0; k < b.except().size(); k++) {
            String ep = path + ".except[" + k + "]";
            Optional<Cidr> e = AdminRuleValidator.parseCidr(obj, ep, b.except().get(k), out);
            if (e.isEmpty()) {
                bad = true;
            } else if (base.isPresent() && !base.get().contains(e.get())) {
                out.add(Diagnostic.error(obj, ep, "except " + e.get() + " is not inside cidr " + base.get()));
                bad = true;
            } else {
                except.add(e.get());
            }
        }
        if (bad) {
            return Optional.empty();
        }
        List<Cidr> rest = CidrSet.subtract(base.get(), except);
        return rest.isEmpty() ? Optional.empty() : Optional.of(new Destination.Cidrs(rest));
    }
}
