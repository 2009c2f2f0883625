package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.CidrSet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a flow recognises the subject pods that sent a packet. By source address (default), or by an
 * identity register that the CNI's spoof guard fills per ingress port with the pod's IPv4 address:
 * then a pod that forges its source address is still judged as itself, for IPv4 and IPv6 alike.
 * Register values are aggregated like CIDRs ({@code reg6=0x0af40100/0xffffff00}). The subjects of
 * ingress rules are recognised as destinations, by address only ({@link #asDestinations}).
 */
final class SourceMatcher {
    private final Optional<Field> register;
    private final List<Diagnostic> diags;
    private final Set<String> reported = new LinkedHashSet<>();

    SourceMatcher(Optional<Integer> register, List<Diagnostic> diags) {
        this.register = register.map(Field::reg);
        this.diags = diags;
    }

    /** The subject dimension of a rule for packets of family {@code f}; empty: no such sender. */
    List<Match> subject(List<PodInfo> pods, IpFamily f) {
        List<Cidr> byIdentity = new ArrayList<>();
        List<Cidr> byAddress = new ArrayList<>();
        for (PodInfo p : pods) {
            Optional<IpAddress> id = identity(p);
            if (id.isPresent()) {
                byIdentity.add(Cidr.of(id.get()));
            } else {
                for (IpAddress ip : p.ips()) {
                    if (ip.family() == f) byAddress.add(Cidr.of(ip));
                }
            }
        }
        List<Match> out = new ArrayList<>();
        for (Cidr c : CidrSet.aggregate(byIdentity)) {
            out.add(Match.ethType(f).with(registerMatch(c)));
        }
        for (Cidr c : CidrSet.aggregate(byAddress)) {
            out.add(Match.source(c));
        }
        return out;
    }

    /**
     * {@code pods} as the destination of packets of family {@code f}, aggregated; only their addresses
     * in {@code within} when it is not null (an ingress rule's named-port segment).
     */
    static List<Match> asDestinations(List<PodInfo> pods, IpFamily f, Set<Cidr> within) {
        List<Cidr> in = new ArrayList<>();
        for (PodInfo pod : pods) {
            for (IpAddress ip : pod.ips()) {
                Cidr c = Cidr.of(ip);
                if (ip.family() == f && (within == null || within.contains(c))) in.add(c);
            }
        }
        List<Match> out = new ArrayList<>();
        for (Cidr c : CidrSet.aggregate(in)) out.add(Match.destination(c));
        return out;
    }

    /** Every IP packet sent to {@code pod}, as flows to drop them. */
    static List<Match> everyPacketTo(PodInfo pod) {
        List<Match> out = new ArrayList<>();
        for (IpAddress ip : pod.ips()) out.add(Match.destination(Cidr.of(ip)));
        return out;
    }

    /** Every IP packet {@code pod} sends, as flows to drop them. */
    List<Match> everyPacketOf(PodInfo pod) {
        Optional<IpAddress> id = identity(pod);
        List<Match> out = new ArrayList<>();
        if (id.isPresent()) {
            for (IpFamily f : IpFamily.values()) {
                out.add(Match.ethType(f).with(registerMatch(Cidr.of(id.get()))));
            }
        } else {
            for (IpAddress ip : pod.ips()) out.add(Match.source(Cidr.of(ip)));
        }
        return out;
    }

    /** The pod's identity value: its first IPv4 address, when identity comes from a register. */
    private Optional<IpAddress> identity(PodInfo pod) {
        if (register.isEmpty()) {
            return Optional.empty();
        }
        Optional<IpAddress> v4 =
                pod.ips().stream().filter(ip -> ip.family() == IpFamily.V4).findFirst();
        if (v4.isEmpty() && reported.add(pod.key())) {
            diags.add(Diagnostic.warning(
                    new ObjectRef("Pod", pod.namespace(), pod.name(), "", io.ovsanp.compiler.diag.SourceRef.NONE),
                    "status.podIPs",
                    "no IPv4 address to identify the pod by " + register.get().ofctlName()
                            + "; it is recognised by its source address, which it could forge"));
        }
        return v4;
    }

    private FieldMatch registerMatch(Cidr c) {
        long value = c.network().toBigInteger().longValueExact();
        long mask = c.prefix() == 0 ? 0 : (0xffff_ffffL << (32 - c.prefix())) & 0xffff_ffffL;
        return mask == 0xffff_ffffL
                ? FieldMatch.exact(register.orElseThrow(), value)
                : FieldMatch.masked(register.orElseThrow(), value, mask);
    }
}
