package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running pod: where it runs, its IPs (status.podIPs), labels and container ports. Pods that are
 * not running (no IP yet, Succeeded, Failed) are left out of the snapshot by the loader. Host-network
 * pods carry their node's IP; they are never subjects and never match pod peers.
 */
public record PodInfo(
        String namespace,
        String name,
        String nodeName,
        boolean hostNetwork,
        List<IpAddress> ips,
        Map<String, String> labels,
        List<ContainerPort> ports) {
    public PodInfo {
        nodeName = nodeName == null ? "" : nodeName;
        ips = List.copyOf(ips);
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        ports = List.copyOf(ports);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
