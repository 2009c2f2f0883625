package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.List;
import java.util.Optional;

/** The fixed flows of the pipeline: classification, conntrack, misses, commit, output. */
final class PipelineFlows {
    /** ct_state bits (ovs-fields(7)). */
    static final int CT_NEW = 0x01;

    static final int CT_EST = 0x02;
    static final int CT_REL = 0x04;
    static final int CT_RPL = 0x08;
    static final int CT_INV = 0x10;
    static final int CT_TRK = 0x20;

    static final io.ovsanp.compiler.net.Cidr LINK_LOCAL_MULTICAST =
            io.ovsanp.compiler.net.Cidr.parse("ff02::/16").cidr();

    /** ICMPv6 types of neighbour discovery (RFC 4861): RS, RA, NS, NA, redirect. */
    static final List<Integer> NEIGHBOUR_DISCOVERY = List.of(133, 134, 135, 136, 137);

    private PipelineFlows() {}

    static void add(FlowAccumulator acc, PipelineSpec p, int generation) {
        Cookie c = Cookie.of(generation, Cookie.Category.PIPELINE, 0);
        TableId classifier = p.id(PipelineSpec.CLASSIFIER);
        boolean ownCt = p.has(PipelineSpec.CONNTRACK_ZONE);
        TableId state = p.id(PipelineSpec.CONNTRACK_STATE);
        TableId admin = p.id(PipelineSpec.ADMIN_EGRESS);
        TableId np = p.id(PipelineSpec.NETWORK_POLICY_EGRESS);
        TableId baseline = p.id(PipelineSpec.BASELINE_EGRESS);
        TableId adminIn = p.id(PipelineSpec.ADMIN_INGRESS);
        TableId npIn = p.id(PipelineSpec.NETWORK_POLICY_INGRESS);
        TableId baselineIn = p.id(PipelineSpec.BASELINE_INGRESS);
        TableId commit = p.id(PipelineSpec.COMMIT);
        TableId output = p.id(PipelineSpec.OUTPUT);
        for (IpFamily f : IpFamily.values()) {
            Match ip = Match.ethType(f);
            if (ownCt) {
                TableId zone = p.id(PipelineSpec.CONNTRACK_ZONE);
                acc.plain(classifier, 10, c, ip, List.of(new FlowAction.GotoTable(zone)));
                acc.plain(zone, 10, c, ip, List.of(new FlowAction.Ct(false, p.zone(), Optional.of(state), List.of())));
            } else {
                // The CNI ran ct(zone=Z) before handing the packet over: judge its ct_state directly.
                acc.plain(classifier, 10, c, ip, List.of(new FlowAction.GotoTable(state)));
            }
            acc.plain(
                    commit,
                    10,
                    c,
                    ip,
                    List.of(
                            new FlowAction.Ct(true, p.zone(), Optional.empty(), List.of()),
                            new FlowAction.GotoTable(output)));
        }
        // IPv6's ARP: neighbor discovery, router solicitation and MLD go to link-local multicast
        // (ff02::/16), which never leaves the link and is no policy destination. Judging it would cut
        // a pod whose rules deny ::/0 off from its neighbours and gateway, allowed destinations included.
        acc.plain(classifier, 20, c, Match.destination(LINK_LOCAL_MULTICAST), p.exitActions());
        // The unicast half of neighbour discovery (a neighbour advertisement answering a solicitation,
        // router advertisements and redirects to one host) is no connection either: OVS's conntrack
        // marks it invalid, so it would be dropped, and IPv6 pods could not resolve their gateway or
        // neighbours (measured in the lab). Like ARP, it leaves before conntrack and policy.
        for (int type : NEIGHBOUR_DISCOVERY) {
            acc.plain(
                    classifier,
                    21,
                    c,
                    Match.ethType(IpFamily.V6).with(Field.IP_PROTO, 58).with(Field.ICMPV6_TYPE, type),
                    p.exitActions());
        }
        acc.plain(classifier, 0, c, Match.ANY, p.exitActions());
        if (ownCt) {
            acc.plain(p.id(PipelineSpec.CONNTRACK_ZONE), 0, c, Match.ANY, List.of());
        }
        acc.plain(state, 30, c, ctState(CT_INV | CT_TRK, CT_INV | CT_TRK), List.of());
        acc.plain(
                state,
                21,
                c,
                ctState(CT_EST | CT_TRK, CT_NEW | CT_EST | CT_TRK),
                List.of(new FlowAction.GotoTable(output)));
        acc.plain(
                state,
                20,
                c,
                ctState(CT_REL | CT_TRK, CT_NEW | CT_REL | CT_TRK),
                List.of(new FlowAction.GotoTable(output)));
        MegaflowGuard.add(acc, p, generation);
        acc.plain(state, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(admin)));
        acc.plain(admin, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(np)));
        acc.plain(np, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(baseline)));
        acc.plain(baseline, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(adminIn)));
        acc.plain(adminIn, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(npIn)));
        acc.plain(npIn, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(baselineIn)));
        acc.plain(baselineIn, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(commit)));
        acc.plain(commit, 0, c, Match.ANY, List.of(new FlowAction.GotoTable(output)));
        acc.plain(output, 0, c, Match.ANY, p.exitActions());
    }

    static Match ctState(int value, int mask) {
        return Match.ANY.with(FieldMatch.masked(Field.CT_STATE, value, mask));
    }
}
