package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.IpProto;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.ovs.TraceSpecs;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.TraceVerdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ovs-anp verify --switch} on a real ovs-vswitchd: equal after {@code sync}; an out-of-band
 * {@code ovs-ofctl mod-flows} or {@code del-flows} that changes verdicts is caught, and OVS's own
 * {@code ofproto/trace} of every counterexample packet gives the switch's verdict verify printed, not
 * the policy's; an out-of-band flow that changes no verdict (a narrower copy of a drop, below it) is
 * no difference: verify compares meaning, not text.
 */
class VerifySwitchIT {
    private static final String EXAMPLE = "examples/internet-blocked-intranet-allowed";
    private static final String NODE = "worker-1";

    @Test
    void verifyFindsExactlyTheOutOfBandEditsThatChangeAVerdict() throws Exception {
        Needs.ovs();
        Path repo = SyncCliIT.repo();
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(repo.resolve(EXAMPLE)));
        FlowSet compiled = Compiler.compile(
                        snapshot, PolicyValidator.validate(snapshot), NODE, Allocation.EMPTY, CompileOptions.DEFAULT)
                .flows();
        TableId adminEgress = PipelineSpec.standalone().id(PipelineSpec.ADMIN_EGRESS);
        // a drop that decides by itself, over every protocol, and a flow of the same table that allows
        Flow deny = compiled.table(adminEgress).stream()
                .filter(f -> !f.isClause()
                        && f.actions().isEmpty()
                        && f.priority().value() > 1
                        && f.match().has(Field.ETH_TYPE)
                        && !f.match().has(Field.IP_PROTO))
                .findFirst()
                .orElseThrow();
        Flow allow = compiled.table(adminEgress).stream()
                .filter(f -> !f.isClause() && !f.actions().isEmpty())
                .findFirst()
                .orElseThrow();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            String sw = "unix:" + bridge.mgmtSocket();
            Map<String, String> env = Map.of("OVS_RUNDIR", ovs.runDir().toString());
            Command.Result sync =
                    SyncCliIT.ovsAnp(ovs, "sync", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw, "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();
            Command.Result equal =
                    SyncCliIT.ovsAnp(ovs, "verify", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw);
            assertThat(equal.exit()).as(equal.output()).isZero();
            assertThat(equal.stdout()).contains("node=" + NODE + " " + sw).contains("equal to the evaluator");

            // Out of band: the drop now does what the allowing flow does.
            Command.Result mod =
                    bridge.ofctl("--strict", "mod-flows", bridge.name(), withoutCookie(withActions(deny, allow)));
            assertThat(mod.exit()).as(mod.output()).isZero();
            assertCaughtAndTraced(repo, env, bridge, sw);

            // sync puts it back; then the drop is deleted out of band.
            assertThat(SyncCliIT.ovsAnp(ovs, "sync", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw, "--once")
                            .exit())
                    .isZero();
            assertThat(SyncCliIT.ovsAnp(ovs, "verify", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw)
                            .exit())
                    .isZero();
            Command.Result del = bridge.ofctl(
                    "--strict",
                    "del-flows",
                    bridge.name(),
                    withoutCookie(OfctlRenderer.render(deny)).replaceFirst(" actions=.*$", ""));
            assertThat(del.exit()).as(del.output()).isZero();
            assertThat(bridge.dumpFlows()).hasSize(compiled.size() - 1);
            assertCaughtAndTraced(repo, env, bridge, sw);

            // Back in sync, a foreign flow below the drop, narrower than it, changes nothing.
            assertThat(SyncCliIT.ovsAnp(ovs, "sync", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw, "--once")
                            .exit())
                    .isZero();
            Flow shadowed = new Flow(
                    deny.table(),
                    new Priority(deny.priority().value() - 1),
                    new Cookie(0x5eed),
                    deny.match().with(FieldMatch.exact(Field.IP_PROTO, 6)).with(FieldMatch.exact(Field.TP_DST, 4242)),
                    allow.actions());
            Command.Result add = bridge.ofctl("add-flow", bridge.name(), OfctlRenderer.render(shadowed));
            assertThat(add.exit()).as(add.output()).isZero();
            assertThat(bridge.dumpFlows()).hasSize(compiled.size() + 1).anyMatch(f -> f.contains("cookie=0x5eed"));
            Command.Result still =
                    SyncCliIT.ovsAnp(ovs, "verify", "--cluster", EXAMPLE, "--node", NODE, "--switch", sw);
            assertThat(still.exit()).as(still.output()).isZero();
            assertThat(still.stdout()).contains((compiled.size() + 1) + " flows");

            // The same flow above the drop allows what the policy denies.
            Flow above = new Flow(
                    shadowed.table(),
                    new Priority(deny.priority().value() + 1),
                    shadowed.cookie(),
                    shadowed.match(),
                    shadowed.actions());
            assertThat(bridge.ofctl("add-flow", bridge.name(), OfctlRenderer.render(above))
                            .exit())
                    .isZero();
            assertCaughtAndTraced(repo, env, bridge, sw);
        }
    }

    /**
     * verify exits 1 with counterexamples, each of which OVS's own trace sends where verify said the
     * switch sends it (allowed), while the policy denies it.
     */
    private static void assertCaughtAndTraced(Path repo, Map<String, String> env, Bridge bridge, String sw)
            throws Exception {
        Command.Result r = io.ovsanp.it.run.OvsAnpProcess.runApart(
                repo,
                env,
                "verify",
                "--cluster",
                EXAMPLE,
                "--node",
                NODE,
                "--switch",
                sw,
                "--max-counterexamples",
                "5",
                "-o",
                "json");
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        JsonNode doc = JsonMapper.builder().build().readTree(r.stdout());
        assertThat(doc.get("equal").asBoolean()).isFalse();
        List<JsonNode> examples = new ArrayList<>();
        doc.get("counterexamples").forEach(examples::add);
        assertThat(examples).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        for (JsonNode c : examples) {
            Packet p = packet(c.get("packet"));
            TraceVerdict traced = bridge.traceFinalVerdict(traceSpec(p));
            boolean switchAllows = c.get("switch").asString().equals("ALLOW");
            assertThat(!traced.dropped())
                    .as(
                            "ofproto/trace of %s (verify: switch %s, evaluator %s)%n%s",
                            p, c.get("switch"), c.get("evaluator"), traced)
                    .isEqualTo(switchAllows);
            assertThat(c.get("evaluator").asString())
                    .isNotEqualTo(c.get("switch").asString());
        }
    }

    /** {@link TraceSpecs#of}, and for a protocol without ports or ICMP, {@code ip,nw_proto=N}. */
    private static String traceSpec(Packet p) {
        if (p.proto().isIcmp() || p.proto().hasPorts()) {
            return TraceSpecs.of(p);
        }
        boolean v6 = p.src().family() == io.ovsanp.compiler.net.IpFamily.V6;
        return (v6 ? "ipv6,ipv6_src=" : "ip,nw_src=") + p.src() + (v6 ? ",ipv6_dst=" : ",nw_dst=") + p.dst()
                + ",nw_proto=" + p.proto().number();
    }

    private static Packet packet(JsonNode p) {
        IpAddress src = IpAddress.parse(p.get("src").asString());
        IpAddress dst = IpAddress.parse(p.get("dst").asString());
        String proto = p.get("protocol").asString();
        int port = p.has("port") ? p.get("port").asInt() : 0;
        return switch (proto) {
            case "icmp" -> new Packet(src, dst, IpProto.ICMP, 0);
            case "icmpv6" -> new Packet(src, dst, IpProto.ICMPV6, 0);
            case "tcp" -> new Packet(src, dst, IpProto.TCP, port);
            case "udp" -> new Packet(src, dst, IpProto.UDP, port);
            case "sctp" -> new Packet(src, dst, IpProto.SCTP, port);
            default -> new Packet(src, dst, IpProto.other(Integer.parseInt(proto.replace("proto ", ""))), 0);
        };
    }

    private static String withActions(Flow f, Flow donor) {
        return OfctlRenderer.render(new Flow(f.table(), f.priority(), f.cookie(), f.match(), donor.actions()));
    }

    /** mod-flows and del-flows would read a cookie as a selector or a new value: leave it out. */
    private static String withoutCookie(String flow) {
        return flow.replaceFirst(",cookie=0x[0-9a-f]+", "");
    }
}
