package io.ovsanp.it.lab;

import static io.ovsanp.it.lab.Probes.Verdict.OPEN;
import static io.ovsanp.it.lab.Probes.Verdict.REFUSED;
import static io.ovsanp.it.lab.Probes.Verdict.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The NPEP-126 user stories of {@code examples/} with real packets in the lab ({@code lab/up.sh}, 3
 * nodes, 4 pods each): for each story the verdicts before the policy, after applying it, after an
 * edit and after deleting it, from pods to same-node and cross-node pods, to nodes, and to hosts
 * outside the cluster; IPv6 (the lab is dual stack) beside unchanged IPv4 verdicts; the cluster's own
 * changes are in {@link LabClusterChanges}. Subclasses choose the controller. The lab runs with {@code --service-vips pre-dnat}: its
 * router DNATs the apiserver's ClusterIP (host {@code kubernetes}, 10.96.0.1:443) after br-int, as
 * kube-proxy does in a node's host stack, so br-int sees the ClusterIP. Pods per node (see {@code lab/up.sh}):
 * {@code web-N} and {@code db-N} in {@code shop} (labels {@code egress: restricted}), {@code
 * reporter-N} and {@code operator-N} in {@code analytics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LabStories {
    private static final Path EXAMPLES = Lab.REPO.resolve("examples");

    Lab lab;
    private RuntimeException upFailure;
    private final Deque<Path> applied = new ArrayDeque<>();

    /** {@code sync} or {@code central}. */
    abstract String controller();

    /** Skips (with the reason) when this controller mode cannot run in this build. */
    void assumeControllerAvailable() {}

    @BeforeEach
    void upOnce() {
        Needs.ovs();
        assumeControllerAvailable();
        if (upFailure != null) {
            throw new IllegalStateException("the lab did not come up (see the first test)", upFailure);
        }
        if (lab == null) {
            try {
                lab = Lab.up(controller(), "standalone", "pre-dnat", 3, 4);
            } catch (RuntimeException e) {
                upFailure = e;
                throw e;
            }
        }
    }

    @AfterEach
    void deleteWhatTheTestApplied() {
        while (!applied.isEmpty()) {
            lab.delete(applied.pop());
        }
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    void apply(Path file) {
        lab.apply(file);
        applied.remove(file);
        applied.push(file);
    }

    /** Deletes the objects of {@code file}; an edited copy names the same objects, so both are gone. */
    void delete(Path file) {
        lab.delete(file);
        applied.clear();
    }

    /** A copy of {@code story}'s policy.yaml with {@code from} replaced by {@code to} (which must occur). */
    Path edited(String story, String from, String to) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(story).resolve("policy.yaml"));
        assertThat(text).as("edit of " + story).contains(from);
        Path dir = Path.of("target", "lab-edits").toAbsolutePath().resolve(story);
        Files.createDirectories(dir);
        Path edited = dir.resolve("policy.yaml");
        Files.writeString(edited, text.replace(from, to));
        return edited;
    }

    static Path policy(String story) {
        return EXAMPLES.resolve(story).resolve("policy.yaml");
    }

    @Test
    void internetBlockedIntranetAllowed() throws IOException {
        intranetOnly("internet-blocked-intranet-allowed");
    }

    /**
     * The same story as a v1alpha2 ClusterNetworkPolicy of the Admin tier (Accept, Deny; {@code
     * examples/internet-blocked-intranet-allowed-cnp}): the same verdicts as the AdminNetworkPolicy,
     * applied, edited and deleted.
     */
    @Test
    void clusterNetworkPolicyAdminTierInternetBlockedIntranetAllowed() throws IOException {
        intranetOnly("internet-blocked-intranet-allowed-cnp");
    }

    /** The "internet blocked, intranet allowed" story of {@code examples/STORY}, either API version. */
    private void intranetOnly(String story) throws IOException {
        lab.from("web-worker-1")
                .tcp("internet", 443, OPEN)
                .ping("internet", true)
                .udp("dns", 53, true)
                .tcp("intranet", 443, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("internet", 443, TIMEOUT)
                .tcp("internet", 9, TIMEOUT) // a closed port too: dropped, not refused
                .ping("internet", false)
                .udp("dns", 53, false)
                .tcp("intranet", 443, OPEN)
                .tcp("intranet", 9, REFUSED) // allowed path, closed port
                .tcp("db-worker-1", 8080, OPEN) // same node
                .tcp("db-worker-2", 8080, OPEN) // cross node
                .tcp("worker-2", 22, OPEN) // nodes are in 172.16.0.0/12
                .check("after applying " + story);
        lab.from("web-cp-1").tcp("internet", 443, TIMEOUT).check("after applying " + story);
        lab.from("reporter-worker-1").tcp("internet", 443, OPEN).check("after applying " + story + " (not subject)");

        apply(edited(story, "192.168.0.0/16,", "192.168.0.0/16, 203.0.113.0/24,"));
        lab.from("web-worker-1")
                .tcp("internet", 443, OPEN)
                .udp("dns", 53, false)
                .tcp("intranet", 443, OPEN)
                .check("after editing " + story + " (internet /24 allowed)");

        delete(policy(story));
        lab.from("web-worker-1").tcp("internet", 443, OPEN).udp("dns", 53, true).check("after deleting " + story);
    }

    /** A lab resource of integration-tests ({@code src/test/resources/lab/NAME}). */
    static Path labResource(String name) {
        try {
            return Path.of(LabStories.class.getResource("/lab/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Two Baseline-tier ClusterNetworkPolicies ordered by priority: analytics' HTTPS Passes (the rest
     * of the Baseline tier is skipped, the default allows), everyone else's HTTPS to the internet /24
     * is denied by the later one; port 80 is not named by either.
     */
    @Test
    void clusterNetworkPolicyBaselinePassSkipsTheRestOfTheBaselineTier() {
        Path policies = labResource("cnp-baseline-pass.yaml");
        apply(policies);
        lab.from("web-worker-1")
                .tcp("internet", 443, TIMEOUT)
                .tcp("internet", 80, OPEN)
                .check("shop after applying the Baseline CNPs");
        lab.from("reporter-worker-2")
                .tcp("internet", 443, OPEN)
                .tcp("internet", 80, OPEN)
                .check("analytics after applying the Baseline CNPs (Pass)");
        delete(policies);
        lab.from("web-worker-1").tcp("internet", 443, OPEN).check("shop after deleting the Baseline CNPs");
    }

    /**
     * IPv6 beside IPv4 (the lab is dual stack: pods on fd00:10:244::/64, the internet host also at
     * 2001:db8:113::10, the intranet host at fd00:10:10::5): an ANP for shop's pods that allows the
     * intranet's IPv6 /64 and denies the rest of 2001:db8::/32 and fd00:10:10::/48 drops IPv6 to the
     * internet host (a timeout, a closed port too), lets IPv6 reach the intranet host (a closed port
     * is refused: the packet passed) and other pods across nodes, and leaves every IPv4 verdict of the
     * same pod as it was; once deleted, IPv6 to the internet host is open again.
     */
    @Test
    void ipv6InternetBlockedIpv4Unaffected() throws Exception {
        String story = "ipv6-internet-blocked";
        Path policy = labResource(story + ".yaml");
        lab.from("web-worker-1")
                .tcp6("internet", 443, OPEN)
                .ping6("internet", true)
                .tcp6("intranet", 443, OPEN)
                .tcp6("db-worker-2", 8080, OPEN) // cross node
                .tcp("internet", 443, OPEN)
                .check("before " + story);

        apply(policy);
        lab.from("web-worker-1")
                .tcp6("internet", 443, TIMEOUT)
                .tcp6("internet", 9, TIMEOUT) // a closed port too: dropped, not refused
                .ping6("internet", false)
                .tcp6("intranet", 443, OPEN)
                .tcp6("intranet", 9, REFUSED) // allowed path, closed port
                .tcp6("db-worker-2", 8080, OPEN) // cross node, IPv6
                .tcp6("db-worker-1", 8080, OPEN) // same node, IPv6
                .tcp("internet", 443, OPEN) // the policy names IPv6 only
                .ping("internet", true)
                .tcp("intranet", 9, REFUSED)
                .tcp("db-worker-2", 8080, OPEN)
                .check("after applying " + story);
        lab.from("db-cp-1")
                .tcp6("internet", 443, TIMEOUT)
                .tcp("internet", 443, OPEN)
                .check("after applying " + story);
        lab.from("reporter-worker-1")
                .tcp6("internet", 443, OPEN)
                .ping6("internet", true)
                .check("after applying " + story + " (not subject)");

        delete(policy);
        lab.from("web-worker-1")
                .tcp6("internet", 443, OPEN)
                .ping6("internet", true)
                .tcp6("intranet", 443, OPEN)
                .tcp("internet", 443, OPEN)
                .check("after deleting " + story);
    }

    @Test
    void nodePortsBlocked() throws IOException {
        String story = "node-ports-blocked";
        lab.from("web-worker-1")
                .tcp("worker-1", 22, OPEN)
                .tcp("worker-2", 10250, OPEN)
                .tcp("cp-1", 30080, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("worker-1", 22, TIMEOUT) // own node
                .tcp("worker-1", 10250, TIMEOUT)
                .tcp("worker-2", 10250, TIMEOUT) // another node
                .tcp("cp-1", 30080, TIMEOUT) // NodePort range
                .tcp("worker-2", 8080, OPEN) // a port the policy does not name
                .tcp("internet", 22, OPEN) // same port, host outside the cluster
                .tcp("intranet", 22, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .check("after applying " + story);
        lab.from("operator-worker-2")
                .tcp("worker-1", 10250, TIMEOUT)
                .tcp("worker-2", 22, TIMEOUT)
                .check("after applying " + story);

        apply(edited(story, "    - portNumber: {protocol: TCP, port: 22}\n", ""));
        lab.from("web-worker-1")
                .tcp("worker-1", 22, OPEN)
                .tcp("worker-2", 22, OPEN)
                .tcp("worker-2", 10250, TIMEOUT)
                .check("after editing " + story + " (port 22 no longer blocked)");

        delete(policy(story));
        lab.from("web-worker-1")
                .tcp("worker-2", 10250, OPEN)
                .tcp("cp-1", 30080, OPEN)
                .check("after deleting " + story);
    }

    @Test
    void apiserverReachableDespiteDeny() throws IOException {
        String story = "apiserver-reachable-despite-deny";
        lab.from("web-worker-1")
                .tcp("cp-1", 22, OPEN)
                .tcp("apiserver", 443, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("cp-1", 6443, OPEN) // the control-plane node, cross node
                .tcp("apiserver", 443, OPEN) // the external apiserver
                .tcp("cp-1", 22, TIMEOUT)
                .tcp("internet", 443, TIMEOUT)
                .tcp("db-worker-1", 8080, TIMEOUT)
                .ping("intranet", false)
                .check("after applying " + story);
        lab.from("web-cp-1")
                .tcp("cp-1", 6443, OPEN) // same node as the apiserver
                .tcp("cp-1", 22, TIMEOUT)
                .check("after applying " + story);
        lab.from("reporter-worker-1").tcp("internet", 443, OPEN).check("after applying " + story + " (not subject)");

        apply(edited(story, "192.0.2.100/32", "192.0.2.200/32"));
        lab.from("web-worker-1")
                .tcp("apiserver", 443, TIMEOUT)
                .tcp("cp-1", 6443, OPEN)
                .check("after editing " + story + " (external apiserver address changed)");

        delete(policy(story));
        lab.from("web-worker-1")
                .tcp("apiserver", 443, OPEN)
                .tcp("cp-1", 22, OPEN)
                .tcp("internet", 443, OPEN)
                .check("after deleting " + story);
    }

    @Test
    void workloadsBlockedFromApiserver() throws IOException {
        String story = "workloads-blocked-from-apiserver";
        lab.from("reporter-worker-1").tcp("cp-1", 6443, OPEN).check("before " + story);

        apply(policy(story));
        lab.from("reporter-worker-1")
                .tcp("cp-1", 6443, TIMEOUT)
                .tcp("apiserver", 443, TIMEOUT)
                .tcp("cp-1", 22, OPEN)
                .tcp("internet", 443, OPEN)
                .check("after applying " + story);
        lab.from("reporter-cp-1").tcp("cp-1", 6443, TIMEOUT).check("after applying " + story + " (same node)");
        lab.from("operator-worker-1")
                .tcp("cp-1", 6443, OPEN)
                .tcp("apiserver", 443, OPEN)
                .check("after applying " + story + " (not subject)");

        apply(edited(story, "matchLabels: {app: reporter}", "matchLabels: {app: operator}"));
        lab.from("reporter-worker-1").tcp("cp-1", 6443, OPEN).check("after editing " + story);
        lab.from("operator-worker-2").tcp("cp-1", 6443, TIMEOUT).check("after editing " + story);

        delete(policy(story));
        lab.from("operator-worker-2").tcp("cp-1", 6443, OPEN).check("after deleting " + story);
        lab.from("reporter-worker-1").tcp("apiserver", 443, OPEN).check("after deleting " + story);
    }

    @Test
    void externalDnsDespiteNetworkPolicy() throws IOException {
        String story = "external-dns-despite-networkpolicy";
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("db-worker-1", 8080, OPEN)
                .check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("dns", 53, OPEN)
                .tcp("internet", 443, TIMEOUT)
                .tcp("db-worker-1", 8080, TIMEOUT) // the NetworkPolicy isolates shop
                .tcp("db-worker-2", 8080, TIMEOUT)
                .check("after applying " + story);
        lab.from("reporter-worker-1") // analytics: the baseline applies
                .udp("dns", 53, true)
                .tcp("intranet", 443, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .tcp("internet", 443, TIMEOUT)
                .check("after applying " + story + " (baseline)");

        apply(edited(story, "    - portNumber: {protocol: UDP, port: 53}\n", ""));
        lab.from("web-worker-1")
                .udp("dns", 53, false)
                .tcp("dns", 53, OPEN)
                .check("after editing " + story + " (UDP 53 no longer allowed)");

        delete(policy(story));
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("internet", 443, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .check("after deleting " + story);
        lab.from("reporter-worker-1").tcp("internet", 443, OPEN).check("after deleting " + story);
    }
}
