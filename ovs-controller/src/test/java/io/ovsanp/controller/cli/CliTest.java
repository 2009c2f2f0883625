package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CliTest {
    private static String example(String name) {
        return CliRun.repo().resolve("examples").resolve(name).toString();
    }

    @Test
    void compilePrintsTheWholePipelineForOneNode() {
        CliRun r = CliRun.of("compile", "--cluster", example("node-ports-blocked"), "--node", "worker-1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("table=0,priority=0").contains("conj_id=").contains("actions=NORMAL");
        assertThat(r.out().lines().filter(l -> !l.startsWith("#"))).allMatch(l -> l.startsWith("table="));
    }

    @Test
    void compileWithoutNodeHeadsEachNodeSection() {
        CliRun r = CliRun.of("compile", "--cluster", example("internet-blocked-intranet-allowed"));
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("# node: cp-1")
                .contains("# node: worker-1")
                .contains("# node: worker-2");
    }

    @Test
    void unknownNodeIsBadInput() {
        CliRun r = CliRun.of("compile", "--cluster", example("node-ports-blocked"), "--node", "nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope").contains("worker-1");
    }

    @Test
    void jsonFormatIsValidJsonWithFlowsAndStats() {
        CliRun r = CliRun.of(
                "compile",
                "--cluster",
                example("node-ports-blocked"),
                "--node",
                "worker-2",
                "--format",
                "json",
                "--stats");
        assertThat(r.exit()).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(r.out());
        JsonNode node = root.get("nodes").get(0);
        assertThat(node.get("node").asString()).isEqualTo("worker-2");
        assertThat(node.get("flows").size()).isGreaterThan(10);
        assertThat(node.get("stats").get("rules").size()).isEqualTo(1);
    }

    @Test
    void explainStartsWithTheVerdict() {
        CliRun deny = CliRun.of(
                "explain",
                "--cluster",
                example("node-ports-blocked"),
                "--from",
                "shop/web",
                "--to",
                "172.18.0.12",
                "--port",
                "10250");
        assertThat(deny.exit()).isZero();
        assertThat(deny.out()).startsWith("DENY").contains("protect-nodes");
        CliRun allow = CliRun.of(
                "explain",
                "--cluster",
                example("node-ports-blocked"),
                "--from",
                "shop/web",
                "--to",
                "203.0.113.10",
                "--port",
                "10250");
        assertThat(allow.out()).startsWith("ALLOW");
    }

    @Test
    void explainGivesTheCombinedVerdictThenEachSideWithItsDecidingRule(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("ingress.yaml");
        Files.writeString(policy, """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: protect-db}
                spec:
                  priority: 5
                  subject: {pods: {namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: db}}}}
                  ingress:
                  - name: only-web
                    action: Deny
                    from: [{namespaces: {}}]
                """);
        String cluster = example("node-ports-blocked") + "/cluster.yaml";
        CliRun toDb = CliRun.of(
                "explain",
                "--cluster",
                cluster,
                policy.toString(),
                "--from",
                "shop/web",
                "--to",
                "10.244.2.20",
                "--port",
                "5432");
        assertThat(toDb.exit()).isZero();
        assertThat(toDb.out())
                .startsWith("DENY (ingress denies)")
                .contains("egress:  ALLOW: no rule matched [at the source's node ")
                .contains("ingress: DENY by AdminNetworkPolicy/protect-db ingress[0] \"only-web\" (Deny)"
                        + " [at the destination's node ");
        CliRun byName = CliRun.of(
                "explain",
                "--cluster",
                cluster,
                policy.toString(),
                "--from",
                "shop/web",
                "--to",
                "shop/db",
                "--port",
                "5432");
        assertThat(byName.exit()).isZero();
        assertThat(byName.out()).as("--to NS/POD is the pod's address").isEqualTo(toDb.out());
        CliRun outside = CliRun.of(
                "explain",
                "--cluster",
                cluster,
                policy.toString(),
                "--from",
                "shop/web",
                "--to",
                "203.0.113.10",
                "--port",
                "443");
        assertThat(outside.out())
                .startsWith("ALLOW")
                .contains("ingress: ALLOW: destination is not a pod: no ingress side\n");
    }

    /** docs/semantics.md, "Subjects and peers": offline verdicts of FQDN rules from a given resolver state. */
    @Test
    void explainJudgesDomainNamesAgainstTheResolvedNamesItIsGiven(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("fqdn.yaml");
        Files.writeString(policy, """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: fqdn-allow}
                spec:
                  tier: Admin
                  priority: 5
                  subject: {namespaces: {}}
                  egress:
                  - name: internet-example
                    action: Accept
                    to: [{domainNames: ["*.internet.example"]}]
                    protocols: [{tcp: {destinationPort: {number: 443}}}]
                  - name: no-internet
                    action: Deny
                    to: [{networks: [0.0.0.0/0, "::/0"]}]
                """);
        String cluster = example("node-ports-blocked") + "/cluster.yaml";
        List<String> base = List.of(
                "explain", "--cluster", cluster, policy.toString(), "--from", "shop/web", "--to", "203.0.113.10");
        CliRun unresolved = CliRun.of(concat(base, "--port", "443"));
        assertThat(unresolved.exit()).as(unresolved.err()).isZero();
        assertThat(unresolved.out()).startsWith("DENY (egress denies)").contains("no-internet");
        assertThat(unresolved.err())
                .as("domainNames is enforced: nothing to warn about")
                .doesNotContain("domainNames");

        CliRun resolved = CliRun.of(concat(base, "--port", "443", "--resolved", "www.internet.example=203.0.113.10"));
        assertThat(resolved.exit()).as(resolved.err()).isZero();
        assertThat(resolved.out())
                .startsWith("ALLOW")
                .contains("ClusterNetworkPolicy/fqdn-allow egress[0] \"internet-example\"");
        CliRun otherPort = CliRun.of(concat(base, "--port", "80", "--resolved", "www.internet.example=203.0.113.10"));
        assertThat(otherPort.out()).startsWith("DENY");
        CliRun apex = CliRun.of(concat(base, "--port", "443", "--resolved", "internet.example=203.0.113.10"));
        assertThat(apex.out()).as("*. does not cover the apex").startsWith("DENY");

        CliRun bad = CliRun.of(concat(base, "--port", "443", "--resolved", "www.internet.example"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--resolved: expected NAME=IP[,IP...]");
    }

    private static String[] concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void explainOfAnUnknownPodIsBadInput() {
        CliRun r = CliRun.of(
                "explain",
                "--cluster",
                example("node-ports-blocked"),
                "--from",
                "shop/nope",
                "--to",
                "1.2.3.4",
                "--port",
                "80");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("shop/nope");
    }

    @Test
    void validateOfTheExamplesFindsNothing() {
        for (String ex : List.of(
                "internet-blocked-intranet-allowed",
                "external-dns-despite-networkpolicy",
                "node-ports-blocked",
                "apiserver-reachable-despite-deny",
                "workloads-blocked-from-apiserver")) {
            CliRun r = CliRun.of("validate", "--cluster", example(ex));
            assertThat(r.exit()).as(ex + ":\n" + r.out()).isZero();
        }
    }

    @Test
    void validateAndExplainSpeakJsonWithTheSameExitCodes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: bad}
                spec:
                  priority: 5
                  subject: {namespaces: {}}
                  egress:
                  - name: x
                    action: Deny
                    to: [{networks: ["10.0.0.0/33"]}]
                """);
        CliRun bad = CliRun.of("validate", "--cluster", dir.toString(), "-o", "json");
        assertThat(bad.exit()).isEqualTo(1);
        JsonNode v = JsonMapper.builder().build().readTree(bad.out());
        assertThat(v.get("errors").asInt()).isEqualTo(1);
        JsonNode d = null;
        for (JsonNode x : v.get("diagnostics")) {
            if (x.get("severity").asString().equals("error")) d = x;
        }
        assertThat(d).as(bad.out()).isNotNull();
        assertThat(d.get("object").get("name").asString()).isEqualTo("bad");
        assertThat(d.get("path").asString()).isEqualTo("spec.egress[0].to[0].networks[0]");
        assertThat(d.get("file").asString()).endsWith("bad.yaml");
        CliRun good = CliRun.of("validate", "--cluster", example("node-ports-blocked"), "--output=json");
        assertThat(good.exit()).isZero();
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(good.out())
                        .get("diagnostics")
                        .size())
                .isZero();

        CliRun deny = CliRun.of(
                "explain",
                "--cluster",
                example("node-ports-blocked"),
                "--from",
                "shop/web",
                "--to",
                "172.18.0.12",
                "--port",
                "10250",
                "-o",
                "json");
        assertThat(deny.exit()).isZero();
        JsonNode e = JsonMapper.builder().build().readTree(deny.out());
        assertThat(e.get("verdict").asString()).isEqualTo("DENY");
        assertThat(e.get("summary").asString()).isEqualTo("DENY (egress denies)");
        assertThat(e.get("connection").get("port").asInt()).isEqualTo(10250);
        JsonNode egress = e.get("egress");
        assertThat(egress.get("allowed").asBoolean()).isFalse();
        assertThat(egress.get("action").asString()).isEqualTo("Deny");
        assertThat(egress.get("rule").get("policy").get("name").asString()).isEqualTo("protect-nodes");
        assertThat(egress.get("rule").get("direction").asString()).isEqualTo("egress");
        assertThat(egress.get("node").isNull()).isFalse();
        assertThat(e.get("ingress").get("allowed").asBoolean()).isTrue();
        assertThat(e.get("ingress").get("node").isNull()).isTrue(); // a node address: no ingress side

        CliRun wrong = CliRun.of("validate", "--cluster", dir.toString(), "-o", "yaml");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("-o/--output must be text or json, not yaml");
    }

    @Test
    void validateReportsFileAndFieldAndExitsOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: bad}
                spec:
                  priority: 1001
                  subject: {namespaces: {}}
                  egress:
                  - name: x
                    action: Deny
                    to: [{networks: ["10.0.0.0/33"]}]
                """);
        CliRun r = CliRun.of("validate", "--cluster", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("bad.yaml").contains("spec.priority").contains("spec.egress[0].to[0].networks[0]");
    }

    @Test
    void malformedYamlIsExitTwoWithFileAndDocument(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("broken.yaml"),
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n" + "kind: [unclosed\n");
        CliRun r = CliRun.of("compile", "--cluster", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("broken.yaml").contains("document 1");
    }

    @Test
    void aRuleOf50Pods25CidrsAnd10PortsCostsAtMost86Flows(@TempDir Path dir) throws IOException {
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n");
        for (int i = 0; i < 50; i++) {
            y.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p")
                    .append(i)
                    .append(", namespace: big}\nspec: {nodeName: n1, containers: [{name: c, image: i}]}\n")
                    .append("status: {phase: Running, podIP: 10.244.0.")
                    .append(2 * i + 1)
                    .append("}\n");
        }
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < 25; i++) cidrs.add("\"192.168." + (2 * i) + ".0/24\"");
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < 10; i++)
            ports.append("    - portNumber: {protocol: TCP, port: ")
                    .append(1000 + 7 * i)
                    .append("}\n");
        y.append(
                        "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: big}\n")
                .append("spec:\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - name: r\n    action: Deny\n")
                .append("    to: [{networks: [")
                .append(String.join(", ", cidrs))
                .append("]}]\n    ports:\n")
                .append(ports);
        Files.writeString(dir.resolve("big.yaml"), y.toString());
        CliRun r = CliRun.of("compile", "--cluster", dir.toString(), "--node", "n1", "--stats");
        assertThat(r.exit()).as(r.err()).isZero();
        String line = r.out()
                .lines()
                .filter(l -> l.contains("rule AdminNetworkPolicy/big"))
                .findFirst()
                .orElseThrow();
        int flows = Integer.parseInt(line.replaceAll(".*: (\\d+) flows for.*", "$1"));
        assertThat(flows).isLessThanOrEqualTo(86);
        assertThat(line).contains("50 sources, 25 destinations, 10 ports").contains("cross product would need 12500");
    }
}
