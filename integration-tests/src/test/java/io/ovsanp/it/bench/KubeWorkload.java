package io.ovsanp.it.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload of {@code BenchWorkload#cluster} (ovs-controller test sources) as Kubernetes objects, to
 * seed a mock API server through the real client: {@code nodes} nodes labelled with one of 20 zones,
 * {@code podsPerNode} pods per node (a node's pods share one of 100 namespaces; the namespaces form
 * 20 groups), {@code anps} AdminNetworkPolicies of 10 egress rules (rules 0, 3, 6, 9 to 25 external
 * /24s, 1, 4, 7 to pods by namespace group and app label, 2, 5, 8 to nodes by zone; the subject is a
 * namespace group, so an ANP applies on 1/20 of the nodes), the BaselineAdminNetworkPolicy {@code
 * default} with 3 rules, 10 NetworkPolicies per namespace, and the {@code default/kubernetes}
 * Service with its EndpointSlice (the apiserver on n0).
 */
final class KubeWorkload {
    static final String ANP_API = "policy.networking.k8s.io/v1alpha1";
    static final int NAMESPACES = 100;
    static final int GROUPS = 20;
    static final int APPS = 50;

    final int nodes;
    final int podsPerNode;
    final int anps;

    KubeWorkload(int nodes, int podsPerNode, int anps) {
        this.nodes = nodes;
        this.podsPerNode = podsPerNode;
        this.anps = anps;
    }

    static String nodeName(int i) {
        return "n" + i;
    }

    static String nodeIp(int i) {
        return "172.16." + (i / 250) + "." + (i % 250 + 1);
    }

    static String zone(int i) {
        return "z" + (i % GROUPS);
    }

    /** The namespace of node {@code i}'s pods. */
    static String namespaceOfNode(int i) {
        return "ns" + (i % NAMESPACES);
    }

    static String group(int namespace) {
        return "g" + (namespace % GROUPS);
    }

    /** The app label of generated pod {@code x}. */
    static String app(int x) {
        return "a" + (x % APPS);
    }

    List<Namespace> namespaces() {
        List<Namespace> out = new ArrayList<>();
        out.add(new NamespaceBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build());
        for (int j = 0; j < NAMESPACES; j++) {
            out.add(new NamespaceBuilder()
                    .withNewMetadata()
                    .withName("ns" + j)
                    .withLabels(Map.of("group", group(j)))
                    .endMetadata()
                    .build());
        }
        return out;
    }

    List<Node> nodeObjects() {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) out.add(node(i, zone(i)));
        return out;
    }

    static Node node(int i, String zone) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(nodeName(i))
                .withLabels(Map.of("zone", zone, "kubernetes.io/hostname", nodeName(i)))
                .endMetadata()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(nodeIp(i))
                .endAddress()
                .endStatus()
                .build();
    }

    List<Pod> pods() {
        List<Pod> out = new ArrayList<>(nodes * podsPerNode);
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < podsPerNode; k++) {
                int x = i * podsPerNode + k;
                out.add(pod(namespaceOfNode(i), "p" + x, nodeName(i), podIp(x), app(x)));
            }
        }
        return out;
    }

    static String podIp(int x) {
        return "10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff);
    }

    static Pod pod(String namespace, String name, String node, String ip, String app) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", app))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewPodIP()
                .withIp(ip)
                .endPodIP()
                .endStatus()
                .build();
    }

    List<GenericKubernetesResource> adminPolicies() {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (int a = 0; a < anps; a++) out.add(anp(a, 0));
        return out;
    }

    /** ANP {@code a}; {@code salt} != 0 shifts the CIDRs of its rule 0 (an edit of that rule's networks). */
    static GenericKubernetesResource anp(int a, int salt) {
        List<Object> egress = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            int id = a * 10 + r;
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("name", "r" + r);
            rule.put("action", r % 2 == 0 ? "Deny" : "Allow");
            if (r % 3 == 0) {
                List<String> cidrs = new ArrayList<>();
                int shift = r == 0 ? salt * 7919 : 0;
                for (int c = 0; c < 25; c++) {
                    int y = id * 25 + c + shift;
                    cidrs.add((100 + (y >> 16) % 100) + "." + ((y >> 8) & 0xff) + "." + (y & 0xff) + ".0/24");
                }
                rule.put("to", List.of(Map.of("networks", cidrs)));
                rule.put("ports", List.of(tcp(443), tcp(80), tcp(8443)));
            } else if (r % 3 == 1) {
                rule.put(
                        "to",
                        List.of(Map.of(
                                "pods",
                                Map.of(
                                        "namespaceSelector", matchLabels("group", "g" + (id % GROUPS)),
                                        "podSelector", matchLabels("app", "a" + (id % APPS))))));
                rule.put("ports", List.of(tcp(5432)));
            } else {
                rule.put("to", List.of(Map.of("nodes", matchLabels("zone", "z" + (id % GROUPS)))));
                rule.put("ports", List.of(tcp(10250), tcp(22)));
            }
            egress.add(rule);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("priority", a % 1000);
        spec.put("subject", Map.of("namespaces", matchLabels("group", "g" + (a % GROUPS))));
        spec.put("egress", egress);
        return policy(ClusterWatcher.ADMIN_NETWORK_POLICY.getKind(), "anp" + a, spec);
    }

    static GenericKubernetesResource banp() {
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("name", "dns");
        dns.put("action", "Allow");
        dns.put("to", List.of(Map.of("networks", List.of("10.96.0.10/32"))));
        dns.put("ports", List.of(Map.of("portNumber", Map.of("protocol", "UDP", "port", 53))));
        Map<String, Object> pods = new LinkedHashMap<>();
        pods.put("name", "pods");
        pods.put("action", "Allow");
        pods.put("to", List.of(Map.of("networks", List.of("10.0.0.0/8"))));
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("name", "rest");
        rest.put("action", "Deny");
        rest.put("to", List.of(Map.of("networks", List.of("0.0.0.0/0"))));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("subject", Map.of("namespaces", Map.of()));
        spec.put("egress", List.of(dns, pods, rest));
        return policy(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY.getKind(), "default", spec);
    }

    private static GenericKubernetesResource policy(String kind, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(ANP_API);
        r.setKind(kind);
        r.setMetadata(new ObjectMetaBuilder().withName(name).build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    private static Map<String, Object> matchLabels(String k, String v) {
        return Map.of("matchLabels", Map.of(k, v));
    }

    private static Map<String, Object> tcp(int port) {
        return Map.of("portNumber", Map.of("protocol", "TCP", "port", port));
    }

    List<NetworkPolicy> networkPolicies() {
        List<NetworkPolicy> out = new ArrayList<>();
        for (int j = 0; j < NAMESPACES; j++) {
            for (int k = 0; k < 10; k++) out.add(networkPolicy(j, k, "192.168." + k + ".0/24"));
        }
        return out;
    }

    /**
     * NetworkPolicy {@code np<k>} of namespace {@code ns<j>}: pods of one app may reach their namespace
     * group's pods and {@code cidr} on TCP 8080.
     */
    static NetworkPolicy networkPolicy(int j, int k, String cidr) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withNamespace("ns" + j)
                .withName("np" + k)
                .endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("app", "a" + ((j + k * 5) % APPS)))
                        .build())
                .withPolicyTypes("Egress")
                .addNewEgress()
                .addNewTo()
                .withNamespaceSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("group", group(j)))
                        .build())
                .endTo()
                .addNewTo()
                .withNewIpBlock()
                .withCidr(cidr)
                .endIpBlock()
                .endTo()
                .addNewPort()
                .withProtocol("TCP")
                .withNewPort(8080)
                .endPort()
                .endEgress()
                .endSpec()
                .build();
    }

    static Service kubernetesService() {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("kubernetes")
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("10.96.0.1")
                .withClusterIPs("10.96.0.1")
                .addNewPort()
                .withName("https")
                .withProtocol("TCP")
                .withPort(443)
                .endPort()
                .endSpec()
                .build();
    }

    static EndpointSlice kubernetesEndpoints() {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("kubernetes")
                .withLabels(Map.of("kubernetes.io/service-name", "kubernetes"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses(nodeIp(0))
                .endEndpoint()
                .addNewPort()
                .withName("https")
                .withProtocol("TCP")
                .withPort(6443)
                .endPort()
                .build();
    }

    /** Every object except the pods, in creation order (namespaces first). */
    List<HasMetadata> nonPods() {
        List<HasMetadata> out = new ArrayList<>(namespaces());
        out.addAll(nodeObjects());
        out.add(kubernetesService());
        out.add(kubernetesEndpoints());
        out.addAll(networkPolicies());
        return out;
    }
}
