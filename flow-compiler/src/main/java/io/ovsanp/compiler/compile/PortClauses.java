package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.net.PortMask;
import io.ovsanp.compiler.net.PortMasks;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Numeric port conditions as clause matches: per protocol, ranges and single ports are merged into
 * disjoint intervals and each interval becomes the minimal value/mask set; a protocol with an
 * "any port" entry becomes one {@code tcp}-style match. Named ports are resolved elsewhere.
 */
final class PortClauses {
    private PortClauses() {}

    static List<Match> numeric(List<PortMatch> ports, IpFamily family) {
        Set<Protocol> anyPort = EnumSet.noneOf(Protocol.class);
        Map<Protocol, List<int[]>> ranges = new EnumMap<>(Protocol.class);
        for (PortMatch pm : ports) {
            if (pm instanceof PortMatch.Number n) {
                ranges.computeIfAbsent(n.protocol(), p -> new ArrayList<>()).add(new int[] {n.port(), n.port()});
            } else if (pm instanceof PortMatch.Range r) {
                ranges.computeIfAbsent(r.protocol(), p -> new ArrayList<>()).add(new int[] {r.start(), r.end()});
            } else if (pm instanceof PortMatch.AnyPort a) {
                anyPort.add(a.protocol());
            } else if (!(pm instanceof PortMatch.Named)) {
                throw new AssertionError(pm);
            }
        }
        List<Match> out = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            Match proto = protocol(family, p);
            if (anyPort.contains(p)) {
                out.add(proto);
                continue;
            }
            for (int[] iv : merge(ranges.getOrDefault(p, List.of()))) {
                for (PortMask m : PortMasks.cover(iv[0], iv[1])) {
                    out.add(proto.with(FieldMatch.masked(Field.TP_DST, m.value(), m.mask())));
                }
            }
        }
        return out;
    }

    static Match protocol(IpFamily family, Protocol p) {
        return Match.ethType(family).with(Field.IP_PROTO, p.number());
    }

    static Match exact(IpFamily family, Protocol p, int port) {
        return protocol(family, p).with(Field.TP_DST, port);
    }

    private static List<int[]> merge(List<int[]> in) {
        List<int[]> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> out = new ArrayList<>();
        for (int[] iv : sorted) {
            if (!out.isEmpty() && iv[0] <= out.get(out.size() - 1)[1] + 1) {
                int[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], iv[1]);
            } else {
                out.add(new int[] {iv[0], iv[1]});
            }
        }
        return out;
    }
}
