package io.ovsanp.controller.audit;

import java.nio.ByteBuffer;

/** Ethernet frames for the audit tests, built field by field. */
final class Frames {
    private Frames() {}

    /** An IPv4 frame from {@code src} to {@code dst} carrying {@code protocol} with ports (or ICMP type/code). */
    static byte[] ipv4(int src, int dst, int protocol, int sport, int dport) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8);
        b.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) 28)
                .putShort((short) 1)
                .putShort((short) 0x4000);
        b.put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst);
        if (protocol == 1) {
            b.put((byte) sport).put((byte) dport).putShort((short) 0).putInt(0);
        } else {
            b.putShort((short) sport)
                    .putShort((short) dport)
                    .putShort((short) 8)
                    .putShort((short) 0);
        }
        return b.array();
    }

    /** An IPv6 TCP frame (first 4 bytes of the TCP header) with one destination-options header. */
    static byte[] ipv6TcpWithOptions(long srcLo, long dstLo, int sport, int dport) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + 4);
        b.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 12).put((byte) 60).put((byte) 64);
        b.putLong(0xfd00_0000_0000_0000L)
                .putLong(srcLo)
                .putLong(0xfd00_0000_0000_0000L)
                .putLong(dstLo);
        b.put((byte) 6).put((byte) 0).putShort((short) 0).putInt(0); // dest options: next TCP, 8 bytes
        b.putShort((short) sport).putShort((short) dport);
        return b.array();
    }

    /**
     * An IPv6 TCP frame with a fragment header of {@code offset} (8-byte units), then what would be the
     * first 4 bytes of the TCP header (data, in a later fragment).
     */
    static byte[] ipv6TcpFragment(long srcLo, long dstLo, int sport, int dport, int offset) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + 4);
        b.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 12).put((byte) 44).put((byte) 64);
        b.putLong(0xfd00_0000_0000_0000L)
                .putLong(srcLo)
                .putLong(0xfd00_0000_0000_0000L)
                .putLong(dstLo);
        b.put((byte) 6).put((byte) 0).putShort((short) ((offset << 3) | 1)).putInt(7); // next TCP, M flag, id
        b.putShort((short) sport).putShort((short) dport);
        return b.array();
    }

    static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }
}
