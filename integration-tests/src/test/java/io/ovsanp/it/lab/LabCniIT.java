package io.ovsanp.it.lab;

import static io.ovsanp.it.lab.Probes.Verdict.OPEN;
import static io.ovsanp.it.lab.Probes.Verdict.REFUSED;
import static io.ovsanp.it.lab.Probes.Verdict.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab in CNI-integration mode ({@code lab/up.sh --pipeline cni --controller sync}, 2 nodes {@code
 * cp-1} and {@code worker-1}, 4 pods each): the minimal CNI of docs/cni-integration.md owns br-int
 * (cookie {@code 0xc0ffee}: spoof guard loading each pod's IPv4 address into reg6, conntrack zone 7,
 * forwarding at table 40) and ovs-anp is its stage at tables 20..29 (ten: the CNI runs conntrack).
 * NPEP-126 stories of {@code examples/} and an ingress story with real packets, same-node and
 * cross-node; the CNI's flows byte-for-byte unchanged by every apply, edit and delete; a pod that
 * adds a second address is still judged as itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabCniIT {
    private static final Path EXAMPLES = Lab.REPO.resolve("examples");
    private static final String CNI_FLOWS = "cookie=0xc0ffee/-1";
    private static final String OUR_FLOWS = "cookie=0xa500000000/0xff00000000";

    private Lab lab;
    /** Per node, the CNI's flows right after up (before ovs-anp saw any policy). */
    private final Map<String, List<String>> cniFlowsAtStart = new LinkedHashMap<>();

    private final List<Path> applied = new ArrayList<>();

    @BeforeAll
    void up() {
        // Ran on request only while a Deny could stay unenforced for 30 s (a stale datapath megaflow,
        // 2 of 6 runs); the megaflow guard (docs/decisions.md) fixed that, so it runs in CI again.
        Needs.ovs();
        lab = Lab.up("sync", "cni", 2, 4);
        for (String node : lab.nodes()) {
            cniFlowsAtStart.put(node, lab.flowLines(node, CNI_FLOWS));
        }
    }

    @AfterEach
    void deleteWhatTheTestAppliedAndCheckTheCnisFlows() {
        for (int i = applied.size() - 1; i >= 0; i--) {
            lab.delete(applied.get(i));
        }
        applied.clear();
        assertCniFlowsUnchanged("after the test's applies, edits and deletes");
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private void apply(Path file) {
        lab.apply(file);
        if (!applied.contains(file)) {
            applied.add(file);
        }
    }

    private void assertCniFlowsUnchanged(String when) {
        for (var e : cniFlowsAtStart.entrySet()) {
            assertThat(lab.flowLines(e.getKey(), CNI_FLOWS))
                    .as("the CNI's flows (cookie 0xc0ffee) on " + e.getKey() + " " + when)
                    .containsExactlyElementsOf(e.getValue());
        }
    }

    private static Path policy(String story) {
        return EXAMPLES.resolve(story).resolve("policy.yaml");
    }

    private static Path edited(String story, String from, String to) throws IOException {
        String text = Files.readString(policy(story));
        assertThat(text).as("edit of " + story).contains(from);
        Path dir = Path.of("target", "lab-cni-edits").toAbsolutePath().resolve(story);
        Files.createDirectories(dir);
        Path edited = dir.resolve("policy.yaml");
        Files.writeString(edited, text.replace(from, to));
        return edited;
    }

    @Test
    @Order(1)
    void theCniOwnsTheBridgeAndTheStageSitsAtTables20To29() {
        assertThat(lab.env("LAB_PIPELINE")).isEqualTo("cni");
        for (String node : lab.nodes()) {
            List<String> cni = cniFlowsAtStart.get(node);
            assertThat(cni)
                    .as("the minimal CNI's flows on " + node)
                    .anySatisfy(f -> assertThat(f).contains("priority=200,arp").contains("NORMAL"))
                    .anySatisfy(f -> assertThat(f).contains("table=10").contains("ct(table=20,zone=7)"))
                    .anySatisfy(f -> assertThat(f).contains("table=40").contains("NORMAL"))
                    .filteredOn(f -> f.contains("->reg6"))
                    .as("one spoof guard per pod port on " + node)
                    .hasSize(4);
            List<String> ours = lab.flowLines(node, OUR_FLOWS);
            assertThat(ours).as("ovs-anp's flows on " + node).isNotEmpty();
            Pattern table = Pattern.compile("table=(\\d+)");
            for (String f : ours) {
                Matcher m = table.matcher(f);
                assertThat(m.find()).as(f).isTrue();
                assertThat(Integer.parseInt(m.group(1)))
                        .as("ovs-anp's flow stays in its stage: " + f)
                        .isBetween(20, 29);
            }
            assertThat(ours)
                    .as("allowed packets go back to the CNI at table 40")
                    .anySatisfy(f -> assertThat(f).contains("goto_table:40"));
        }
    }

    @Test
    @Order(2)
    void internetBlockedIntranetAllowed() throws IOException {
        String story = "internet-blocked-intranet-allowed";
        lab.from("web-worker-1")
                .tcp("internet", 443, OPEN)
                .tcp("intranet", 443, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-cp-1", 8080, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("internet", 443, TIMEOUT)
                .tcp("internet", 9, TIMEOUT) // dropped, not refused
                .ping("internet", false)
                .tcp("intranet", 443, OPEN)
                .tcp("intranet", 9, REFUSED) // allowed path, closed port
                .tcp("db-worker-1", 8080, OPEN) // same node
                .tcp("db-cp-1", 8080, OPEN) // cross node
                .tcp("cp-1", 22, OPEN) // a node (172.16.0.0/12)
                .tcp("worker-1", 22, OPEN) // its own node, through br-int's LOCAL port
                .check("after applying " + story);
        lab.from("web-cp-1").tcp("internet", 443, TIMEOUT).check("after applying " + story);
        lab.from("reporter-worker-1").tcp("internet", 443, OPEN).check("after applying " + story + " (not subject)");

        apply(edited(story, "192.168.0.0/16,", "192.168.0.0/16, 203.0.113.0/24,"));
        lab.from("web-worker-1")
                .tcp("internet", 443, OPEN)
                .udp("dns", 53, false)
                .check("after editing " + story + " (internet /24 allowed)");

        lab.delete(policy(story));
        applied.clear();
        lab.from("web-worker-1").tcp("internet", 443, OPEN).udp("dns", 53, true).check("after deleting " + story);
        assertCniFlowsUnchanged("after applying, editing and deleting " + story);
    }

    @Test
    @Order(3)
    void externalDnsDespiteNetworkPolicy() throws IOException {
        String story = "external-dns-despite-networkpolicy";
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-cp-1", 8080, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("dns", 53, OPEN)
                .tcp("internet", 443, TIMEOUT)
                .tcp("db-worker-1", 8080, TIMEOUT) // same node: the NetworkPolicy isolates shop
                .tcp("db-cp-1", 8080, TIMEOUT) // cross node
                .check("after applying " + story);
        lab.from("reporter-cp-1") // analytics: the baseline applies
                .udp("dns", 53, true)
                .tcp("intranet", 443, OPEN)
                .tcp("db-worker-1", 8080, OPEN) // cross node, allowed by the baseline (10.0.0.0/8)
                .tcp("internet", 443, TIMEOUT)
                .check("after applying " + story + " (baseline)");

        apply(edited(story, "    - portNumber: {protocol: UDP, port: 53}\n", ""));
        lab.from("web-worker-1")
                .udp("dns", 53, false)
                .tcp("dns", 53, OPEN)
                .check("after editing " + story + " (UDP 53 no longer allowed)");

        lab.delete(policy(story));
        applied.clear();
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("internet", 443, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-cp-1", 8080, OPEN)
                .check("after deleting " + story);
        assertCniFlowsUnchanged("after applying, editing and deleting " + story);
    }

    /**
     * A subject pod adds a second address (10.244.1.200, one no pod has) and connects from it: by
     * source IP it would not be a subject and escape the Deny; the spoof guard loads its own address
     * into reg6 for every packet from its port, so it is still denied.
     */
    @Test
    @Order(4)
    void aPodWithASecondAddressIsStillJudgedAsItself() {
        String story = "internet-blocked-intranet-allowed";
        String forged = "10.244.1.200";
        lab.exec("web-worker-1", "ip", "addr", "add", forged + "/16", "dev", "eth0");
        try {
            lab.from("web-worker-1")
                    .source(forged)
                    .tcp("internet", 443, OPEN)
                    .check("before " + story + ", from the second address (the forged source works at all)");

            apply(policy(story));
            lab.from("web-worker-1")
                    .source(forged)
                    .tcp("internet", 443, TIMEOUT)
                    .tcp("internet", 80, TIMEOUT)
                    .tcp("intranet", 443, OPEN) // still allowed: judged as itself, not dropped wholesale
                    .check("after applying " + story + ", from the second address");
            lab.from("web-worker-1").tcp("internet", 443, TIMEOUT).check("after applying " + story);
            lab.from("reporter-worker-1")
                    .tcp("internet", 443, OPEN)
                    .check("after applying " + story + " (not subject)");
        } finally {
            lab.exec("web-worker-1", "ip", "addr", "del", forged + "/16", "dev", "eth0");
        }
    }

    /**
     * Ingress in the CNI's pipeline ({@code lab/db-ingress-analytics-only.yaml}, judged at the
     * database's node, by source address: a packet from another node carries no identity in reg6):
     * analytics reaches shop's databases on TCP and UDP 8080, shop does not, same node and across
     * nodes; another port stays open; the CNI's flows unchanged.
     */
    @Test
    @Order(5)
    void ingressOnlyAnalyticsMayReachTheDatabases() {
        String name = "db-ingress-analytics-only.yaml";
        Path policy = LabStories.labResource(name);
        lab.from("web-cp-1")
                .tcp("db-worker-1", 8080, OPEN)
                .udp("db-worker-1", 8080, true)
                .check("before " + name);

        apply(policy);
        lab.from("reporter-cp-1")
                .tcp("db-worker-1", 8080, OPEN) // cross node
                .tcp("db-cp-1", 8080, OPEN) // same node
                .udp("db-worker-1", 8080, true)
                .check("after applying " + name + " (analytics allowed)");
        lab.from("web-cp-1")
                .tcp("db-worker-1", 8080, TIMEOUT) // cross node
                .tcp("db-cp-1", 8080, TIMEOUT) // same node
                .udp("db-worker-1", 8080, false)
                .tcp("db-worker-1", 9, REFUSED) // a port the policy does not name
                .tcp("web-worker-1", 8080, OPEN) // not a subject
                .check("after applying " + name + " (shop denied)");

        lab.delete(policy);
        applied.clear();
        lab.from("web-cp-1")
                .tcp("db-worker-1", 8080, OPEN)
                .udp("db-worker-1", 8080, true)
                .check("after deleting " + name);
        assertCniFlowsUnchanged("after applying and deleting " + name);
    }

    /** The worked example's diff: every node's switch holds exactly the compiled stage. */
    @Test
    @Order(6)
    void diffWithThePlacementFlagsShowsTheStageConverged() {
        for (String node : lab.nodes()) {
            List<String> cmd = new ArrayList<>(List.of(
                    Lab.REPO.resolve("bin/ovs-anp").toString(),
                    "diff",
                    "--cluster",
                    lab.state().resolve("objects").toString(),
                    "--node",
                    node,
                    "--switch",
                    "unix:" + lab.state().resolve("nodes/" + node + "/br-int.mgmt")));
            cmd.addAll(List.of(lab.env("LAB_PLACEMENT").split(" ")));
            Command.Result diff = Lab.run(Duration.ofMinutes(2), cmd.toArray(String[]::new));
            assertThat(diff.exit())
                    .as("ovs-anp diff of " + node + ":\n" + diff.output())
                    .isZero();
            assertThat(diff.output()).contains("switch holds the compiled flows");
        }
    }
}
