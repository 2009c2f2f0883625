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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
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

    /**
     * Whether this controller mode also runs the stories that only repeat, in another API version or
     * with longer probe lists, what the pipeline does with an input every mode reads alike. True here;
     * central mode runs one form of each (its API watch of each kind is what differs) to keep the lab's
     * time in CI down.
     */
    boolean runsRepeatedStories() {
        return true;
    }

    private void onlyWhereRepeatedStoriesRun() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                runsRepeatedStories(), controller() + " mode runs one form of this story (see runsRepeatedStories)");
    }

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
        return edited(EXAMPLES.resolve(story).resolve("policy.yaml"), story, from, to);
    }

    /**
     * A copy of {@code file} (in {@code target/lab-edits/DIR/}) with {@code from} replaced by {@code
     * to} (which must occur).
     */
    static Path edited(Path file, String dir, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("edit of " + file).contains(from);
        Path target = Path.of("target", "lab-edits").toAbsolutePath().resolve(dir);
        Files.createDirectories(target);
        Path edited = target.resolve(file.getFileName());
        Files.writeString(edited, text.replace(from, to));
        return edited;
    }

    static Path policy(String story) {
        return EXAMPLES.resolve(story).resolve("policy.yaml");
    }

    @Test
    void fqdnAllow() throws Exception {
        namesOpenTheirAddresses("fqdn-allow");
    }

    @Test
    void fqdnAllowCnp() throws Exception {
        namesOpenTheirAddresses("fqdn-allow-cnp");
    }

    /**
     * examples/fqdn-allow: a shop pod reaches *.internet.example on 443 once it resolved the name, at
     * once (the answer is held until the flows are in: the first SYN passes, {@code nc -w 1} cannot
     * wait for a retransmission), for the addresses it learned only (not the intranet, not for another
     * pod that asked nothing), until the TTL runs out.
     */
    private void namesOpenTheirAddresses(String story) throws Exception {
        apply(policy(story));
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("internet", 443, TIMEOUT)
                .tcp6("internet", 443, TIMEOUT)
                .tcp("intranet", 443, TIMEOUT)
                .check("after applying " + story + ", nothing resolved");
        // A forged answer (UDP from port 53, answering no question web asked) teaches nothing: it is a
        // new connection for conntrack, never held, never read.
        lab.exec(
                "reporter-worker-1",
                "ruby",
                "-rresolv",
                "-rsocket",
                "-e",
                "m = Resolv::DNS::Message.new(7); m.qr = 1;"
                        + " m.add_question('www.internet.example', Resolv::DNS::Resource::IN::A);"
                        + " m.add_answer('www.internet.example', 300,"
                        + " Resolv::DNS::Resource::IN::A.new('"
                        + lab.host("internet").ip() + "'));"
                        + " s = UDPSocket.new; s.bind('0.0.0.0', 53);"
                        + " 3.times { s.send(m.encode, 0, '"
                        + lab.host("web-worker-1").ip() + "', 40053) }");
        lab.from("web-worker-1").tcp("internet", 443, TIMEOUT).check("after a forged answer from another pod");
        Command.Result resolved = lab.exec("web-worker-1", "getent", "ahosts", "www.internet.example");
        assertThat(resolved.output())
                .as("the pod resolves the name (a CNAME of internet.example)")
                .contains(lab.host("internet").ip())
                .contains(lab.host("internet").ip6());
        for (String ip : List.of(lab.host("internet").ip(), lab.host("internet").ip6())) {
            assertThat(lab.tryExec("web-worker-1", "nc", "-vz", "-w", "1", ip, "443")
                            .exit())
                    .as("right after the answer, %s:443 connects within 1 s (no SYN dropped)", ip)
                    .isZero();
        }
        lab.from("web-worker-1")
                .tcp("internet", 443, OPEN)
                .tcp6("internet", 443, OPEN)
                .tcp("internet", 80, TIMEOUT) // the rule's port only
                .tcp("intranet", 443, TIMEOUT) // no name of the rule resolved to it
                .check("after resolving www.internet.example");
        lab.from("db-worker-1") // a shop pod on the same node that resolved nothing
                .tcp("internet", 443, TIMEOUT)
                .check("another pod, after web resolved");
        Thread.sleep((Lab.DNS_TTL_SECONDS + 2) * 1000L);
        lab.from("web-worker-1")
                .tcp("internet", 443, TIMEOUT)
                .tcp6("internet", 443, TIMEOUT)
                .check("after the TTL (" + Lab.DNS_TTL_SECONDS + " s)");
        delete(policy(story));
        lab.from("web-worker-1").tcp("internet", 443, OPEN).check("after deleting " + story);
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
        onlyWhereRepeatedStoriesRun();
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
     * Ingress, enforced at the destination pod's node ({@code lab/db-ingress-analytics-only.yaml}):
     * only the analytics namespace may reach shop's databases on TCP and UDP 8080, every other
     * namespace (shop itself too) is denied that port, same node and across nodes; another port of
     * the same database and ICMP stay open, and pods that are not subjects keep their verdicts. The
     * edit moves the Allow to shop (web may, analytics may not); deleting opens everything again.
     */
    @Test
    void dbIngressAnalyticsOnly() throws IOException {
        onlyWhereRepeatedStoriesRun();
        dbIngress("db-ingress-analytics-only.yaml");
    }

    /**
     * The same ingress story as a v1alpha2 ClusterNetworkPolicy of the Admin tier (Accept, Deny;
     * {@code lab/db-ingress-analytics-only-cnp.yaml}), its edit changing the Accept rule's peer
     * namespace: the same verdicts.
     */
    @Test
    void clusterNetworkPolicyAdminTierDbIngressAnalyticsOnly() throws IOException {
        dbIngress("db-ingress-analytics-only-cnp.yaml");
    }

    /** The "only analytics may reach the db's port" ingress story of the lab resource {@code name}. */
    private void dbIngress(String name) throws IOException {
        Path policy = labResource(name);
        lab.from("web-worker-1")
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .udp("db-worker-2", 8080, true)
                .check("before " + name);

        apply(policy);
        lab.from("reporter-worker-1")
                .tcp("db-worker-1", 8080, OPEN) // same node
                .tcp("db-worker-2", 8080, OPEN) // cross node
                .udp("db-worker-1", 8080, true)
                .udp("db-worker-2", 8080, true)
                .check("after applying " + name + " (analytics allowed)");
        lab.from("web-worker-1")
                .tcp("db-worker-1", 8080, TIMEOUT) // same node: dropped at the db's node, not refused
                .tcp("db-worker-2", 8080, TIMEOUT) // cross node
                .udp("db-worker-1", 8080, false)
                .udp("db-worker-2", 8080, false)
                .tcp("db-worker-2", 9, REFUSED) // another port of the same db: not named, passes
                .ping("db-worker-2", true) // ICMP: not named
                .tcp("web-worker-2", 8080, OPEN) // web is not a subject
                .check("after applying " + name + " (shop denied)");
        lab.from("db-cp-1").tcp("db-worker-1", 8080, TIMEOUT).check("after applying " + name + " (db to db)");

        apply(edited(policy, name, "{matchLabels: {team: analytics}}", "{matchLabels: {team: shop}}"));
        lab.from("web-worker-1")
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .udp("db-worker-2", 8080, true)
                .check("after editing " + name + " (the Allow's peer is shop)");
        lab.from("reporter-worker-2")
                .tcp("db-worker-2", 8080, TIMEOUT) // same node
                .tcp("db-worker-1", 8080, TIMEOUT) // cross node
                .udp("db-worker-1", 8080, false)
                .check("after editing " + name + " (analytics denied)");

        delete(policy);
        lab.from("reporter-worker-2").tcp("db-worker-1", 8080, OPEN).check("after deleting " + name);
        lab.from("web-worker-1")
                .tcp("db-worker-2", 8080, OPEN)
                .udp("db-worker-2", 8080, true)
                .check("after deleting " + name);
    }

    /**
     * Ingress through all three layers ({@code lab/shop-ingress-pass-networkpolicy-baseline.yaml}):
     * an Admin-tier ClusterNetworkPolicy Passes analytics' reporters to shop and Accepts the rest of
     * analytics; shop's NetworkPolicy isolates its databases for ingress (web on TCP 8080 only, and
     * the database's own node); a Baseline-tier one denies ingress to shop from other namespaces. A
     * reporter is passed on: the NetworkPolicy denies it the databases, the Baseline the web pods
     * (TCP, UDP and ICMP); an operator is accepted before either is consulted. Relabelling an operator
     * {@code app: reporter} (its Pod object applied with the new label) moves it into the Pass and
     * its verdicts with it; relabelling it back restores them.
     */
    @Test
    void clusterNetworkPolicyIngressPassToNetworkPolicyThenBaseline() throws IOException {
        onlyWhereRepeatedStoriesRun();
        String name = "shop-ingress-pass-networkpolicy-baseline.yaml";
        Path policies = labResource(name);
        lab.from("reporter-worker-1")
                .tcp("web-worker-2", 8080, OPEN)
                .udp("web-worker-2", 8080, true)
                .ping("web-worker-2", true)
                .tcp("db-worker-1", 8080, OPEN)
                .check("before " + name);

        apply(policies);
        lab.from("reporter-worker-1") // Pass: the NetworkPolicy (db) or else the Baseline (web) decides
                .tcp("web-worker-1", 8080, TIMEOUT) // same node, the Baseline's Deny
                .tcp("web-worker-2", 8080, TIMEOUT) // cross node
                .udp("web-worker-2", 8080, false)
                .ping("web-worker-2", false)
                .tcp("db-worker-1", 8080, TIMEOUT) // the NetworkPolicy: not a web pod
                .tcp("operator-worker-2", 8080, OPEN) // analytics is not a subject
                .check("after applying " + name + " (reporter: Pass)");
        lab.from("operator-worker-1") // Accept: neither the NetworkPolicy nor the Baseline applies
                .tcp("web-worker-1", 8080, OPEN)
                .tcp("web-worker-2", 8080, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .ping("db-worker-2", true)
                .check("after applying " + name + " (operator: Accept)");
        lab.from("web-worker-1") // no Admin rule names shop: the NetworkPolicy decides
                .tcp("db-worker-1", 8080, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .udp("db-worker-2", 8080, false) // isolated: only TCP 8080 is allowed
                .ping("db-worker-2", false)
                .tcp("web-worker-2", 8080, OPEN) // web is not isolated; the Baseline denies other namespaces only
                .check("after applying " + name + " (web: NetworkPolicy)");
        lab.from("db-cp-1").tcp("db-worker-1", 8080, TIMEOUT).check("after applying " + name + " (db to db)");
        lab.from("worker-1").tcp("db-worker-1", 8080, OPEN).check("after applying " + name + " (the db's own node)");
        lab.from("worker-2").tcp("db-worker-1", 8080, TIMEOUT).check("after applying " + name + " (another node)");

        String pod = "operator-worker-1";
        Path asReporter = podRelabelled("analytics", pod, "operator", "reporter");
        Path asOperator = podRelabelled("analytics", pod, "operator", "operator");
        try {
            lab.apply(asReporter);
            lab.from(pod)
                    .tcp("web-worker-2", 8080, TIMEOUT) // now Passed: the Baseline denies
                    .tcp("db-worker-1", 8080, TIMEOUT) // now Passed: the NetworkPolicy denies
                    .check("after relabelling " + pod + " app: reporter");
            lab.from("operator-worker-2").tcp("web-worker-2", 8080, OPEN).check("after relabelling " + pod);
        } finally {
            lab.apply(asOperator);
        }
        lab.from(pod)
                .tcp("web-worker-2", 8080, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .check("after relabelling " + pod + " back");

        delete(policies);
        lab.from("reporter-worker-1")
                .tcp("web-worker-2", 8080, OPEN)
                .udp("web-worker-2", 8080, true)
                .ping("web-worker-2", true)
                .tcp("db-worker-1", 8080, OPEN)
                .check("after deleting " + name);
        lab.from("web-worker-1")
                .udp("db-worker-2", 8080, true)
                .ping("db-worker-2", true)
                .check("after deleting " + name);
        lab.from("worker-2").tcp("db-worker-1", 8080, OPEN).check("after deleting " + name);
    }

    /**
     * The lab's Pod {@code namespace/name} (as up.sh wrote it into {@code objects/}) with its label
     * {@code app} changed from {@code from} to {@code to}, to apply like any object.
     */
    Path podRelabelled(String namespace, String name, String from, String to) throws IOException {
        String pod = Files.readString(lab.state().resolve("objects/pods." + namespace + "." + name + ".json"));
        String label = "\"labels\":{\"app\":\"%s\"}";
        assertThat(pod).contains(label.formatted(from));
        Path dir = Path.of("target", "lab-edits").toAbsolutePath().resolve("pod-labels");
        Files.createDirectories(dir);
        Path f = dir.resolve(name + "-" + to + ".json");
        Files.writeString(f, pod.replace(label.formatted(from), label.formatted(to)));
        return f;
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

    /**
     * The lab's DNS server (the external host {@code dns}, {@code dnsmasq}; no policy applied): a pod
     * resolves the external hosts' names through it ({@code getent}, the pod's resolv.conf naming it),
     * {@code intranet.example} and {@code internet.example} to their IPv4 and IPv6 addresses, {@code
     * www.internet.example} through its CNAME to {@code internet.example}'s; every answer, the CNAME
     * too, carries the lab's TTL ({@code lab/up.sh --dns-ttl}, {@code LAB_DNS_TTL} in lab.env); an
     * unknown name does not resolve (NXDOMAIN: nothing is forwarded).
     */
    @Test
    void podsResolveTheExternalHostsThroughTheLabsDns() {
        lab.from("web-worker-1").udp("dns", 53, true).tcp("dns", 53, OPEN).check("before resolving (no policy)");
        Lab.Host intranet = lab.host("intranet");
        Lab.Host internet = lab.host("internet");
        assertThat(addresses("web-worker-1", "intranet.example"))
                .containsExactlyInAnyOrder(intranet.ip(), intranet.ip6());
        assertThat(addresses("db-worker-2", "internet.example"))
                .containsExactlyInAnyOrder(internet.ip(), internet.ip6());
        assertThat(addresses("reporter-cp-1", "www.internet.example"))
                .containsExactlyInAnyOrder(internet.ip(), internet.ip6());
        // getent hosts asks for IPv6 first; the canonical name is the CNAME's target, then the alias.
        assertThat(lab.exec("web-worker-1", "getent", "hosts", "www.internet.example")
                        .output()
                        .strip()
                        .split("\\s+"))
                .containsExactly(internet.ip6(), "internet.example", "www.internet.example");

        var unknown = lab.tryExec("web-worker-1", "getent", "hosts", "nosuch.example");
        assertThat(unknown.exit())
                .as("getent hosts of an unknown name: " + unknown)
                .isEqualTo(2);
        assertThat(unknown.output()).isEmpty();

        // Every record of every answer, from the pod's resolver configuration (Ruby's Resolv reads
        // /etc/resolv.conf): "<question> <type>: <owner> <TTL> <record type> <data>".
        String ttl = lab.env("LAB_DNS_TTL");
        String answers = lab.exec(
                        "web-worker-1", "ruby", "-rresolv", "-e", """
                        Resolv::DNS.open do |dns|
                          ARGV.each do |name|
                            [Resolv::DNS::Resource::IN::A, Resolv::DNS::Resource::IN::AAAA].each do |type|
                              t = type.name.split("::").last
                              dns.fetch_resource(name, type) do |reply, _|
                                reply.answer.each do |owner, ttl, rr|
                                  data = rr.respond_to?(:address) ? rr.address : rr.name
                                  puts "#{name} #{t}: #{owner} #{ttl} #{rr.class.name.split("::").last} #{data}"
                                end
                              end
                            end
                          end
                        end
                        """, "intranet.example", "www.internet.example")
                .output();
        assertThat(answers.lines().toList())
                .containsExactly(
                        "intranet.example A: intranet.example " + ttl + " A " + intranet.ip(),
                        "intranet.example AAAA: intranet.example " + ttl + " AAAA " + intranet.ip6(),
                        "www.internet.example A: www.internet.example " + ttl + " CNAME internet.example",
                        "www.internet.example A: internet.example " + ttl + " A " + internet.ip(),
                        "www.internet.example AAAA: www.internet.example " + ttl + " CNAME internet.example",
                        "www.internet.example AAAA: internet.example " + ttl + " AAAA " + internet.ip6());
    }

    /** The addresses {@code getent ahosts NAME} gives in {@code pod} (each once). */
    private List<String> addresses(String pod, String name) {
        return lab.exec(pod, "getent", "ahosts", name)
                .output()
                .lines()
                .map(l -> l.split("\\s+")[0])
                .distinct()
                .toList();
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

        assertThat(lab.exec("web-worker-1", "getent", "hosts", "internet.example")
                        .output())
                .as("a pod resolves through the allowed DNS server")
                .startsWith(lab.host("internet").ip6() + " ");

        apply(edited(story, "    - portNumber: {protocol: UDP, port: 53}\n", ""));
        lab.from("web-worker-1")
                .udp("dns", 53, false)
                .tcp("dns", 53, OPEN)
                .check("after editing " + story + " (UDP 53 no longer allowed)");
        assertThat(lab.tryExec("web-worker-1", "getent", "hosts", "internet.example")
                        .exit())
                .as("getent hosts with UDP 53 denied (its resolver does not fall back to TCP)")
                .isEqualTo(2);

        delete(policy(story));
        lab.from("web-worker-1")
                .udp("dns", 53, true)
                .tcp("internet", 443, OPEN)
                .tcp("db-worker-1", 8080, OPEN)
                .check("after deleting " + story);
        lab.from("reporter-worker-1").tcp("internet", 443, OPEN).check("after deleting " + story);
    }
}
