package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness against a real OVS 3.1: the example pipeline (docs/architecture.md, "The pipeline")
 * loads and dumps in OVS's canonical text, ofproto/trace gives the verdicts the pipeline
 * means, and the private instances start side by side and leave nothing behind.
 */
class PrivateOvsTest {
    private PrivateOvs ovs;
    private Bridge br;

    @BeforeEach
    void startOvsWithExamplePipeline() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        br = ovs.addBridge("br0");
        br.addFlows(resource("example-pipeline.flows"));
    }

    @AfterEach
    void stopOvs() {
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    void examplePipelineDumpsInCanonicalForm() {
        List<String> expected = resource("example-pipeline.dump").lines().toList();
        assertThat(br.dumpFlows()).as(br.describe()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void conjunctionWithEveryClauseMatchedDropsNewConnection() {
        TraceVerdict v = br.traceFinalVerdict("tcp,nw_src=10.0.0.1,nw_dst=192.168.1.1,tp_dst=80");
        assertThat(v.dropped()).as("%s%n%s", v, br.describe()).isTrue();
        assertThat(v.trace())
                .contains("resume conntrack with default ct_state=trk|new")
                .contains("3. conj_id=7, priority 1000");
    }

    @Test
    void everyPortClauseCompletesTheConjunction() {
        // In a trace spec tp_dst means tcp_dst; UDP and SCTP need their own field names.
        for (String spec : List.of(
                "tcp,nw_src=10.0.0.1,nw_dst=192.168.200.9,tp_dst=95",
                "udp,nw_src=10.0.0.1,nw_dst=192.168.3.3,udp_dst=53",
                "sctp,nw_src=10.0.0.1,nw_dst=192.168.3.3,sctp_dst=9")) {
            TraceVerdict v = br.traceFinalVerdict(spec);
            assertThat(v.dropped()).as("%s: %s%n%s", spec, v, br.describe()).isTrue();
        }
    }

    @Test
    void portOutsideTheMaskedRangeIsAllowedAndCommitted() {
        for (String port : List.of("22", "96")) {
            TraceVerdict v = br.traceFinalVerdict("tcp,nw_src=10.0.0.1,nw_dst=192.168.1.1,tp_dst=" + port);
            assertThat(v.dropped())
                    .as("port %s: %s%n%s", port, v, br.describe())
                    .isFalse();
            assertThat(v.datapathActions()).startsWith("ct(commit,zone=65000)");
            assertThat(v.trace()).contains("7. priority 0", "NORMAL");
        }
    }

    @Test
    void partialConjunctionFallsThroughToLowerPriority() {
        // Clauses 1 (src) and 3 (port) match, clause 2 (dst) does not: no conj_id=7 lookup.
        TraceVerdict v = br.traceFinalVerdict("tcp,nw_src=10.0.0.1,nw_dst=10.9.9.9,tp_dst=80");
        assertThat(v.dropped()).as("%s%n%s", v, br.describe()).isFalse();
        assertThat(v.trace()).doesNotContain("conj_id=7").contains("3. priority 0");
    }

    @Test
    void ipv6ConjunctionAllowsStraightToCommit() {
        TraceVerdict v = br.traceFinalVerdict("tcp6,ipv6_src=fd00::1,ipv6_dst=fd00::2,tp_dst=443");
        assertThat(v.dropped()).as("%s%n%s", v, br.describe()).isFalse();
        assertThat(v.trace()).contains("3. conj_id=9,ipv6, priority 900").doesNotContain("4. priority 0");
    }

    @Test
    void establishedTrafficBypassesPolicyAndInvalidIsDropped() {
        String denied = "tcp,nw_src=10.0.0.1,nw_dst=192.168.1.1,tp_dst=80";
        TraceVerdict est = br.traceFinalVerdict(denied, "--ct-next", "trk,est");
        assertThat(est.dropped()).as("%s%n%s", est, br.describe()).isFalse();
        assertThat(est.trace())
                .contains("2. ct_state=-new+est+trk, priority 20")
                .doesNotContain("conj_id");
        TraceVerdict inv =
                br.traceFinalVerdict("tcp,nw_src=10.0.0.9,nw_dst=10.9.9.9,tp_dst=22", "--ct-next", "trk,inv");
        assertThat(inv.dropped()).as("%s%n%s", inv, br.describe()).isTrue();
    }

    @Test
    void flowRejectedBySwitchRollsBackTheWholeBundle() {
        // Table 254 is OVS-internal: the switch (not ovs-ofctl's parser) refuses the second flow.
        String flows =
                "table=3,priority=700,ip,nw_dst=10.2.0.0/16 actions=drop\n" + "table=254,priority=1 actions=drop\n";
        assertThatThrownBy(() -> br.addFlows(flows))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("add-flows")
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("OFPBRC_EPERM");
        assertThat(br.dumpFlows()).hasSize(24).noneMatch(f -> f.contains("priority=700"));
    }

    @Test
    void flowRejectedByOfctlNamesTheLine() {
        String flows = "table=3,priority=700,ip,nw_src=10.0.0.9 actions=conjunction(21,1/2),goto_table:4\n";
        assertThatThrownBy(() -> br.addFlows(flows))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("-:1: \"conjunction\" actions may be used along with \"note\"");
    }

    @Test
    void delFlowsEmptiesTheBridge() {
        br.delFlows();
        assertThat(br.dumpFlows()).isEmpty();
        assertThat(br.traceFinalVerdict("arp").dropped()).isTrue(); // fail_mode=secure: no NORMAL fallback
    }

    @Test
    void ofctlRunsAnyCommandAgainstTheBridge() {
        assertThat(br.ofctl("-O", "OpenFlow13", "show", br.target()).stdout()).contains("OFPT_FEATURES_REPLY");
    }

    @Test
    void closeStopsItsDaemonsAndDeletesNamespaceAndRunDir() {
        Map<String, Long> pids = ovs.pids();
        Path runDir = ovs.runDir();
        assertThat(pids).containsOnlyKeys("ovsdb-server", "ovs-vswitchd");
        assertThat(netnsExists(ovs.netns())).isTrue();

        ovs.close();

        assertThat(pids.values()).allMatch(Processes::isGone, "process gone");
        assertThat(netnsExists(ovs.netns())).isFalse();
        assertThat(runDir).doesNotExist();
        assertThatCode(ovs::close).doesNotThrowAnyException();
    }

    @Test
    void twoInstancesRunSideBySide() {
        try (PrivateOvs other = PrivateOvs.start()) {
            Bridge otherBr = other.addBridge("br0");
            otherBr.addFlows("table=0,priority=5,ip actions=drop\n");
            assertThat(other.netns()).isNotEqualTo(ovs.netns());
            assertThat(other.runDir()).isNotEqualTo(ovs.runDir());
            assertThat(otherBr.dumpFlows()).containsExactly("priority=5,ip actions=drop");
            assertThat(br.dumpFlows()).hasSize(24);
            assertThat(otherBr.traceFinalVerdict("tcp,nw_src=10.0.0.1,nw_dst=10.9.9.9,tp_dst=22")
                            .dropped())
                    .isTrue();
            assertThat(br.traceFinalVerdict("tcp,nw_src=10.0.0.1,nw_dst=10.9.9.9,tp_dst=22")
                            .dropped())
                    .isFalse();
        }
    }

    @Test
    void aLinkToRootJoinsOurNamespaceToTheSwitchsAndCloses() {
        Needs.command("ping");
        PrivateOvs.Link link = ovs.linkToRoot();
        assertThat(Command.of("ping", "-c", "1", "-W", "5", link.inside())
                        .runOrThrow()
                        .stdout())
                .contains("1 received");
        assertThat(Command.of("ip", "link", "show", link.name()).run().ok()).isTrue();
        link.close();
        assertThat(Command.of("ip", "link", "show", link.name()).run().ok()).isFalse();
    }

    @Test
    void aKilledVswitchdStartsAgainWithItsBridgesAndNoFlows() {
        long before = ovs.vswitchdPid();
        ovs.killVswitchd();
        assertThat(Processes.isGone(before)).isTrue();
        ovs.startVswitchd();
        assertThat(ovs.vswitchdPid()).isNotEqualTo(before);
        assertThat(ovs.pids()).containsEntry("ovs-vswitchd", ovs.vswitchdPid());
        Wait.until(
                () -> ovs.command("ovs-ofctl", "-O", "OpenFlow13", "show", br.target())
                        .run()
                        .ok(),
                Duration.ofSeconds(10),
                "br0 back on the new ovs-vswitchd");
        assertThat(br.dumpFlows()).isEmpty();
    }

    @Test
    void failedStartCleansUpWhatItCreated() {
        // ovsdb-server is already running when the vswitchd step fails.
        PrivateOvs broken = new PrivateOvs(Needs.schema().orElseThrow(), "ovs-vswitchd-does-not-exist");
        assertThatThrownBy(broken::launch)
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("ovs-vswitchd-does-not-exist");
        assertThat(broken.pids()).containsOnlyKeys("ovsdb-server");
        assertThat(broken.pids().values()).allMatch(Processes::isGone, "process gone");
        assertThat(netnsExists(broken.netns())).isFalse();
        assertThat(broken.runDir()).doesNotExist();
    }

    private static boolean netnsExists(String name) {
        List<String> names = Command.of("ip", "netns", "list").runOrThrow().stdoutLines().stream()
                .map(l -> l.split(" ")[0])
                .toList();
        return names.contains(name) || Files.exists(Path.of("/run/netns", name));
    }

    private static String resource(String name) {
        try (InputStream in = PrivateOvsTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
