package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Node: labels, the IPs of status.addresses (InternalIP and ExternalIP entries that are IPs), and
 * the text of its {@value #DATAPATH_ID_ANNOTATION} annotation as written (central mode maps the
 * switch with that datapath id to this node; the controller reads and checks the text, the compiler
 * does not use it).
 */
public record NodeInfo(
        String name, Map<String, String> labels, List<IpAddress> addresses, Optional<String> datapathIdAnnotation) {
    /** The Node annotation naming the datapath id of the node's br-int (central mode). */
    public static final String DATAPATH_ID_ANNOTATION = "ovs-anp.io/datapath-id";

    public NodeInfo {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(datapathIdAnnotation);
    }

    /** A node without the datapath id annotation. */
    public NodeInfo(String name, Map<String, String> labels, List<IpAddress> addresses) {
        this(name, labels, addresses, Optional.empty());
    }
}
