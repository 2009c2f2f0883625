package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.it.run.OvsAnpProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ovs-anp sync --once} against a fresh bridge, then {@code bin/ovs-anp diff}: exit 0 both;
 * and continuous {@code sync} when its audits fail or its switch dies: one line each, with the cause.
 */
class SyncCliIT {
    static Path repo() {
        return Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();
    }

    static Command.Result ovsAnp(PrivateOvs ovs, String... args) {
        return OvsAnpProcess.run(repo(), Map.of("OVS_RUNDIR", ovs.runDir().toString()), args);
    }

    @Test
    void syncOnceThenDiffShowsTheSwitchHoldsTheCompiledFlows() throws Exception {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            String sw = "unix:" + bridge.mgmtSocket();
            Command.Result sync = ovsAnp(
                    ovs,
                    "sync",
                    "--cluster",
                    "examples/node-ports-blocked",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw,
                    "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();
            int expected = CompiledFlows.count(
                    Path.of("..").toAbsolutePath().normalize().resolve("examples/node-ports-blocked"), "worker-1");
            assertThat(sync.output()).contains("node=worker-1").contains("+" + expected + " ~0 -0");
            Command.Result diff = ovsAnp(
                    ovs, "diff", "--cluster", "examples/node-ports-blocked", "--node", "worker-1", "--switch", sw);
            assertThat(diff.exit()).as(diff.output()).isZero();
            assertThat(bridge.dumpFlows()).hasSize(expected).anyMatch(f -> f.contains("conj_id=1"));
            Command.Result other = ovsAnp(
                    ovs,
                    "diff",
                    "--cluster",
                    "examples/internet-blocked-intranet-allowed",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw);
            assertThat(other.exit()).as(other.output()).isEqualTo(1);
            assertThat(other.output()).contains("+ table=3").contains("- table=3");
            Command.Result json = OvsAnpProcess.runApart(
                    repo(),
                    Map.of("OVS_RUNDIR", ovs.runDir().toString()),
                    "diff",
                    "--cluster",
                    "examples/internet-blocked-intranet-allowed",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw,
                    "-o",
                    "json");
            assertThat(json.exit()).as(json.output()).isEqualTo(1);
            tools.jackson.databind.JsonNode doc =
                    tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.stdout());
            assertThat(doc.get("same").asBoolean()).isFalse();
            assertThat(doc.get("node").asString()).isEqualTo("worker-1");
            for (String part : List.of("adds", "deletes")) {
                List<String> flows = new java.util.ArrayList<>();
                doc.get(part).forEach(f -> flows.add(f.asString()));
                assertThat(flows).as(part).anyMatch(f -> f.startsWith("table=3,"));
            }
            Command.Result again = ovsAnp(
                    ovs,
                    "sync",
                    "--cluster",
                    "examples/node-ports-blocked",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw,
                    "--once");
            assertThat(again.output()).contains("+0 ~0 -0");
        }
    }

    /**
     * Every attempt fails (table 3 is too small for the policy): each failure is one line that names
     * the refused flow, not a log line and an {@code error:} line. Then ovs-vswitchd dies: one line
     * with the connection's own reason, not a failed flow dump of the dead connection every audit.
     */
    @Test
    void continuousSyncLogsEachFailedAuditOnceAndALostSwitchOnceWithTheirCauses() throws Exception {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            ovs.limitTableFlows("br-int", 3, 3);
            String cluster = "--cluster=examples/node-ports-blocked";
            String sw = "--switch=unix:" + bridge.mgmtSocket();
            try (OvsAnpProcess sync =
                    OvsAnpProcess.start(repo(), "sync", cluster, "--node=worker-1", sw, "--audit-interval=1s")) {
                sync.waitFor(() -> sync.lines("not realised").size() >= 3, "three failed attempts");
                List<String> failures = sync.lines("not realised");
                assertThat(failures)
                        .allSatisfy(l -> assertThat(l)
                                .contains("node=worker-1 not realised (its previous flows stay; attempt ")
                                .contains("): bundle of "));
                // the refused flow-mod follows each failure on a line of its own, once per failure
                String output = sync.output();
                long refused = output.lines()
                        .filter(l -> l.contains("OFPFMFC_TABLE_FULL") && l.contains("table=3"))
                        .count();
                long failed =
                        output.lines().filter(l -> l.contains("not realised")).count();
                assertThat(refused).as(output).isBetween(failed - 1, failed); // the last may be half written
                assertThat(output).as("no second report of the same failure").doesNotContain("error: bundle");

                ovs.killVswitchd();
                sync.waitFor(() -> !sync.lines("lost the switch").isEmpty(), "the lost switch");
                int failedBefore = sync.lines("not realised").size();
                Thread.sleep(4_000); // four audit intervals with the switch gone
                assertThat(sync.lines("lost the switch"))
                        .singleElement()
                        .satisfies(l -> assertThat(l)
                                .contains("node=worker-1 lost the switch at unix:" + bridge.mgmtSocket() + ": ")
                                .endsWith("; reconnecting"));
                assertThat(sync.lines("not realised"))
                        .as("no attempt on the dead connection%n%s", sync.output())
                        .hasSizeLessThanOrEqualTo(failedBefore + 1); // one may have been under way
                assertThat(sync.output()).doesNotContain("flow dump failed");
                assertThat(sync.terminate(Duration.ofSeconds(30))).isNotNull();
            }
        }
    }
}
