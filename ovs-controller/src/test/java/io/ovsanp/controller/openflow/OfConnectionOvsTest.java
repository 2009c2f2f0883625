package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.RoleMessage;
import io.ovsanp.controller.openflow.wire.RoleMessage.Role;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link OfConnection} against a real ovs-vswitchd (private run dir and network namespace per test). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OfConnectionOvsTest {
    static final String OURS = "cookie=0xa500000001";
    private static final String ROLE_FLOW = "table=3,priority=7," + OURS + ",ip,nw_src=10.9.9.";

    private PrivateOvs ovs;
    private Path mgmt;
    private OfConnection conn;
    private final List<OfConnection> others = new ArrayList<>();

    @BeforeEach
    void startOvs() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        mgmt = ovs.addBridge("br-int").mgmtSocket();
    }

    @AfterEach
    void stopOvs() {
        if (conn != null) {
            conn.close();
        }
        others.forEach(OfConnection::close);
        if (ovs != null) {
            ovs.close();
        }
    }

    private OfConnection connect(ConnectionConfig config) throws Exception {
        conn = SwitchConnector.connect(SwitchTarget.parse("unix:" + mgmt), Optional.empty(), config)
                .get(20, TimeUnit.SECONDS);
        return conn;
    }

    /** One more connection over the management socket, closed after the test (for role tests). */
    private OfConnection another() throws Exception {
        OfConnection first = conn;
        OfConnection c = connect(ConnectionConfig.DEFAULT);
        conn = first;
        others.add(c);
        return c;
    }

    static Flow flow(String text) {
        return OfctlParser.parseFlow(text);
    }

    static List<FlowMod> adds(OfConnection c, String... flows) {
        return List.of(flows).stream()
                .map(f -> FlowMod.add(c.nextXid(), flow(f)))
                .toList();
    }

    private String dump() {
        return ovs.ofctl("-O", "OpenFlow13", "dump-flows", "--no-stats", "br-int")
                .stdout();
    }

    @Test
    void connectsOverTheManagementSocketAndLearnsTheBridgesDatapathId() throws Exception {
        connect(ConnectionConfig.DEFAULT);
        String expected = ovs.vsctl("get", "bridge", "br-int", "datapath_id")
                .stdout()
                .strip()
                .replace("\"", "");
        assertThat(conn.datapathId()).isEqualTo(new DatapathId(Long.parseUnsignedLong(expected, 16)));
        assertThat(conn.remote()).isEqualTo("unix:" + mgmt);
        assertThat(conn.isActive()).isTrue();
        conn.barrier().get(10, TimeUnit.SECONDS);
    }

    @Test
    void dumpFlowsReturnsEveryFlowWithAnAllCookieRequestAndOnlyOursWithTheOwnerMask() throws Exception {
        ovs.ofctl(
                "-O",
                "OpenFlow13",
                "add-flow",
                "br-int",
                "table=3,priority=7,cookie=0x1234,ip,nw_src=10.9.9.9 actions=drop");
        ovs.ofctl(
                "-O",
                "OpenFlow13",
                "add-flow",
                "br-int",
                "table=3,priority=8," + OURS + ",ip,nw_src=10.0.0.1 actions=drop");
        connect(ConnectionConfig.DEFAULT);

        List<DumpedFlow> all = conn.dumpFlows(
                        new FlowStatsRequest(conn.nextXid(), Optional.empty(), new Cookie(0), 0, Match.ANY))
                .get(10, TimeUnit.SECONDS);
        List<DumpedFlow> ours =
                conn.dumpFlows(FlowStatsRequest.ours(conn.nextXid())).get(10, TimeUnit.SECONDS);

        assertThat(all).extracting(d -> d.cookie().value()).containsExactlyInAnyOrder(0x1234L, 0xa500000001L);
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).sameAs(flow("table=3,priority=8," + OURS + ",ip,nw_src=10.0.0.1 actions=drop")))
                .isTrue();
    }

    @Test
    void aBundleOfThreeGoodFlowsCommitsAndTheSwitchShowsThem() throws Exception {
        connect(ConnectionConfig.DEFAULT);
        BundleResult r = conn.bundle(adds(
                        conn,
                        "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.1 actions=drop",
                        "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.2 actions=drop",
                        "table=3,priority=0," + OURS + " actions=goto_table:4"))
                .get(10, TimeUnit.SECONDS);

        assertThat(r.flowMods()).isEqualTo(3);
        assertThat(dump())
                .contains("priority=10,ip,nw_src=10.0.0.1 actions=drop")
                .contains("priority=10,ip,nw_src=10.0.0.2 actions=drop")
                .contains("table=3, priority=0 actions=goto_table:4");
    }

    @Test
    void aBundleWithAFlowTheSwitchRefusesIsDiscardedNamesTheFlowAndKeepsTheOldFlows() throws Exception {
        connect(ConnectionConfig.DEFAULT);
        conn.bundle(adds(conn, "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.1 actions=drop"))
                .get(10, TimeUnit.SECONDS);
        String before = dump();
        List<FlowMod> mods = new ArrayList<>(adds(
                conn,
                "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.2 actions=drop",
                "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.3 actions=drop"));
        mods.add(1, BadFlows.withoutPrerequisite(conn.nextXid()));

        assertThatThrownBy(() -> conn.bundle(mods).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("discarded")
                .hasMessageContaining("OFPBMC_BAD_PREREQ")
                .hasMessageContaining(BadFlows.WITHOUT_PREREQUISITE_TEXT)
                .satisfies(e ->
                        assertThat(((BundleRejectedException) e).failures()).hasSize(1));
        assertThat(dump()).isEqualTo(before).doesNotContain("10.0.0.2");
        assertThat(conn.isActive()).isTrue();
    }

    @Test
    void aCommitThatFailsReportsTheInnerErrorAndMsgFailedAndChangesNothing() throws Exception {
        connect(ConnectionConfig.DEFAULT);
        conn.bundle(adds(conn, "table=3,priority=10," + OURS + ",ip,nw_src=10.0.0.0/8 actions=drop"))
                .get(10, TimeUnit.SECONDS);
        String before = dump();
        List<FlowMod> mods = List.of(
                FlowMod.add(conn.nextXid(), flow("table=3,priority=10," + OURS + ",ip,nw_src=11.0.0.1 actions=drop")),
                BadFlows.overlapping(
                        conn.nextXid(), flow("table=3,priority=10," + OURS + ",ip,nw_src=10.1.0.0/16 actions=drop")));

        assertThatThrownBy(() -> conn.bundle(mods).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("at commit (OFPBFC_MSG_FAILED)")
                .hasMessageContaining("OFPFMFC_OVERLAP")
                .hasMessageContaining("nw_src=10.1.0.0/16");
        assertThat(dump()).isEqualTo(before);
    }

    /** Not a benchmark assertion: prints the times (docs/ovs-notes.md §6.3 measured ~1.03 s on this VM size). */
    @Test
    void aBundleOf100kFlowModsCommits() throws Exception {
        connect(ConnectionConfig.DEFAULT);
        // Twice: the first bundle of a JVM runs the codec cold (JIT), the second re-adds the same flows warm.
        for (String round : List.of("cold JVM", "warm JVM")) {
            List<FlowMod> mods = BulkFlows.conjunctive(100_000, conn::nextXid);
            long switchCpu0 = ovs.vswitchdCpuMillis();
            long t0 = System.nanoTime();
            BundleResult r = conn.bundle(mods).get(60, TimeUnit.SECONDS);
            long bundleMs = (System.nanoTime() - t0) / 1_000_000;
            long switchCpu = ovs.vswitchdCpuMillis() - switchCpu0;
            long t1 = System.nanoTime();
            List<DumpedFlow> dumped =
                    conn.dumpFlows(FlowStatsRequest.ours(conn.nextXid())).get(60, TimeUnit.SECONDS);
            long dumpMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf(
                    "[ovs-anp] %s: 100000 flow-mods in one bundle %d ms (ovs-vswitchd CPU %d ms); dump of %d flows"
                            + " %d ms%n",
                    round, bundleMs, switchCpu, dumped.size(), dumpMs);
            assertThat(r.flowMods()).isEqualTo(100_000);
            assertThat(dumped).hasSize(100_000).allMatch(d -> !d.isOpaque());
        }
    }

    @Test
    void echoKeepsAnIdleConnectionUpOverSeveralIntervals() throws Exception {
        // The management socket's own probe is 60 s: only our echoes keep it from looking dead.
        ConnectionConfig fast = ConnectionConfig.withEchoInterval(Duration.ofMillis(300));
        connect(fast);
        Thread.sleep(1500); // five intervals; dead after three without echoes
        assertThat(conn.isActive()).isTrue();
        assertThat(conn.closeReason()).isEmpty();
        conn.barrier().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aStoppedSwitchIsDeclaredDeadWithinDeadAfterAndPendingRequestsFail() throws Exception {
        ConnectionConfig fast = ConnectionConfig.withEchoInterval(Duration.ofMillis(200));
        connect(fast);
        ovs.signalVswitchd("STOP");
        try {
            long t0 = System.nanoTime();
            var barrier = conn.barrier();
            conn.closeFuture().get(5, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // deadAfter after the last message (which came before STOP), plus a tick and scheduling slack
            assertThat(ms).isLessThan(fast.deadAfter().toMillis() + 500);
            assertThat(conn.closeReason()).hasValueSatisfying(r -> assertThat(r).startsWith("dead"));
            assertThatThrownBy(() -> barrier.get(1, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("dead");
        } finally {
            ovs.signalVswitchd("CONT");
        }
    }

    // OpenFlow roles, the facts central mode's fence rests on (docs/ovs-notes.md §5.3): MASTER demotes
    // the other master, a generation behind the largest seen is stale, and a slave's bundle is refused
    // by the switch, its flows unchanged.

    private static RoleMessage role(OfConnection c, Role role, long generation) throws Exception {
        return c.requestRole(role, generation).get(10, TimeUnit.SECONDS);
    }

    private static OfError refusal(OfConnection c, Role role, long generation) {
        try {
            role(c, role, generation);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OfErrorException oe) {
                return oe.error().error();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(role + " with generation " + generation + " was accepted");
    }

    @Test
    void aNewerMasterDemotesTheOldOneWhichCanNeitherWriteNorComeBack() throws Exception {
        OfConnection old = another();
        OfConnection newer = another();
        assertThat(role(old, Role.NOCHANGE, 0).role()).as("the default role").isEqualTo(Role.EQUAL);
        RoleMessage reply = role(old, Role.MASTER, 5);
        assertThat(reply.reply()).isTrue();
        assertThat(reply.role()).isEqualTo(Role.MASTER);
        assertThat(reply.generationId()).isEqualTo(5);
        old.bundle(adds(old, ROLE_FLOW + "1 actions=drop")).get(10, TimeUnit.SECONDS);

        assertThat(role(newer, Role.MASTER, 6).role()).isEqualTo(Role.MASTER);
        RoleMessage now = role(old, Role.NOCHANGE, 0);
        assertThat(now.role()).as("demoted by the newer master").isEqualTo(Role.SLAVE);
        assertThat(now.generationId()).isEqualTo(6);

        String before = dump();
        assertThatThrownBy(() ->
                        old.bundle(adds(old, ROLE_FLOW + "2 actions=drop")).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        BundleRejectedException.class,
                        e -> assertThat(e.failures())
                                .extracting(f -> f.error().error())
                                .containsOnly(OfError.IS_SECONDARY)
                                .isNotEmpty());
        assertThat(dump()).isEqualTo(before).contains("nw_src=10.9.9.1").doesNotContain("nw_src=10.9.9.2");

        assertThat(refusal(old, Role.MASTER, 5)).isEqualTo(OfError.ROLE_STALE);
        assertThat(refusal(old, Role.SLAVE, 5)).as("a stale SLAVE request too").isEqualTo(OfError.ROLE_STALE);
        newer.bundle(adds(newer, ROLE_FLOW + "3 actions=drop")).get(10, TimeUnit.SECONDS);
        assertThat(dump()).contains("nw_src=10.9.9.3");
    }

    @Test
    void generationsCompareAsASigned64BitDistanceAndAnEqualOneIsAccepted() throws Exception {
        OfConnection a = another();
        OfConnection b = another();
        role(a, Role.MASTER, 0x7fff_ffff_ffff_fff0L);
        // past 2^63 is "later" as a distance, not smaller as a signed number
        assertThat(role(b, Role.MASTER, 0x8000_0000_0000_0005L).role()).isEqualTo(Role.MASTER);
        assertThat(role(a, Role.MASTER, 0x8000_0000_0000_0005L).role()).isEqualTo(Role.MASTER);
        assertThat(role(b, Role.NOCHANGE, 0).role()).isEqualTo(Role.SLAVE);
        assertThat(refusal(b, Role.MASTER, 0x7fff_ffff_ffff_fff0L)).isEqualTo(OfError.ROLE_STALE);
    }
}
