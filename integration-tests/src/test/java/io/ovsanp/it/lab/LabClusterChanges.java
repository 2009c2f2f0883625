package io.ovsanp.it.lab;

import static io.ovsanp.it.lab.Probes.Verdict.OPEN;
import static io.ovsanp.it.lab.Probes.Verdict.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab's stories of a cluster that changes under a policy, beside the policy stories of {@link
 * LabStories} (same lab, same controller): a node label change, a node joining and leaving, the
 * apiserver's endpoints moving.
 */
abstract class LabClusterChanges extends LabStories {
    @Test
    void nodeLabelChangeMovesTheDestination() throws IOException {
        Path dir = Path.of("target", "lab-edits").toAbsolutePath().resolve("node-label");
        Files.createDirectories(dir);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: locked-nodes}
                spec:
                  priority: 40
                  subject: {namespaces: {}}
                  egress:
                  - name: locked
                    action: Deny
                    to:
                    - nodes: {matchLabels: {ovs-anp.io/locked: "true"}}
                    ports:
                    - portNumber: {protocol: TCP, port: 8080}
                """);
        String node = """
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-2
                  labels: {kubernetes.io/hostname: worker-2%s}
                status:
                  addresses:
                  - {type: InternalIP, address: 172.18.0.12}
                  - {type: Hostname, address: worker-2}
                """;
        Path locked = dir.resolve("locked-node.yaml");
        Files.writeString(locked, node.formatted(", ovs-anp.io/locked: \"true\""));
        Path unlocked = dir.resolve("node.yaml");
        Files.writeString(unlocked, node.formatted(""));

        apply(policy);
        lab.from("web-worker-1").tcp("worker-2", 8080, OPEN).check("policy selects no node yet");
        try {
            lab.apply(locked);
            lab.from("web-worker-1")
                    .tcp("worker-2", 8080, TIMEOUT)
                    .tcp("worker-2", 22, OPEN)
                    .tcp("cp-1", 8080, OPEN)
                    .check("after labelling worker-2");
            lab.from("reporter-worker-2").tcp("worker-2", 8080, TIMEOUT).check("after labelling worker-2 (own node)");
        } finally {
            lab.apply(unlocked);
        }
        lab.from("web-worker-1").tcp("worker-2", 8080, OPEN).check("after removing the label");
    }

    /**
     * A node joins and leaves under a policy whose peers select every node: the new node's address
     * becomes a denied destination for every pod, its own pods are subjects (its br-int got their
     * flows from its controller), and once it left its address is no longer a peer, nothing of it is
     * left (namespaces, processes, records) and the other nodes' verdicts are unchanged.
     */
    @Test
    void nodeJoiningAndLeaving() throws IOException {
        String story = "node-ports-blocked";
        String node = "worker-3";
        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("worker-2", 10250, TIMEOUT)
                .tcp("worker-2", 8080, OPEN)
                .check("before " + node + " joined");

        lab.addNode(node, 2); // pods web-worker-3 (shop) and reporter-worker-3 (analytics)
        String address = lab.host(node).ip();
        List<String> records;
        try {
            lab.from("web-worker-1")
                    .tcp(node, 10250, TIMEOUT) // the new node is a peer of the Deny
                    .tcp(node, 22, TIMEOUT)
                    .tcp(node, 30080, TIMEOUT)
                    .tcp(node, 8080, OPEN) // a port the policy does not name
                    .tcp("web-worker-3", 8080, OPEN) // its pods, cross node
                    .tcp6("web-worker-3", 8080, OPEN) // dual stack like up.sh's pods
                    .check("after " + node + " joined");
            lab.from("web-worker-3") // a pod of the new node is a subject too
                    .tcp(node, 10250, TIMEOUT) // own node
                    .tcp("worker-1", 22, TIMEOUT)
                    .tcp("cp-1", 30080, TIMEOUT)
                    .tcp("worker-1", 8080, OPEN)
                    .tcp("db-worker-1", 8080, OPEN)
                    .tcp("internet", 22, OPEN)
                    .tcp6("internet", 22, OPEN)
                    .check("from a pod of " + node + " after it joined");
            lab.from("reporter-worker-3").tcp("worker-2", 10250, TIMEOUT).check("after " + node + " joined");
            assertThat(lab.exec("web-worker-3", "getent", "hosts", "internet.example")
                            .output())
                    .as("a pod of " + node + " resolves through the lab's DNS server")
                    .startsWith(lab.host("internet").ip6() + " ");
            awaitVerdict("web-worker-1", "tcp,nw_dst=" + address + ",tp_dst=10250", true, node + " joined");
            assertThat(lab.flowLines(node, "cookie=0xa500000000/0xff00000000"))
                    .as(node + "'s br-int holds ovs-anp's flows")
                    .isNotEmpty();
            records = lab.addedRecords(node);
            assertThat(records).as("what lab/node.sh recorded for " + node).isNotEmpty();
        } finally {
            lab.removeNode(node);
        }

        // Its address is no longer a peer on the nodes that stay (no host answers there any more,
        // so the flow table speaks for the packets), and nothing of the node is left.
        awaitVerdict("web-worker-1", "tcp,nw_dst=" + address + ",tp_dst=10250", false, node + " left");
        List<String> namespaces = Lab.netnsList();
        for (String line : records) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "netns" ->
                    assertThat(namespaces)
                            .as("namespaces after " + node + " left")
                            .doesNotContain(f[1]);
                case "proc" ->
                    assertThat(Lab.alive(f[1], f[2]))
                            .as("process " + line + " after " + node + " left")
                            .isFalse();
                case "dir", "etcdir", "file" ->
                    assertThat(Path.of(f[1])).as("after " + node + " left").doesNotExist();
                case "neigh" ->
                    assertThat(lab.routerNeighbours())
                            .as("the router's IPv6 neighbours after " + node + " left")
                            .noneMatch(n -> n.startsWith(f[3] + " "));
                default -> {}
            }
        }
        assertThat(lab.created())
                .as("the lab's creation log after " + node + " left")
                .doesNotContainAnyElementsOf(records);
        assertThat(lab.nodes()).containsExactly("cp-1", "worker-1", "worker-2");
        lab.from("web-worker-1")
                .tcp("worker-1", 10250, TIMEOUT)
                .tcp("worker-2", 22, TIMEOUT)
                .tcp("worker-2", 8080, OPEN)
                .tcp("db-worker-2", 8080, OPEN)
                .check("after " + node + " left");
        lab.from("operator-worker-2").tcp("cp-1", 30080, TIMEOUT).check("after " + node + " left");

        delete(policy(story));
        lab.from("web-worker-1").tcp("worker-2", 10250, OPEN).check("after deleting " + story);
    }

    /**
     * Waits (30 s) until {@code ofproto/trace} of a packet from {@code pod} on its node's br-int ends
     * in a drop ({@code dropped}) or not.
     */
    private void awaitVerdict(String pod, String flow, boolean dropped, String when) {
        Lab.Host from = lab.host(pod);
        String full = flow + ",nw_src=" + from.ip();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String trace = lab.trace(from, full);
            List<String> actions =
                    trace.lines().filter(l -> l.startsWith("Datapath actions:")).toList();
            boolean drop = !actions.isEmpty()
                    && actions.get(actions.size() - 1).strip().endsWith("drop");
            if (drop == dropped) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(when + ": " + full + " from " + pod + " should " + (dropped ? "" : "not ")
                        + "be dropped:\n" + trace + "\nflows of " + from.node() + ":\n" + lab.flows(from.node()));
            }
            Lab.sleep(200);
        }
    }

    /**
     * The apiserver's endpoints move while a Deny of everything holds an Allow for the apiserver
     * (examples/apiserver-reachable-despite-deny). The policy names the apiserver as it must (the
     * control-plane nodes on TCP 6443, the external apiserver 192.0.2.100 on TCP 443); pods dial the
     * ClusterIP, which the lab DNATs after br-int, so ovs-anp (pre-DNAT) matches the ClusterIP to a
     * rule by the EndpointSlice default/kubernetes: an Allow covers it only while its peers cover
     * every endpoint. Moving the endpoints to the external apiserver keeps the ClusterIP allowed (the
     * Allow's second peer covers it), moving them where no Allow reaches (the intranet host) denies it,
     * fail closed, while the endpoints' own addresses keep their verdicts (a policy names addresses,
     * not "the apiserver"); moving them back restores it.
     */
    @Test
    void apiserverEndpointsMoving() throws IOException {
        String story = "apiserver-reachable-despite-deny";
        Path dir = Path.of("target", "lab-edits").toAbsolutePath().resolve("apiserver-endpoints");
        Files.createDirectories(dir);
        Path onCp = endpointSlice(dir, "cp-1", "172.18.0.10", 6443);
        Path external = endpointSlice(dir, "external", "192.0.2.100", 443);
        Path intranet = endpointSlice(dir, "intranet", "10.10.0.5", 443);
        lab.from("web-worker-1").tcp("kubernetes", 443, OPEN).check("before " + story);

        apply(policy(story));
        lab.from("web-worker-1")
                .tcp("kubernetes", 443, OPEN) // the Allow covers the only endpoint, cp-1:6443
                .tcp("cp-1", 22, TIMEOUT)
                .check("after applying " + story + " (endpoints on cp-1:6443)");
        lab.from("web-cp-1").tcp("kubernetes", 443, OPEN).check("after applying " + story);
        try {
            lab.apply(external);
            lab.from("web-worker-1")
                    .tcp("kubernetes", 443, OPEN) // the Allow's external-apiserver peer covers it
                    .tcp("apiserver", 443, OPEN)
                    .tcp("cp-1", 6443, OPEN) // still allowed: the policy names the node, not the endpoint
                    .tcp("cp-1", 22, TIMEOUT)
                    .check("after moving the endpoints to 192.0.2.100:443");
            assertThat(lab.kubeProxyPackets("192.0.2.100:443"))
                    .as("connections to the ClusterIP that reached 192.0.2.100:443")
                    .isPositive();

            lab.apply(intranet);
            lab.from("web-worker-1")
                    .tcp("kubernetes", 443, TIMEOUT) // no Allow covers 10.10.0.5:443: the Deny applies
                    .tcp("intranet", 443, TIMEOUT)
                    .tcp("apiserver", 443, OPEN) // the old endpoint's own verdict is unchanged
                    .tcp("cp-1", 6443, OPEN)
                    .check("after moving the endpoints to 10.10.0.5:443");
            lab.from("web-cp-1").tcp("kubernetes", 443, TIMEOUT).check("after moving the endpoints to 10.10.0.5:443");
            lab.from("reporter-worker-1") // not a subject of the Deny: the ClusterIP leads to the intranet host
                    .tcp("kubernetes", 443, OPEN)
                    .check("after moving the endpoints to 10.10.0.5:443 (not subject)");
            assertThat(lab.kubeProxyPackets("10.10.0.5:443"))
                    .as("connections to the ClusterIP that reached 10.10.0.5:443")
                    .isPositive();
        } finally {
            lab.apply(onCp);
        }
        lab.from("web-worker-1")
                .tcp("kubernetes", 443, OPEN)
                .tcp("intranet", 443, TIMEOUT)
                .check("after moving the endpoints back to cp-1:6443");

        delete(policy(story));
        lab.from("web-worker-1")
                .tcp("kubernetes", 443, OPEN)
                .tcp("cp-1", 22, OPEN)
                .check("after deleting " + story);
    }

    /**
     * The lab's EndpointSlice default/kubernetes (as up.sh wrote it into {@code objects/}: the
     * apiserver on cp-1, 172.18.0.10:6443) with its one endpoint moved to {@code ip}:{@code port}.
     */
    private Path endpointSlice(Path dir, String name, String ip, int port) throws IOException {
        String slice = Files.readString(lab.state().resolve("objects/endpointslices.default.kubernetes.json"));
        assertThat(slice).contains("[\"172.18.0.10\"]", "\"port\":6443");
        Path f = dir.resolve(name + ".json");
        Files.writeString(
                f, slice.replace("[\"172.18.0.10\"]", "[\"" + ip + "\"]").replace("\"port\":6443", "\"port\":" + port));
        return f;
    }
}
