package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ClusterSnapshot} of namespaces, pods and nodes. Each element builder returns to
 * the cluster with {@code and()}. Namespaces that pods use but nobody declares are implicit (only
 * their name label), exactly as in a loaded snapshot.
 */
public final class ClusterBuilder {
    private final List<NamespaceBuilder> namespaces = new ArrayList<>();
    private final List<PodBuilder> pods = new ArrayList<>();
    private final List<NodeBuilder> nodes = new ArrayList<>();

    ClusterBuilder() {}

    public NamespaceBuilder namespace(String name) {
        NamespaceBuilder b = new NamespaceBuilder(name);
        namespaces.add(b);
        return b;
    }

    /** A running, non-host-network pod with the given IPs (one per family). */
    public PodBuilder pod(String namespace, String name, String... ips) {
        PodBuilder b = new PodBuilder(namespace, name, ips);
        pods.add(b);
        return b;
    }

    /** A host-network pod on {@code node}; its IPs are the node's, as the kubelet reports them. */
    public PodBuilder hostNetworkPod(String namespace, String name, String node, String... ips) {
        return pod(namespace, name, ips).on(node).hostNetwork();
    }

    /** A node with the IPs of its status.addresses. */
    public NodeBuilder node(String name, String... addresses) {
        NodeBuilder b = new NodeBuilder(name, addresses);
        nodes.add(b);
        return b;
    }

    public ClusterSnapshot build() {
        return new ClusterSnapshot(
                namespaces.stream().map(NamespaceBuilder::info).toList(),
                pods.stream().map(PodBuilder::info).toList(),
                nodes.stream().map(NodeBuilder::info).toList(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    private static List<IpAddress> parse(String[] ips) {
        return Arrays.stream(ips).map(IpAddress::parse).toList();
    }

    /** A namespace and its labels. */
    public final class NamespaceBuilder {
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private NamespaceBuilder(String name) {
            this.name = name;
        }

        public NamespaceBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ClusterBuilder and() {
            return ClusterBuilder.this;
        }

        NamespaceInfo info() {
            return new NamespaceInfo(name, labels);
        }
    }

    /** A pod: labels, node, host-network flag and container ports. */
    public final class PodBuilder {
        private final String namespace;
        private final String name;
        private final List<IpAddress> ips;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<ContainerPort> ports = new ArrayList<>();
        private String node = "";
        private boolean hostNetwork;

        private PodBuilder(String namespace, String name, String[] ips) {
            this.namespace = namespace;
            this.name = name;
            this.ips = parse(ips);
        }

        public PodBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public PodBuilder on(String nodeName) {
            this.node = nodeName;
            return this;
        }

        public PodBuilder hostNetwork() {
            this.hostNetwork = true;
            return this;
        }

        /** A container port; {@code name} may be empty for an unnamed port. */
        public PodBuilder port(String portName, Protocol protocol, int port) {
            ports.add(new ContainerPort(portName, protocol, port));
            return this;
        }

        public ClusterBuilder and() {
            return ClusterBuilder.this;
        }

        PodInfo info() {
            return new PodInfo(namespace, name, node, hostNetwork, ips, labels, ports);
        }
    }

    /** A node: labels and status.addresses IPs. */
    public final class NodeBuilder {
        private final String name;
        private final List<IpAddress> addresses;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private NodeBuilder(String name, String[] addresses) {
            this.name = name;
            this.addresses = parse(addresses);
        }

        public NodeBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ClusterBuilder and() {
            return ClusterBuilder.this;
        }

        NodeInfo info() {
            return new NodeInfo(name, labels, addresses);
        }
    }
}
