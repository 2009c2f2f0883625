package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Match;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OXM TLVs of the flow model's fields (OpenFlow 1.3 §7.2.3; NXM class 0x0001 for registers,
 * conj_id and ct_*, docs/ovs-notes.md §2.4). The header is {@code class u16 | field u7 | hasmask u1 |
 * length u8}. {@link Field#TP_DST} is tcp_dst, udp_dst or sctp_dst depending on the ip_proto.
 */
final class OxmCodec {
    static final int CLASS_NXM1 = 0x0001;
    static final int CLASS_OPENFLOW = 0x8000;
    static final int CLASS_EXPERIMENTER = 0xffff;

    /** One field's OXM class, number and value width in bytes. */
    record Spec(int oxmClass, int number, int bytes) {
        long header(boolean masked) {
            int len = masked ? 2 * bytes : bytes;
            return ((long) oxmClass << 16) | ((long) number << 9) | (masked ? 0x100 : 0) | len;
        }

        int key() {
            return (oxmClass << 7) | number;
        }
    }

    static final Spec TCP_DST = new Spec(CLASS_OPENFLOW, 14, 2);
    static final Spec UDP_DST = new Spec(CLASS_OPENFLOW, 16, 2);
    static final Spec SCTP_DST = new Spec(CLASS_OPENFLOW, 18, 2);
    static final Spec TCP_SRC = new Spec(CLASS_OPENFLOW, 13, 2);
    static final Spec UDP_SRC = new Spec(CLASS_OPENFLOW, 15, 2);
    static final Spec SCTP_SRC = new Spec(CLASS_OPENFLOW, 17, 2);

    private static final Map<Field, Spec> SPECS = new EnumMap<>(Field.class);
    private static final Map<Integer, Field> BY_KEY = new HashMap<>();
    private static final Map<Integer, Integer> TP_PROTO_BY_KEY = Map.of(
            TCP_DST.key(),
            6,
            UDP_DST.key(),
            17,
            SCTP_DST.key(),
            132,
            TCP_SRC.key(),
            6,
            UDP_SRC.key(),
            17,
            SCTP_SRC.key(),
            132);
    private static final java.util.Set<Integer> TP_SRC_KEYS =
            java.util.Set.of(TCP_SRC.key(), UDP_SRC.key(), SCTP_SRC.key());

    /** The order OVS's encoder (lib/nx-match.c) writes these fields in; prerequisites come first. */
    static final List<Field> WRITE_ORDER = List.of(
            Field.CONJ_ID,
            Field.IN_PORT,
            Field.ETH_TYPE,
            Field.IPV4_SRC,
            Field.IPV4_DST,
            Field.IPV6_SRC,
            Field.IPV6_DST,
            Field.IP_PROTO,
            Field.TP_SRC,
            Field.TP_DST,
            Field.ICMPV6_TYPE,
            Field.REG0,
            Field.REG1,
            Field.REG2,
            Field.REG3,
            Field.REG4,
            Field.REG5,
            Field.REG6,
            Field.REG7,
            Field.CT_STATE,
            Field.CT_ZONE,
            Field.CT_MARK);

    static {
        spec(Field.CONJ_ID, CLASS_NXM1, 37, 4);
        spec(Field.IN_PORT, CLASS_OPENFLOW, 0, 4);
        spec(Field.ETH_TYPE, CLASS_OPENFLOW, 5, 2);
        spec(Field.IP_PROTO, CLASS_OPENFLOW, 10, 1);
        spec(Field.IPV4_SRC, CLASS_OPENFLOW, 11, 4);
        spec(Field.IPV4_DST, CLASS_OPENFLOW, 12, 4);
        spec(Field.IPV6_SRC, CLASS_OPENFLOW, 26, 16);
        spec(Field.IPV6_DST, CLASS_OPENFLOW, 27, 16);
        spec(Field.ICMPV6_TYPE, CLASS_OPENFLOW, 29, 1);
        for (int n = 0; n < 8; n++) {
            spec(Field.reg(n), CLASS_NXM1, n, 4);
        }
        spec(Field.CT_STATE, CLASS_NXM1, 105, 4);
        spec(Field.CT_ZONE, CLASS_NXM1, 106, 2);
        spec(Field.CT_MARK, CLASS_NXM1, 107, 4);
        if (WRITE_ORDER.size() != Field.values().length) {
            throw new ExceptionInInitializerError("WRITE_ORDER must list every Field");
        }
    }

    private OxmCodec() {}

    private static void spec(Field f, int oxmClass, int number, int bytes) {
        Spec s = new Spec(oxmClass, number, bytes);
        SPECS.put(f, s);
        BY_KEY.put(s.key(), f);
    }

    /** The spec of a field that is not {@link Field#TP_DST}. */
    static Spec spec(Field f) {
        Spec s = SPECS.get(f);
        if (s == null) {
            throw new IllegalArgumentException("no single OXM for " + f);
        }
        return s;
    }

    /** The field an unmasked 4-byte OXM header names, for set_field and reg_load targets. */
    static Optional<Field> field32(long header) {
        if ((header & 0x1ff) != 4) {
            return Optional.empty();
        }
        int key = (int) ((header >>> 16) << 7 | ((header >>> 9) & 0x7f));
        return Optional.ofNullable(BY_KEY.get(key)).filter(f -> f.bits() == 32);
    }

    /** Writes the match's TLVs in {@link #WRITE_ORDER}; masked only where the mask is not all-ones. */
    static void write(Match match, ByteBuf out) {
        for (Field f : WRITE_ORDER) {
            Optional<FieldMatch> fm = match.get(f);
            if (fm.isPresent()) {
                Spec s = f == Field.TP_DST || f == Field.TP_SRC ? transportSpec(match, f) : spec(f);
                boolean masked = !fm.get().isExact();
                out.writeInt((int) s.header(masked));
                writeValue(out, fm.get().value(), s.bytes());
                if (masked) {
                    writeValue(out, fm.get().mask(), s.bytes());
                }
            }
        }
    }

    private static Spec transportSpec(Match match, Field f) {
        long proto = match.get(Field.IP_PROTO).map(p -> p.value().longValue()).orElse(-1L);
        boolean src = f == Field.TP_SRC;
        if (proto == 6) {
            return src ? TCP_SRC : TCP_DST;
        } else if (proto == 17) {
            return src ? UDP_SRC : UDP_DST;
        } else if (proto == 132) {
            return src ? SCTP_SRC : SCTP_DST;
        }
        throw new IllegalArgumentException(f.ofctlName() + " needs ip_proto tcp, udp or sctp: " + match);
    }

    static void writeValue(ByteBuf out, BigInteger v, int bytes) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, bytes);
        out.writeZero(bytes - n);
        out.writeBytes(b, b.length - n, n);
    }

    /** Reads TLVs until {@code in} is exhausted; what the model cannot hold is noted in {@code opaque}. */
    static Match read(ByteBuf in, Opaque opaque) {
        Map<Field, FieldMatch> fields = new EnumMap<>(Field.class);
        int tpProto = -1;
        while (in.isReadable()) {
            long header = Wire.u32(in, "oxm header");
            int oxmClass = (int) (header >>> 16);
            int number = (int) ((header >>> 9) & 0x7f);
            boolean masked = (header & 0x100) != 0;
            int length = (int) (header & 0xff);
            ByteBuf payload = Wire.slice(in, length, String.format("oxm 0x%08x", header));
            int key = (oxmClass << 7) | number;
            Field f = BY_KEY.get(key);
            Integer proto = TP_PROTO_BY_KEY.get(key);
            if (f == null && proto != null) {
                f = TP_SRC_KEYS.contains(key) ? Field.TP_SRC : Field.TP_DST;
                tpProto = proto;
            }
            if (f == null) {
                opaque.note(String.format("unknown oxm 0x%08x", header));
                continue;
            }
            int bytes = proto != null ? 2 : spec(f).bytes();
            if (length != (masked ? 2 * bytes : bytes)) {
                throw new OfProtocolException(String.format("oxm 0x%08x: bad length for %s", header, f));
            }
            if (fields.containsKey(f)) {
                throw new OfProtocolException("duplicate oxm field " + f);
            }
            BigInteger value = unsigned(payload, bytes);
            BigInteger mask = masked ? unsigned(payload, bytes) : FieldMatch.allOnes(f.bits());
            try {
                fields.put(f, new FieldMatch(f, value, mask));
            } catch (IllegalArgumentException e) {
                opaque.note(f.ofctlName() + ": " + e.getMessage());
            }
        }
        if (tpProto >= 0) {
            long proto = Optional.ofNullable(fields.get(Field.IP_PROTO))
                    .map(p -> p.value().longValue())
                    .orElse(-1L);
            if (proto != tpProto) {
                opaque.note("transport port of protocol " + tpProto + " with ip_proto " + proto);
            }
        }
        return new Match(fields);
    }

    private static BigInteger unsigned(ByteBuf in, int bytes) {
        return new BigInteger(1, Wire.bytes(in, bytes, "oxm value"));
    }
}
