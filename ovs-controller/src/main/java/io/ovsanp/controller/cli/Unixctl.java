package io.ovsanp.controller.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One command on an OVS daemon's unixctl socket ({@code ovs-vswitchd.PID.ctl}), what {@code ovs-appctl
 * -t SOCKET METHOD ARGS...} does: a JSON-RPC request {@code {"method":M,"params":[...],"id":0}} over the
 * Unix socket, answered by one JSON object with {@code result} (the command's text) or {@code error}.
 * Spoken directly so that {@code trace} needs no OVS tools on the machine it runs on.
 */
final class Unixctl {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String PID_FILE = "ovs-vswitchd.pid";

    private Unixctl() {}

    /** The command's text output; {@link BadInput} with the daemon's own words when it refuses. */
    static String call(Path socket, String method, List<String> params, Duration timeout) throws BadInput {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", method);
        request.put("params", params);
        request.put("id", 0);
        byte[] bytes = MAPPER.writeValueAsBytes(request);
        String where = "ovs-vswitchd's unixctl socket " + socket;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // A blocked read has no timeout of its own: closing the channel ends it.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(timeout.toMillis());
                    ch.close();
                } catch (InterruptedException | IOException done) {
                    // answered in time, or closed anyway
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer out = ByteBuffer.wrap(bytes);
                while (out.hasRemaining()) ch.write(out);
                String reply = readObject(ch, where);
                JsonNode doc = MAPPER.readTree(reply);
                JsonNode error = doc.get("error");
                if (error != null && !error.isNull()) {
                    throw new BadInput(method + " failed: " + error.asString().strip());
                }
                JsonNode result = doc.get("result");
                if (result == null || !result.isString()) {
                    throw new BadInput(where + " answered without a result");
                }
                return result.asString();
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            throw new BadInput("cannot talk to " + where + ": " + describe(e));
        } catch (JacksonException e) {
            throw new BadInput(where + " answered with something that is not JSON-RPC");
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.channels.AsynchronousCloseException
                ? "no answer in time"
                : String.valueOf(e.getMessage());
    }

    /** Reads until one complete JSON object has arrived (the daemon keeps the connection open). */
    private static String readObject(SocketChannel ch, String where) throws IOException, BadInput {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        JsonScan scan = new JsonScan();
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new BadInput(where + " closed the connection before answering");
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                text.write(b);
                if (scan.complete(b)) {
                    return text.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** Finds the end of the first top-level JSON object, byte by byte (strings and escapes respected). */
    static final class JsonScan {
        private int depth;
        private boolean inString;
        private boolean escaped;
        private boolean started;

        boolean complete(byte b) {
            if (inString) {
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') inString = false;
                return false;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> {
                    depth++;
                    started = true;
                }
                case '}', ']' -> depth--;
                default -> {}
            }
            return started && depth == 0;
        }
    }

    /**
     * The unixctl socket of the ovs-vswitchd serving {@code mgmtSocket} ({@code unix:RUNDIR/BRIDGE.mgmt}):
     * {@code RUNDIR/ovs-vswitchd.PID.ctl}, with the pid from {@code RUNDIR/ovs-vswitchd.pid}, or the only
     * such socket there.
     */
    static Path vswitchdSocket(Path mgmtSocket) throws BadInput {
        Path dir = Optional.ofNullable(mgmtSocket.toAbsolutePath().getParent()).orElse(Path.of("/"));
        try {
            Path pidFile = dir.resolve(PID_FILE);
            if (Files.isReadable(pidFile)) {
                Path s = dir.resolve("ovs-vswitchd." + Files.readString(pidFile).strip() + ".ctl");
                if (Files.exists(s)) return s;
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> sockets = files.filter(p -> {
                            String n = p.getFileName().toString();
                            return n.startsWith("ovs-vswitchd.") && n.endsWith(".ctl");
                        })
                        .toList();
                if (sockets.size() == 1) return sockets.get(0);
                throw new BadInput((sockets.isEmpty() ? "no" : "more than one") + " ovs-vswitchd.PID.ctl in " + dir
                        + ": name the unixctl socket with --appctl-socket");
            }
        } catch (IOException e) {
            throw new BadInput("cannot find ovs-vswitchd's unixctl socket in " + dir + ": " + e.getMessage()
                    + " (name it with --appctl-socket)");
        }
    }
}
