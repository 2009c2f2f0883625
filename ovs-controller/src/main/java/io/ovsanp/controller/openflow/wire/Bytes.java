package io.ovsanp.controller.openflow.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality: echo payloads, error data, opaque TLVs. */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytes of(byte[] bytes) {
        return new Bytes(bytes.clone());
    }

    /** Hex digits, optionally separated by blanks (as {@code ovs-ofctl} and the fixtures write them). */
    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex.replaceAll("\\s+", "")));
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex, cut after 64 bytes so log lines stay readable. */
    @Override
    public String toString() {
        if (bytes.length <= 64) {
            return hex();
        }
        return HexFormat.of().formatHex(bytes, 0, 64) + "...(" + bytes.length + " bytes)";
    }
}
