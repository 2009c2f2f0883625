package io.ovsanp.it.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.OfErrorException;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.wire.MeterMod;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.switches.Reconciler;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Continuations on a real ovs-vswitchd (docs/ovs-notes.md §2.7): a UDP packet to port 53 goes through
 * conntrack (zone 5), gets reg0=5 and an audit-style copy, and is paused by {@code controller(pause)}
 * before {@code set_field:0x9->reg2,goto_table:2}. Table 2 counts it only with reg0, reg2, ct_state
 * and ct_zone all as they were set, so its counter says whether the packet went on and with what.
 * The flows are installed by the reconciler through our codec, and the packets come from {@code
 * packet-out ... actions=table}: conntrack and the tables run in the datapath.
 */
class ContinuationIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final long METER = 77;
    static final String PACKET = "udp,nw_src=10.244.0.1,nw_dst=10.96.0.10,nw_ttl=64,udp_src=40000,udp_dst=53";

    static final Cookie PAUSING = Cookie.of(1, Cookie.Category.PIPELINE, 2);

    /** Table 1's flow: the copy, reg0, the pause, then what must survive it. */
    static final String PAUSE_FLOW = "table=1,priority=10,cookie=" + PAUSING.hex()
            + ",ct_state=+new+trk,udp actions=controller(max_len=128,meter_id=" + METER
            + "),set_field:0x5->reg0,controller(pause),set_field:0x9->reg2,goto_table:2";

    static final List<String> FLOWS = List.of(
            "table=0,priority=10,cookie=0x1a500000001,udp,tp_dst=53 actions=ct(table=1,zone=5)",
            PAUSE_FLOW,
            // counts the packet only if everything set before and after the pause is there
            "table=2,priority=10,cookie=0x1a500000003,ct_state=+new+trk,ct_zone=5,udp,reg0=0x5,reg2=0x9"
                    + " actions=goto_table:3",
            "table=2,priority=0,cookie=0x1a500000004 actions=drop",
            "table=3,priority=0,cookie=0x1a500000005 actions=drop");

    private PrivateOvs ovs;
    private Bridge bridge;
    private final List<OfConnection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        bridge = ovs.addBridge("br-int");
    }

    @AfterEach
    void stop() {
        connections.forEach(OfConnection::close);
        if (ovs != null) ovs.close();
    }

    /** Packet-ins of one connection, queued as they arrive. */
    static final class Inbox implements PacketInSink {
        final BlockingQueue<PacketIn> received = new LinkedBlockingQueue<>();
        final boolean continuations;

        Inbox(boolean continuations) {
            this.continuations = continuations;
        }

        @Override
        public void accept(OfConnection from, PacketIn packetIn) {
            received.add(packetIn);
        }

        @Override
        public boolean wantsContinuations() {
            return continuations;
        }

        PacketIn next(Predicate<PacketIn> what, String description) throws InterruptedException {
            for (; ; ) {
                PacketIn p = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (p == null) throw new AssertionError("no packet-in " + description + " within " + TIMEOUT);
                if (what.test(p)) return p;
            }
        }
    }

    private OfConnection connect(Bridge b, PacketInSink sink) throws Exception {
        OfConnection c = SwitchConnector.connect(
                        SwitchTarget.parse("unix:" + b.mgmtSocket()),
                        Optional.empty(),
                        ConnectionConfig.DEFAULT.withPacketIns(sink))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        connections.add(c);
        return c;
    }

    /** Installs {@link #FLOWS} and the copy's meter through our codec; OVS must dump them as we encode them. */
    private void install(OfConnection c) throws Exception {
        c.request(new MeterMod(c.nextXid(), MeterMod.Command.ADD, METER, 1000, 0))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        FlowSet flows = FlowSet.of(FLOWS.stream().map(OfctlParser::parseFlow).toList());
        new Reconciler(c, TIMEOUT).audit(flows);
        // controller(pause) reads back exactly as encoded: a fresh reconciler finds nothing to change
        assertThat(new Reconciler(c, TIMEOUT).audit(flows).flowMods())
                .as(flows())
                .isZero();
        assertThat(bridge.dumpFlows()).as(flows()).anyMatch(l -> l.contains("controller(pause)"));
    }

    private String flows() {
        return "flows:\n" + bridge.dumpFlowsText(true);
    }

    private long pausing() {
        return bridge.packetsOf("set_field:0x5->reg0,controller(pause)");
    }

    /** Table 2's flow that needs reg0, reg2, ct_state and ct_zone as set before and after the pause. */
    private long continued() {
        return bridge.packetsOf("reg2=0x9");
    }

    private long lost() {
        return bridge.packetsOf("table=2, n_packets") - continued();
    }

    private void await(LongSupplier counter, long value, String what) {
        Wait.until(() -> counter.getAsLong() == value, TIMEOUT, Duration.ofMillis(100), what + "\n" + flows());
    }

    @Test
    void aPausedPacketWaitsUntilResumedAndGoesOnWithItsRegistersAndConntrackState() throws Exception {
        Inbox inbox = new Inbox(true);
        OfConnection c = connect(bridge, inbox);
        install(c);

        bridge.sendThroughPipeline(PACKET);
        // the copy: with the NXT_PACKET_IN2 format set, it comes as one too, with cookie and table
        PacketIn copy = inbox.next(p -> !p.isPaused(), "copy");
        assertThat(copy.format()).isEqualTo(PacketIn.Format.NXT_PACKET_IN2);
        assertThat(copy.cookie()).isEqualTo(PAUSING.value());
        assertThat(copy.tableId()).isEqualTo(1);
        assertThat(copy.reason()).isEqualTo(PacketIn.REASON_ACTION);
        PacketIn paused = inbox.next(PacketIn::isPaused, "paused");
        assertThat(paused.format()).isEqualTo(PacketIn.Format.NXT_PACKET_IN2);
        assertThat(paused.data()).as("the whole frame").isEqualTo(copy.data());
        assertThat(paused.totalLen()).isEqualTo(paused.data().length());
        // OVS 3.1 gives a paused packet table 0, and the pausing flow's cookie only after a
        // ct(table=...) recirculation, as here (docs/ovs-notes.md §2.7 item 3)
        assertThat(paused.tableId()).isZero();
        assertThat(paused.cookie()).isEqualTo(PAUSING.value());
        assertThat(paused.rawMatch().hex())
                .as("reg0=5 and ct_zone=5 in the metadata")
                .contains("0001000400000005")
                .contains("0001d4020005");

        c.barrier().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pausing()).as(flows()).isEqualTo(1);
        assertThat(continued()).as("held: not past the pause\n" + flows()).isZero();
        assertThat(lost()).as(flows()).isZero();

        c.resume(paused).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(this::continued, 1, "the resumed packet in table 2 with reg0, reg2, ct_state and ct_zone");
        assertThat(lost()).as(flows()).isZero();
        assertThat(bridge.packetsOf("table=3, n_packets")).as(flows()).isEqualTo(1);
        assertThat(pausing())
                .as("resumed after the pause, not from the start\n" + flows())
                .isEqualTo(1);
        c.barrier().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(inbox.received).as("no second pause, no second copy").isEmpty();
    }

    /**
     * The continuation carries the rest of the pausing flow's actions; the tables after it are looked
     * up when the packet resumes. The switch keeps nothing: a continuation resumes as often as it is
     * sent.
     */
    @Test
    void aResumeAfterTheFlowsChangedRunsTheOldFlowsRestAgainstTheNewTablesAndEachResumeRunsIt() throws Exception {
        Inbox inbox = new Inbox(true);
        OfConnection c = connect(bridge, inbox);
        install(c);
        bridge.sendThroughPipeline(PACKET);
        PacketIn paused = inbox.next(PacketIn::isPaused, "paused");

        // table 1 now drops, and table 2 has a different flow for reg2=9 (going to table 4)
        bridge.ofctl("-O", "OpenFlow13", "mod-flows", bridge.target(), "table=1,udp actions=drop");
        bridge.ofctl("-O", "OpenFlow13", "del-flows", bridge.target(), "table=2");
        bridge.addFlows("table=2,priority=20,reg2=0x9 actions=goto_table:4\n"
                + "table=2,priority=0 actions=drop\n"
                + "table=4,priority=0 actions=drop\n");
        assertThat(bridge.dumpFlows()).as(flows()).noneMatch(l -> l.contains("controller(pause)"));

        c.resume(paused).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(() -> bridge.packetsOf("table=4, n_packets"), 1, "the old flow's reg2=9 meeting the new table 2");
        assertThat(bridge.packetsOf("table=2, n_packets"))
                .as("only the new reg2=9 flow\n" + flows())
                .isEqualTo(1);

        c.resume(paused).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(() -> bridge.packetsOf("table=4, n_packets"), 2, "the same continuation resumed a second time");
    }

    /** Without a connection in NXT_PACKET_IN2 format nobody can resume the packet: it is dropped. */
    @Test
    void withoutAConnectionThatTakesContinuationsThePausedPacketIsLost() throws Exception {
        Inbox standard = new Inbox(false);
        OfConnection c = connect(bridge, standard);
        install(c);

        bridge.sendThroughPipeline(PACKET);
        standard.next(p -> !p.rawMatch().hex().contains("0001000400000005"), "copy");
        PacketIn pausedAsPlain = standard.next(p -> p.rawMatch().hex().contains("0001000400000005"), "pause");
        assertThat(pausedAsPlain.format()).isEqualTo(PacketIn.Format.OPENFLOW13);
        assertThat(pausedAsPlain.isPaused())
                .as("no continuation in OFPT_PACKET_IN")
                .isFalse();
        assertThatThrownBy(() -> c.resume(pausedAsPlain)).isInstanceOf(IllegalArgumentException.class);
        c.close();

        bridge.sendThroughPipeline(PACKET.replace("udp_src=40000", "udp_src=40001"));
        assertThat(pausing()).as(flows()).isEqualTo(2);
        assertThat(continued()).as(flows()).isZero();
        assertThat(lost())
                .as("stopped at the pause, not dropped by table 2\n" + flows())
                .isZero();
    }

    /**
     * A continuation names its bridge (by the Bridge row's uuid): any connection to the same
     * ovs-vswitchd resumes it there, and once that bridge is gone it is refused with NXR_STALE
     * (docs/ovs-notes.md §2.7).
     */
    @Test
    void aContinuationResumesOnItsOwnBridgeWhateverConnectionSendsItAndIsStaleOnceThatBridgeIsGone() throws Exception {
        Inbox inbox = new Inbox(true);
        OfConnection c = connect(bridge, inbox);
        install(c);
        Bridge otherBridge = ovs.addBridge("br-other");
        otherBridge.addFlows("priority=0 actions=drop\n");
        OfConnection other = connect(otherBridge, new Inbox(true));

        bridge.sendThroughPipeline(PACKET);
        PacketIn first = inbox.next(PacketIn::isPaused, "paused");
        other.resume(first).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(this::continued, 1, "the packet resumed on br-int through br-other's connection");
        assertThat(otherBridge.packetsOf("n_packets"))
                .as(otherBridge.dumpFlowsText(true))
                .isZero();

        bridge.sendThroughPipeline(PACKET.replace("udp_src=40000", "udp_src=40001"));
        PacketIn second = inbox.next(PacketIn::isPaused, "second paused");
        ovs.vsctl("del-br", "br-int");
        assertThatThrownBy(() -> other.resume(second).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        OfErrorException.class,
                        e -> assertThat(e.error().error()).isEqualTo(OfError.RESUME_STALE));
    }
}
