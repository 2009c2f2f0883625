package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random tables that stress conjunction lookup: a few conjunctions with 2-3 clauses drawn
 * from small pools (so clause flows overlap and share matches), clause flows merged per (priority,
 * match), conj_id flows that are sometimes missing or at another priority, hard flows that
 * duplicate clause matches at other priorities ("twins"), and sometimes a catch-all. Every flow is
 * in table 0 with a unique cookie, so an {@code ofproto/trace} line names the flow it chose.
 */
final class RandomConjunctionTable {
    static final List<String> SOURCES =
            List.of("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "10.2.0.0/16");
    static final List<String> DESTINATIONS =
            List.of("192.0.2.0/24", "192.0.2.128/25", "192.0.2.7/32", "198.51.100.0/24");
    /** tp_dst value/mask pairs: 80, 443, 0-1023, 1024-2047, 8080-8087. */
    static final List<int[]> PORTS = List.of(
            new int[] {80, 0xffff},
            new int[] {443, 0xffff},
            new int[] {0, 0xfc00},
            new int[] {1024, 0xfc00},
            new int[] {8080, 0xfff8});

    private static final int[] PRIORITIES = {50, 100, 150, 200};

    private RandomConjunctionTable() {}

    static FlowSet table(Random r) {
        Map<Flow.FlowKey, List<FlowAction>> flows = new LinkedHashMap<>();
        int nConj = 1 + r.nextInt(3);
        List<Integer> prios = new ArrayList<>(List.of(100, 150, 200, 250));
        java.util.Collections.shuffle(prios, r);
        for (int id = 1; id <= nConj; id++) {
            Priority p = Priority.of(prios.get(id - 1));
            int n = 2 + r.nextInt(2);
            List<Integer> dims = new ArrayList<>(List.of(0, 1, 2));
            java.util.Collections.shuffle(dims, r);
            for (int k = 1; k <= n; k++) {
                int dim = dims.get(k - 1);
                int count = 1 + r.nextInt(2);
                for (int i = 0; i < count; i++) {
                    Flow.FlowKey key = new Flow.FlowKey(TableId.of(0), p, dimension(r, dim));
                    List<FlowAction> acts = flows.computeIfAbsent(key, x -> new ArrayList<>());
                    ConjId cid = new ConjId(id);
                    if (acts.stream()
                            .noneMatch(a -> ((FlowAction.Conjunction) a).id().equals(cid))) {
                        acts.add(new FlowAction.Conjunction(cid, k, n));
                    }
                }
            }
            if (r.nextInt(5) > 0) {
                Priority at = r.nextBoolean() ? p : Priority.of(PRIORITIES[r.nextInt(PRIORITIES.length)]);
                flows.putIfAbsent(new Flow.FlowKey(TableId.of(0), at, Match.ANY.with(Field.CONJ_ID, id)), verdict(r));
            }
        }
        int hard = r.nextInt(4);
        for (int i = 0; i < hard; i++) {
            Priority p = Priority.of(PRIORITIES[r.nextInt(PRIORITIES.length)]);
            flows.putIfAbsent(new Flow.FlowKey(TableId.of(0), p, dimension(r, r.nextInt(3))), verdict(r));
        }
        if (r.nextInt(3) > 0) {
            flows.putIfAbsent(new Flow.FlowKey(TableId.of(0), Priority.of(0), Match.ANY), verdict(r));
        }
        List<Flow> out = new ArrayList<>();
        long cookie = 1;
        for (Map.Entry<Flow.FlowKey, List<FlowAction>> e : flows.entrySet()) {
            Flow.FlowKey k = e.getKey();
            out.add(new Flow(k.table(), k.priority(), new Cookie(cookie++), k.match(), e.getValue()));
        }
        return FlowSet.of(out);
    }

    /** One clause-like match: a source prefix, a destination prefix, or a TCP port block. */
    private static Match dimension(Random r, int dim) {
        if (dim == 0) {
            return Match.source(
                    Cidr.parse(SOURCES.get(r.nextInt(SOURCES.size()))).cidr());
        } else if (dim == 1) {
            return Match.destination(
                    Cidr.parse(DESTINATIONS.get(r.nextInt(DESTINATIONS.size()))).cidr());
        }
        int[] port = PORTS.get(r.nextInt(PORTS.size()));
        return Match.ANY
                .with(Field.ETH_TYPE, 0x0800)
                .with(Field.IP_PROTO, 6)
                .with(FieldMatch.masked(Field.TP_DST, port[0], port[1]));
    }

    private static List<FlowAction> verdict(Random r) {
        return r.nextInt(3) == 0 ? List.of() : List.of(new FlowAction.Output(1 + r.nextInt(9)));
    }

    /** A TCP packet from the address and port pools (or just outside them). */
    static SimPacket packet(Random r) {
        String[] src = {"10.1.2.3", "10.1.2.4", "10.1.9.9", "10.2.0.1", "10.9.9.9", "172.16.0.1"};
        String[] dst = {"192.0.2.7", "192.0.2.200", "192.0.2.8", "198.51.100.1", "203.0.113.1"};
        int[] ports = {80, 443, 22, 1500, 8083, 9000};
        return SimPacket.tcp(src[r.nextInt(src.length)], dst[r.nextInt(dst.length)], ports[r.nextInt(ports.length)])
                .withInPort(0xffff_fffeL);
    }

    /** The packet in {@code ofproto/trace} flow syntax. */
    static String traceFlow(SimPacket p) {
        IpAddress s = p.src();
        return "in_port=LOCAL,tcp,nw_src=" + s + ",nw_dst=" + p.dst() + ",tp_dst=" + p.tpDst();
    }
}
