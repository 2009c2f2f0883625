package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Protocol;
import java.util.List;

/** An EndpointSlice: the service it belongs to, ready endpoint addresses and ports. */
public record EndpointSliceInfo(
        String namespace, String name, String serviceName, List<IpAddress> addresses, List<EndpointPort> ports) {
    public EndpointSliceInfo {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
    }

    public record EndpointPort(String name, Protocol protocol, int port) {}
}
