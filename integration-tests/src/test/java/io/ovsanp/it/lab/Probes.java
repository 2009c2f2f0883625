package io.ovsanp.it.lab;

import io.ovsanp.it.lab.Lab.Host;
import io.ovsanp.testkit.Command;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Expected verdicts of real packets sent from one pod, checked together (in parallel) by {@link
 * #check}. A TCP probe is {@code nc -z -w 2}: {@link Verdict#OPEN} (connected), {@link
 * Verdict#REFUSED} (a RST came back: the packet was allowed and reached a closed port) or {@link
 * Verdict#TIMEOUT} (nothing came back: dropped). A policy Deny must time out, never be refused. A
 * UDP probe is {@code OPEN} when an answer came back: the lab's UDP servers echo, except on port 53,
 * where a UDP probe is a real DNS query (for {@code internet.example} A) and any DNS reply to it
 * counts, whatever its answer (the external host {@code dns} runs the lab's DNS server, {@code
 * dnsmasq}; a TCP probe of port 53 stays a connect). {@link #tcp6} and {@link #ping6} probe a host's
 * IPv6 address from the pod's ({@code nc -6}, {@code ping -6}).
 */
final class Probes {
    /**
     * What a probe saw. UDP and ICMP probes are {@code OPEN} when the echo (to port 53: a DNS reply)
     * came back.
     */
    enum Verdict {
        OPEN,
        REFUSED,
        TIMEOUT
    }

    private record Expectation(String proto, Host to, int port, Verdict verdict, boolean v6) {
        /** The destination address: the host's IPv6 address for an IPv6 probe. */
        String address() {
            return v6 ? to.ip6() : to.ip();
        }

        String describe() {
            String a = v6 ? "[" + address() + "]" : address();
            return proto + (v6 ? "6" : "") + " " + to.name() + " (" + a + (port > 0 ? ":" + port : "") + ")";
        }

        String traceFlow(String src) {
            if (v6) {
                return switch (proto) {
                    case "tcp", "udp" -> proto + "6,ipv6_src=" + src + ",ipv6_dst=" + address() + ",tp_dst=" + port;
                    default -> "icmp6,ipv6_src=" + src + ",ipv6_dst=" + address() + ",icmpv6_type=128";
                };
            }
            return switch (proto) {
                case "tcp", "udp" -> proto + ",nw_src=" + src + ",nw_dst=" + to.ip() + ",tp_dst=" + port;
                default -> "icmp,nw_src=" + src + ",nw_dst=" + to.ip() + ",icmp_type=8";
            };
        }
    }

    /** The ID of the DNS query a UDP probe of port 53 sends (its reply carries it back). */
    private static final int DNS_QUERY_ID = 0x6c61;

    /**
     * The DNS query of a UDP probe of port 53: ID {@link #DNS_QUERY_ID}, recursion desired, one
     * question, {@code internet.example} type A class IN; as octal escapes for the pod's {@code printf}.
     */
    private static final String DNS_QUERY = printfEscaped(dnsQuery(DNS_QUERY_ID, "internet.example"));

    private static final ExecutorService POOL = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "lab-probe");
        t.setDaemon(true);
        return t;
    });

    private final Lab lab;
    private final Host from;
    private final List<Expectation> expected = new ArrayList<>();
    private String source;

    Probes(Lab lab, Host from) {
        this.lab = lab;
        this.from = from;
    }

    /**
     * Sends every probe from source address {@code ip} (one the pod added to its interface, e.g. to
     * forge another identity) instead of the pod's own.
     */
    Probes source(String ip) {
        this.source = ip;
        return this;
    }

    private String sourceIp() {
        return source != null ? source : from.ip();
    }

    /** The source of an IPv6 probe: the pod's own IPv6 address ({@link #source} is IPv4 only). */
    private String sourceIp6() {
        return from.ip6();
    }

    /** Expects TCP to {@code host}:{@code port} to be {@code verdict}. */
    Probes tcp(String host, int port, Verdict verdict) {
        expected.add(new Expectation("tcp", lab.host(host), port, verdict, false));
        return this;
    }

    /** Expects TCP to {@code host}'s IPv6 address, port {@code port}, to be {@code verdict}. */
    Probes tcp6(String host, int port, Verdict verdict) {
        expected.add(new Expectation("tcp", v6Host(host), port, verdict, true));
        return this;
    }

    /**
     * Expects a UDP datagram to {@code host}:{@code port} to be answered ({@code true}) or not: echoed
     * by the lab's UDP servers; to port 53 a DNS query, answered by the lab's DNS server.
     */
    Probes udp(String host, int port, boolean echoed) {
        expected.add(new Expectation("udp", lab.host(host), port, echoed ? Verdict.OPEN : Verdict.TIMEOUT, false));
        return this;
    }

    /** Expects a ping of {@code host} to be answered ({@code true}) or not. */
    Probes ping(String host, boolean answered) {
        expected.add(new Expectation("icmp", lab.host(host), 0, answered ? Verdict.OPEN : Verdict.TIMEOUT, false));
        return this;
    }

    /** Expects a ping of {@code host}'s IPv6 address ({@code ping -6}) to be answered or not. */
    Probes ping6(String host, boolean answered) {
        expected.add(new Expectation("icmp", v6Host(host), 0, answered ? Verdict.OPEN : Verdict.TIMEOUT, true));
        return this;
    }

    private Host v6Host(String host) {
        Host h = lab.host(host);
        if (!h.hasIp6() || !from.hasIp6()) {
            throw new IllegalArgumentException("an IPv6 probe from " + from.name() + " to " + host
                    + " needs IPv6 addresses on both (hosts.tsv: " + from.ip6() + ", " + h.ip6() + ")");
        }
        return h;
    }

    /**
     * Sends every probe; a mismatch is retried for up to {@code patience} (the realisation may still
     * be on its way: central mode has no converge report to wait for). Fails with the node's flows
     * and an {@code ofproto/trace} of every mismatching packet.
     */
    void check(String when, Duration patience) {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        List<String> mismatches;
        int rounds = 0;
        while (true) {
            rounds++;
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (Expectation e : expected) {
                results.add(CompletableFuture.supplyAsync(() -> mismatch(e), POOL));
            }
            mismatches = results.stream()
                    .map(CompletableFuture::join)
                    .filter(m -> !m.isEmpty())
                    .toList();
            if (mismatches.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Lab.sleep(200);
        }
        if (rounds > 1) {
            System.out.println("[lab] " + when + ", from " + from.name() + ": " + rounds + " rounds, "
                    + (System.nanoTime() - start) / 1_000_000 + " ms" + (mismatches.isEmpty() ? "" : " (gave up)"));
        }
        if (!mismatches.isEmpty()) {
            StringBuilder msg = new StringBuilder(when + ": from " + from.name() + " (" + sourceIp() + " on "
                    + from.node() + "), " + mismatches.size() + " of " + expected.size() + " probes wrong:\n");
            mismatches.forEach(m -> msg.append("  ").append(m).append('\n'));
            msg.append("flows of ").append(from.node()).append(":\n").append(lab.flows(from.node()));
            for (Expectation e : expected) {
                if (!mismatch(e).isEmpty()) {
                    msg.append("trace of ")
                            .append(e.describe())
                            .append(":\n")
                            .append(lab.trace(from, e.traceFlow(e.v6() ? sourceIp6() : sourceIp())));
                }
            }
            msg.append(lab.datapath(from));
            // A destination that is itself a node: its side of the path (its flows, what its datapath did).
            expected.stream()
                    .filter(e -> "node".equals(e.to().kind()) && !e.to().name().equals(from.node()))
                    .filter(e -> !mismatch(e).isEmpty())
                    .map(e -> e.to().name())
                    .distinct()
                    .forEach(n -> msg.append("flows of ")
                            .append(n)
                            .append(" (the destination):\n")
                            .append(lab.flows(n))
                            .append(lab.datapath(lab.host(n))));
            System.out.println(msg);
            throw new AssertionError(msg.toString());
        }
    }

    /**
     * Checks with 30 s of patience: a correct verdict returns at once; the patience only covers a
     * loaded CI machine where a node's sync or OVS's revalidation of cached datapath flows runs late
     * (realisation latency is measured by lab/latency.sh, not asserted here).
     */
    void check(String when) {
        check(when, Duration.ofSeconds(30));
    }

    /** Empty when the probe saw the expected verdict, else what it saw. */
    private String mismatch(Expectation e) {
        Verdict seen;
        try {
            seen = probe(e);
        } catch (IllegalStateException unexpected) {
            // e.g. "No route to host" (no neighbour for the gateway): a wrong verdict too, reported
            // with the flows and traces rather than thrown past them.
            return e.describe() + ": expected " + e.verdict() + ", saw " + unexpected.getMessage();
        }
        return seen == e.verdict() ? "" : e.describe() + ": expected " + e.verdict() + ", saw " + seen;
    }

    private Verdict probe(Expectation e) {
        String ip = e.address();
        if (e.v6()) {
            return switch (e.proto()) {
                case "tcp" -> tcpResult(inPod("nc", "-6", "-vz", "-w", "2", ip, Integer.toString(e.port())));
                case "icmp" -> inPod("ping", "-6", "-c", "1", "-W", "2", ip).ok() ? Verdict.OPEN : Verdict.TIMEOUT;
                default -> throw new IllegalArgumentException("no IPv6 " + e.proto() + " probe");
            };
        }
        return switch (e.proto()) {
            case "tcp" -> tcp(ip, e.port());
            case "udp" -> udp(ip, e.port());
            default -> ping(ip);
        };
    }

    private Verdict tcp(String ip, int port) {
        return tcpResult(
                source == null
                        ? inPod("nc", "-vz", "-w", "2", ip, Integer.toString(port))
                        : inPod("nc", "-vz", "-w", "2", "-s", source, ip, Integer.toString(port)));
    }

    private static Verdict tcpResult(Command.Result r) {
        if (r.ok()) {
            return Verdict.OPEN;
        }
        if (r.output().contains("refused")) {
            return Verdict.REFUSED;
        }
        if (r.output().contains("timed out")) {
            return Verdict.TIMEOUT;
        }
        throw new IllegalStateException("unexpected nc result: " + r);
    }

    private Verdict udp(String ip, int port) {
        if (port == 53) {
            return dns(ip);
        }
        // The lab's UDP servers echo; nc prints the echo and gives up 2 s after its input ends.
        Command.Result r = inPod(
                "sh",
                "-c",
                "echo lab-probe | nc -u -w 2 ${2:+-s \"$2\"} \"$0\" \"$1\"",
                ip,
                Integer.toString(port),
                source == null ? "" : source);
        return r.output().contains("lab-probe") ? Verdict.OPEN : Verdict.TIMEOUT;
    }

    /**
     * A DNS query to {@code ip}, UDP port 53: {@code OPEN} on any DNS reply to it (its ID, the QR
     * bit set), whatever its answer. nc prints the reply, which od turns into hex, and gives up 2 s
     * after its input ends.
     */
    private Verdict dns(String ip) {
        Command.Result r = inPod(
                "sh",
                "-c",
                "printf 'reply:%s\\n' \"$(printf \"$3\" | nc -u -w 2 ${2:+-s \"$2\"} \"$0\" \"$1\" | od -An -v -tx1 | tr -d ' \\n')\"",
                ip,
                "53",
                source == null ? "" : source,
                DNS_QUERY);
        return r.output()
                        .lines()
                        .filter(l -> l.startsWith("reply:"))
                        .anyMatch(l -> isDnsReply(l.substring("reply:".length())))
                ? Verdict.OPEN
                : Verdict.TIMEOUT;
    }

    /** Whether {@code hex} (a datagram, two hex digits a byte) is a DNS reply to the probes' query. */
    static boolean isDnsReply(String hex) {
        if (!hex.matches("([0-9a-f]{2}){12,}")) {
            return false; // nothing, or shorter than a DNS header
        }
        byte[] m = HexFormat.of().parseHex(hex);
        int id = (m[0] & 0xff) << 8 | (m[1] & 0xff);
        boolean qr = (m[2] & 0x80) != 0;
        return id == DNS_QUERY_ID && qr;
    }

    /** A DNS query: header (ID, RD set, one question), then {@code name} type A (1) class IN (1). */
    static byte[] dnsQuery(int id, String name) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            q.write(b.length);
            q.writeBytes(b);
        }
        q.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return q.toByteArray();
    }

    /** {@code bytes} as a printf format that prints exactly them: an octal escape each. */
    static String printfEscaped(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("\\%03o", b & 0xff));
        }
        return s.toString();
    }

    private Verdict ping(String ip) {
        Command.Result r = source == null
                ? inPod("ping", "-c", "1", "-W", "2", ip)
                : inPod("ping", "-c", "1", "-W", "2", "-I", source, ip);
        return r.ok() ? Verdict.OPEN : Verdict.TIMEOUT;
    }

    private Command.Result inPod(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", from.netns()));
        cmd.addAll(List.of(command));
        return Lab.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
    }
}
