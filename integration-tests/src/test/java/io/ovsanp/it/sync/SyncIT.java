package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.compile.MegaflowGuard;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.testing.BigCluster;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.ReconnectingSwitch;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.controller.switches.Reconciler;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against a real ovs-vswitchd: convergence, zero churn, audit, ownership, restart, refusal. */
class SyncIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private PrivateOvs ovs;
    private Bridge bridge;
    private SwitchTarget target;

    @BeforeEach
    void start() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        bridge = ovs.addBridge("br-int");
        target = SwitchTarget.parse("unix:" + bridge.mgmtSocket());
    }

    @AfterEach
    void stop() {
        if (ovs != null) ovs.close();
    }

    private OfConnection connect() throws Exception {
        return SwitchConnector.connect(target, Optional.empty()).get(30, TimeUnit.SECONDS);
    }

    static ClusterSnapshot example(String name) throws Exception {
        Path repo = Path.of(System.getProperty("ovsanp.repo", ".."))
                .toAbsolutePath()
                .normalize();
        return SnapshotLoader.load(List.of(repo.resolve("examples").resolve(name)));
    }

    @Test
    void hundredThousandFlowsConvergeThenNoChangeSendsNothingAndOnePercentSendsOnlyThat() throws Exception {
        CompileResult gen0 = Compiler.compile(BigCluster.of(2200, 0.01, 0), "n0", Allocation.EMPTY);
        assertThat(gen0.flows().size()).isGreaterThan(95_000);
        try (OfConnection c = connect()) {
            ReconcileResult first = new Reconciler(c, TIMEOUT).audit(gen0.flows());
            assertThat(first.diff().adds()).hasSize(gen0.flows().size());
        }
        assertThat(bridge.dumpFlows()).hasSize(gen0.flows().size());
        try (OfConnection c = connect()) {
            Reconciler fresh = new Reconciler(c, TIMEOUT); // a new process: learns the switch by dumping
            assertThat(fresh.audit(gen0.flows()).flowMods()).isZero();

            CompileResult gen1 = Compiler.compile(BigCluster.of(2200, 0.01, 1), "n0", gen0.allocation());
            FlowDiff core = FlowDiff.between(gen0.flows().flows(), gen1.flows());
            assertThat(core.size()).isBetween(1, gen0.flows().size() / 50);
            FlowDiff expected = MegaflowGuard.plan(gen0.flows(), gen1.flows()).diff();
            assertThat(expected.size())
                    .as("the changed flows and the megaflow guard's move (one delete, one add)")
                    .isEqualTo(core.size() + 2);
            ReconcileResult change = fresh.converge(gen1.flows());
            assertThat(change.diff()).isEqualTo(expected);
            assertThat(change.flowMods()).isEqualTo(expected.size());
            assertThat(fresh.audit(gen1.flows()).flowMods()).isZero();
        }
    }

    @Test
    void auditRepairsOutOfBandDeletesAndEdits() throws Exception {
        CompileResult r = Compiler.compile(example("node-ports-blocked"), "worker-1", Allocation.EMPTY);
        try (OfConnection c = connect()) {
            Reconciler rec = new Reconciler(c, TIMEOUT);
            rec.audit(r.flows());
            bridge.ofctl("del-flows", "--strict", bridge.target(), "table=3,priority=32550,conj_id=1");
            bridge.ofctl(
                    "-O", "OpenFlow13", "mod-flows", "--strict", bridge.target(), "table=7,priority=0,actions=drop");
            assertThat(rec.converge(r.flows()).flowMods())
                    .as("the tracked view does not see out-of-band edits")
                    .isZero();
            ReconcileResult audit = rec.audit(r.flows());
            assertThat(audit.diff().adds())
                    .filteredOn(f -> !MegaflowGuard.isGuard(f))
                    .hasSize(1);
            assertThat(audit.diff().modifies()).hasSize(1);
            assertThat(audit.diff().deletes())
                    .as("a repair is a change too: the guard moves")
                    .singleElement()
                    .matches(MegaflowGuard::isGuard);
            assertThat(rec.audit(r.flows()).flowMods()).isZero();
        }
        assertThat(bridge.dumpFlows()).hasSize(r.flows().size()).anyMatch(f -> f.contains("conj_id=1"));
    }

    @Test
    void aFlowWithAForeignCookieSurvivesEverySync() throws Exception {
        bridge.ofctl("add-flow", bridge.target(), "table=3,priority=5,cookie=0x1234,ip,nw_src=192.0.2.9 actions=drop");
        bridge.ofctl("add-flow", bridge.target(), "table=40,priority=1,cookie=0x0 actions=drop");
        try (OfConnection c = connect()) {
            Reconciler rec = new Reconciler(c, TIMEOUT);
            rec.audit(Compiler.compile(example("node-ports-blocked"), "worker-1", Allocation.EMPTY)
                    .flows());
            rec.audit(Compiler.compile(example("internet-blocked-intranet-allowed"), "worker-1", Allocation.EMPTY)
                    .flows());
            rec.audit(io.ovsanp.compiler.flow.FlowSet.of(List.of()));
        }
        assertThat(bridge.dumpFlows())
                .hasSize(2)
                .anyMatch(f -> f.contains("cookie=0x1234"))
                .anyMatch(f -> f.contains("table=40"));
    }

    @Test
    void aRestartedVswitchdIsReconvergedAfterTheReconnect() throws Exception {
        CompileResult r = Compiler.compile(example("external-dns-despite-networkpolicy"), "worker-1", Allocation.EMPTY);
        LinkedBlockingQueue<OfConnection> connected = new LinkedBlockingQueue<>();
        try (ReconnectingSwitch rs = new ReconnectingSwitch(target, Optional.empty())) {
            rs.onConnected(connected::add);
            rs.start();
            OfConnection first = connected.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            new Reconciler(first, TIMEOUT).audit(r.flows());
            assertThat(bridge.dumpFlows()).hasSize(r.flows().size());

            ovs.restartVswitchd("br-int");
            assertThat(bridge.dumpFlows())
                    .as("a restarted ovs-vswitchd starts empty")
                    .isEmpty();
            OfConnection second = connected.poll(60, TimeUnit.SECONDS);
            assertThat(second).as("reconnected").isNotNull().isNotSameAs(first);
            ReconcileResult again = new Reconciler(second, TIMEOUT).audit(r.flows());
            assertThat(again.diff().adds()).hasSize(r.flows().size());
        }
        assertThat(bridge.dumpFlows()).hasSize(r.flows().size());
    }

    @Test
    void aChangeTheSwitchRefusesLeavesThePreviousFlowsAndNamesTheFlow() throws Exception {
        CompileResult small =
                Compiler.compile(example("workloads-blocked-from-apiserver"), "worker-1", Allocation.EMPTY);
        CompileResult big = Compiler.compile(example("node-ports-blocked"), "worker-1", Allocation.EMPTY);
        int table3 = (int) small.flows().flows().stream()
                .filter(f -> f.table().value() == 3)
                .count();
        try (OfConnection c = connect()) {
            Reconciler rec = new Reconciler(c, TIMEOUT);
            rec.audit(small.flows());
            List<String> before = bridge.dumpFlows();
            // Table 3 may hold no more flows than it does now: the bigger policy cannot fit.
            ovs.limitTableFlows("br-int", 3, table3);
            assertThatThrownBy(() -> rec.converge(big.flows()))
                    .isInstanceOf(ReconcileException.class)
                    .hasMessageContaining("table=3")
                    .hasMessageContaining("OFPFMFC_TABLE_FULL");
            assertThat(bridge.dumpFlows()).containsExactlyInAnyOrderElementsOf(before);
            assertThat(rec.audit(small.flows()).flowMods())
                    .as("the view still matches the switch")
                    .isZero();
        }
    }
}
