package io.ovsanp.compiler.ofctl;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.TableSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes flows in {@code ovs-ofctl add-flows} syntax: {@code table=T,priority=P,cookie=C,<match>
 * actions=<actions>}. The match and the actions are spelled and ordered exactly as {@code ovs-ofctl
 * -O OpenFlow13 dump-flows} (OVS 3.1, lib/match.c {@code match_format}) prints them, so a dump
 * diffs cleanly against rendered text: conj_id, ct_state, ct_zone, ct_mark, the protocol shorthand
 * ({@code ip}, {@code tcp6}, ...), reg0..reg7, in_port, dl_type (only when no shorthand applies),
 * the addresses, nw_proto (only when no shorthand applies), tp_dst.
 */
public final class OfctlRenderer {
    private static final Map<Integer, String> ETH_SHORTHANDS =
            Map.of(0x0800, "ip", 0x86dd, "ipv6", 0x0806, "arp", 0x8035, "rarp", 0x8847, "mpls", 0x8848, "mplsm");

    /**
     * Field order of dump-flows. It differs from {@link Field}'s declaration order in one place:
     * nw_proto comes after the addresses.
     */
    static final List<Field> DUMP_ORDER = List.of(
            Field.CONJ_ID,
            Field.CT_STATE,
            Field.CT_ZONE,
            Field.CT_MARK,
            Field.REG0,
            Field.REG1,
            Field.REG2,
            Field.REG3,
            Field.REG4,
            Field.REG5,
            Field.REG6,
            Field.REG7,
            Field.IN_PORT,
            Field.ETH_TYPE,
            Field.IPV4_SRC,
            Field.IPV4_DST,
            Field.IPV6_SRC,
            Field.IPV6_DST,
            Field.IP_PROTO,
            Field.TP_SRC,
            Field.TP_DST,
            Field.ICMPV6_TYPE);

    /** The fields dump-flows prints before the protocol shorthand. */
    private static final Set<Field> BEFORE_SHORTHAND =
            EnumSet.of(Field.CONJ_ID, Field.CT_STATE, Field.CT_ZONE, Field.CT_MARK);

    static {
        if (!EnumSet.copyOf(DUMP_ORDER).equals(EnumSet.allOf(Field.class))) {
            throw new ExceptionInInitializerError("DUMP_ORDER must list every Field");
        }
    }

    private OfctlRenderer() {}

    /** One add-flows line, e.g. {@code table=3,priority=1000,cookie=0x2a5,ip,nw_src=10.0.0.1 actions=drop}. */
    public static String render(Flow f) {
        StringBuilder b = new StringBuilder();
        b.append("table=").append(f.table().value());
        b.append(",priority=").append(f.priority().value());
        b.append(",cookie=").append(f.cookie().hex());
        String match = renderMatch(f.match());
        if (!match.isEmpty()) {
            b.append(',').append(match);
        }
        return b.append(" actions=").append(renderActions(f.actions())).toString();
    }

    /**
     * Every flow of {@code flows}, table by table, each table introduced by a comment line {@code #
     * table N: Name — purpose} (ovs-ofctl add-flows skips lines starting with {@code #}).
     */
    public static String renderAll(FlowSet flows, PipelineSpec pipeline) {
        StringBuilder b = new StringBuilder();
        TableId current = null;
        for (Flow f : flows) {
            if (!f.table().equals(current)) {
                current = f.table();
                Optional<TableSpec> spec = pipeline.byId(current);
                b.append("# table ").append(current.value()).append(": ");
                b.append(spec.map(t -> t.name() + " — " + t.purpose()).orElse("(not in the pipeline)"));
                b.append('\n');
            }
            b.append(render(f)).append('\n');
        }
        return b.toString();
    }

    /** The match alone, without table, priority and cookie; empty for {@link Match#ANY}. */
    public static String renderMatch(Match m) {
        Map<Field, FieldMatch> fields = m.fields();
        StringBuilder b = new StringBuilder();
        FieldMatch eth = fields.get(Field.ETH_TYPE);
        FieldMatch proto = fields.get(Field.IP_PROTO);
        String shorthand = null;
        boolean protoInShorthand = false;
        if (eth != null) {
            int type = eth.value().intValue();
            shorthand = ETH_SHORTHANDS.get(type);
            if (proto != null && (type == 0x0800 || type == 0x86dd)) {
                String p = protocolName(type, proto.value().intValue());
                if (p != null) {
                    shorthand = p;
                    protoInShorthand = true;
                }
            }
        }
        for (Field f : DUMP_ORDER) {
            FieldMatch fm = fields.get(f);
            if (fm == null) {
                continue;
            }
            // OVS prints the shorthand after the ct_* fields, before the registers.
            if (shorthand != null && !BEFORE_SHORTHAND.contains(f)) {
                append(b, shorthand);
                shorthand = null;
            }
            if (f == Field.ETH_TYPE) {
                if (!ETH_SHORTHANDS.containsKey(fm.value().intValue())) {
                    String type =
                            String.format(Locale.ROOT, "0x%04x", fm.value().intValue());
                    append(b, "dl_type=" + type);
                }
            } else if (f != Field.IP_PROTO || !protoInShorthand) {
                append(b, f.ofctlName() + "=" + value(fm));
            }
        }
        if (shorthand != null) {
            append(b, shorthand);
        }
        return b.toString();
    }

    /** The action list, {@code drop} when empty. */
    public static String renderActions(List<FlowAction> actions) {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder b = new StringBuilder();
        for (FlowAction a : actions) {
            append(b, action(a));
        }
        return b.toString();
    }

    static String action(FlowAction a) {
        if (a instanceof FlowAction.Output o) {
            String name = OfctlPorts.name(o.port());
            return name != null ? name : "output:" + OfctlPorts.checkPhysical(o.port());
        } else if (a instanceof FlowAction.GotoTable g) {
            return "goto_table:" + g.table().value();
        } else if (a instanceof FlowAction.Resubmit r) {
            return "resubmit(," + r.table().value() + ")";
        } else if (a instanceof FlowAction.Conjunction c) {
            return "conjunction(" + c.id().value() + "," + c.clause() + "/" + c.nClauses() + ")";
        } else if (a instanceof FlowAction.Ct ct) {
            return ct(ct);
        } else if (a instanceof FlowAction.Controller c) {
            return "controller(max_len=" + c.maxLen() + ",meter_id=" + c.meterId() + ")";
        } else if (a instanceof FlowAction.Pause p) {
            // OVS 3.1 leaves out the default max_len and prints pause last (docs/ovs-notes.md §2.7).
            return p.maxLen() == FlowAction.Pause.WHOLE_PACKET
                    ? "controller(pause)"
                    : "controller(max_len=" + p.maxLen() + ",pause)";
        } else if (a instanceof FlowAction.SetField s) {
            return "set_field:" + OfctlNumbers.hexC(s.value()) + "->"
                    + s.field().ofctlName();
        }
        throw new AssertionError("unhandled action " + a);
    }

    /** {@code ct(commit,table=T,zone=Z,exec(...))}: OVS prints zone only when non-zero. */
    private static String ct(FlowAction.Ct ct) {
        StringBuilder b = new StringBuilder();
        if (ct.commit()) {
            append(b, "commit");
        }
        ct.table().ifPresent(t -> append(b, "table=" + t.value()));
        if (ct.zone() != 0) {
            append(b, "zone=" + ct.zone());
        }
        if (!ct.nested().isEmpty()) {
            append(b, "exec(" + renderActions(ct.nested()) + ")");
        }
        return "ct(" + b + ")";
    }

    /** The value of one match field as dump-flows prints it. */
    static String value(FieldMatch fm) {
        Field f = fm.field();
        long v = fm.value().longValue();
        long mask = fm.mask().longValue();
        switch (f) {
            case CONJ_ID:
            case CT_ZONE:
            case IP_PROTO:
            case ICMPV6_TYPE:
                return Long.toString(v);
            case IN_PORT:
                return OfctlPorts.formatInPort(v);
            case CT_STATE:
                return CtStates.formatMatch((int) v, (int) mask);
            case TP_SRC:
            case TP_DST:
                return fm.isExact() ? Long.toString(v) : OfctlNumbers.hex(v) + "/" + OfctlNumbers.hex(mask);
            case IPV4_SRC:
            case IPV4_DST:
                return address(IpFamily.V4, fm);
            case IPV6_SRC:
            case IPV6_DST:
                return address(IpFamily.V6, fm);
            default:
                return fm.isExact() ? OfctlNumbers.hexC(v) : OfctlNumbers.hexC(v) + "/" + OfctlNumbers.hexC(mask);
        }
    }

    /** A prefix as {@link Cidr#toOfctl()}; any other mask as {@code address/mask-address}. */
    private static String address(IpFamily family, FieldMatch fm) {
        IpAddress value = IpAddress.fromBigInteger(family, fm.value());
        int prefix = fm.prefixLength();
        if (prefix >= 0) {
            return new Cidr(value, prefix).toOfctl();
        }
        return value + "/" + IpAddress.fromBigInteger(family, fm.mask());
    }

    /** {@code tcp}, {@code udp6}, ... for the protocols ovs-ofctl abbreviates, else null. */
    static String protocolName(int ethType, int proto) {
        boolean v6 = ethType == 0x86dd;
        switch (proto) {
            case 1:
                return v6 ? null : "icmp";
            case 58:
                return v6 ? "icmp6" : null;
            case 6:
                return v6 ? "tcp6" : "tcp";
            case 17:
                return v6 ? "udp6" : "udp";
            case 132:
                return v6 ? "sctp6" : "sctp";
            default:
                return null;
        }
    }

    private static void append(StringBuilder b, String s) {
        if (b.length() > 0) {
            b.append(',');
        }
        b.append(s);
    }
}
