package io.ovsanp.controller.openflow.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the wire fixtures under {@code src/test/resources/openflow/wire}: {@code key: value} lines. */
final class Fixtures {
    /** One flow line and the FLOW_MOD bytes ovs-ofctl encodes it to. */
    record GoldenFlow(String flow, byte[] bytes) {
        @Override
        public String toString() {
            return flow;
        }
    }

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/openflow/wire/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of every {@code key: value} line, in file order. */
    static List<String> values(String name, String key) {
        List<String> out = new ArrayList<>();
        for (String line : text(name).split("\\R")) {
            if (line.startsWith(key + ": ")) {
                out.add(line.substring(key.length() + 2));
            }
        }
        return out;
    }

    static List<GoldenFlow> flowMods() {
        List<String> flows = values("flow-mods.golden", "flow");
        List<String> hex = values("flow-mods.golden", "hex");
        if (flows.size() != hex.size() || flows.isEmpty()) {
            throw new IllegalStateException("flow-mods.golden: unpaired lines");
        }
        List<GoldenFlow> out = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            out.add(new GoldenFlow(flows.get(i), hex(hex.get(i))));
        }
        return out;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
