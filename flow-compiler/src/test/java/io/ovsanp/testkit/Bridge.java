package io.ovsanp.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bridge of a {@link PrivateOvs}, driven through its built-in {@code <br>.mgmt} service socket
 * (the same socket the controller's agent mode uses; docs/ovs-notes.md §5.3).
 */
public final class Bridge {
    /** Header lines of a dump, e.g. {@code NXST_FLOW reply (xid=0x4):} under OpenFlow 1.0. */
    private static final Pattern REPLY_HEADER = Pattern.compile("^[A-Z0-9_]+ reply \\(.*");
    /** Where ovs-ofctl names a bad line of its standard input: {@code -:N: ...}. */
    private static final Pattern STDIN_LINE = Pattern.compile("-:(\\d+):");

    private final PrivateOvs ovs;
    private final String name;
    private final Path mgmtSocket;

    Bridge(PrivateOvs ovs, String name, Path mgmtSocket) {
        this.ovs = ovs;
        this.name = name;
        this.mgmtSocket = mgmtSocket;
    }

    public String name() {
        return name;
    }

    public Path mgmtSocket() {
        return mgmtSocket;
    }

    /** The ovs-ofctl switch argument for this bridge, {@code unix:<rundir>/<br>.mgmt}. */
    public String target() {
        return "unix:" + mgmtSocket;
    }

    /**
     * Adds flows written in ovs-ofctl syntax, one per line, as one atomic OpenFlow 1.3 (ONF) bundle.
     * Blank lines and {@code #} comments are allowed. The text is read by ovs-ofctl from standard
     * input ({@code -}). Throws {@link CommandException} with ovs-ofctl's error, and the line it
     * names, when any flow is rejected; then none of them is added.
     */
    public void addFlows(String flows) {
        try {
            ovs.command("ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", target(), "-")
                    .stdin(flows)
                    .runOrThrow();
        } catch (CommandException e) {
            Matcher m = STDIN_LINE.matcher(e.getMessage());
            List<String> lines = flows.lines().toList();
            if (m.find() && Integer.parseInt(m.group(1)) <= lines.size()) {
                throw new CommandException(
                        e.getMessage() + "\nline: " + lines.get(Integer.parseInt(m.group(1)) - 1), e);
            }
            throw e;
        }
    }

    /** Deletes every flow, then adds {@code lines} in one bundle (see {@link #addFlows}). */
    public void replaceFlows(Collection<String> lines) {
        delFlows();
        addFlows(String.join("\n", lines) + "\n");
    }

    /**
     * The flows as OVS prints them ({@code --no-stats}, OpenFlow 1.3), one trimmed line per flow, in
     * the switch's order (not sorted). Table 0 flows have no {@code table=} prefix; a cookie, when
     * non-zero, comes first.
     */
    public List<String> dumpFlows() {
        List<String> flows = new ArrayList<>();
        for (String line : dumpFlowsText(false).lines().toList()) {
            String flow = line.strip();
            if (!flow.isEmpty() && !REPLY_HEADER.matcher(flow).matches()) {
                flows.add(flow);
            }
        }
        return flows;
    }

    /** The raw OpenFlow 1.3 {@code dump-flows} output, with statistics or {@code --no-stats}. */
    public String dumpFlowsText(boolean stats) {
        return stats
                ? ofctl("-O", "OpenFlow13", "dump-flows", target()).stdout()
                : ofctl("-O", "OpenFlow13", "--no-stats", "dump-flows", target())
                        .stdout();
    }

    /** Deletes every flow in every table. */
    public void delFlows() {
        ofctl("-O", "OpenFlow13", "del-flows", target());
    }

    /**
     * Runs {@code ovs-appctl ofproto/trace <br> <flowSpec> [extraArgs]} and returns its output.
     *
     * <p>Flow spec notes (OVS 3.1): the default {@code in_port} is ANY; each recirculation after
     * {@code ct(table=…)} resumes with {@code ct_state=trk|new} unless {@code extraArgs} holds
     * {@code "--ct-next", "trk,est"} (one flag set per ct action); {@code tp_dst} works only for TCP,
     * UDP and SCTP need {@code udp_dst}/{@code sctp_dst}; prerequisites ({@code ip}, {@code tcp}, …)
     * must come before the fields that need them.
     */
    public String trace(String flowSpec, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("ofproto/trace", name, flowSpec));
        args.addAll(List.of(extraArgs));
        return ovs.appctl(args.toArray(String[]::new)).stdout();
    }

    /** {@link #trace} reduced to the datapath actions of the last recirculation. */
    public TraceVerdict traceFinalVerdict(String flowSpec, String... extraArgs) {
        return TraceVerdict.parse(trace(flowSpec, extraArgs));
    }

    /**
     * Sends one real packet through the bridge's pipeline from table 0 as if it had come in on the
     * bridge's LOCAL port: {@code ovs-ofctl compose-packet} builds the frame from {@code flowSpec}
     * (e.g. {@code udp,nw_src=…,nw_dst=…,nw_ttl=64,udp_src=…,udp_dst=53}; Ethernet addresses are
     * added; checksums are right, so the userspace conntrack does not mark it invalid) and {@code
     * packet-out … table} runs it through conntrack, the tables and their counters in the datapath.
     */
    public void sendThroughPipeline(String flowSpec) {
        String dump = ovs.ofctl("compose-packet", "eth_src=00:00:00:00:00:01,eth_dst=00:00:00:00:00:02," + flowSpec)
                .stdout();
        StringBuilder hex = new StringBuilder();
        for (String line : dump.lines().toList()) {
            // "00000000  00 00 ... 00-00 ...  |ascii|": the bytes between the offset and the ascii column
            String bytes = line.length() > 10 ? line.substring(10, Math.min(line.length(), 58)) : "";
            hex.append(bytes.replaceAll("[^0-9a-fA-F]", ""));
        }
        ovs.ofctl("-O", "OpenFlow13", "packet-out", target(), "LOCAL", "table", hex.toString());
    }

    /** The packets counted by the flows whose dump line (with statistics) contains {@code flowPart}, summed. */
    public long packetsOf(String flowPart) {
        long n = 0;
        java.util.regex.Pattern count = java.util.regex.Pattern.compile("n_packets=(\\d+)");
        for (String line : dumpFlowsText(true).lines().toList()) {
            java.util.regex.Matcher m = count.matcher(line);
            if (line.contains(flowPart) && m.find()) n += Long.parseLong(m.group(1));
        }
        return n;
    }

    /** Runs {@code ovs-ofctl} with {@code args} as given (pass {@link #target()} where it goes); throws unless it succeeds. */
    public Command.Result ofctl(String... args) {
        return ovs.ofctl(args);
    }

    /**
     * The flow dump as one string, for assertion messages (docs/style.md, "Tests, in layers": print the
     * flows on failure).
     */
    public String describe() {
        return "flows of " + name + ":\n  " + String.join("\n  ", dumpFlows());
    }
}
