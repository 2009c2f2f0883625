package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Protocol;
import java.util.List;

/** A Service's cluster IPs and ports (used for the apiserver's ClusterIP in pre-DNAT mode). */
public record ServiceInfo(String namespace, String name, List<IpAddress> clusterIps, List<ServicePort> ports) {
    public ServiceInfo {
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
    }

    /** One service port and the endpoint port it targets (numeric or named). */
    public record ServicePort(String name, Protocol protocol, int port, String targetPort) {}
}
