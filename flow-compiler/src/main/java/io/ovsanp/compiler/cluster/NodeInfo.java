package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A Node: labels and the IPs of status.addresses (InternalIP and ExternalIP entries that are IPs). */
public record NodeInfo(String name, Map<String, String> labels, List<IpAddress> addresses) {
    public NodeInfo {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        addresses = List.copyOf(addresses);
    }
}
