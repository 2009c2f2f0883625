package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the pipeline sits relative to Service DNAT (docs/architecture.md, "Peers and the apiserver").
 * {@link Mode#NONE}: the pipeline sees endpoints (DNAT happened before br-int), Service IPs are plain
 * addresses. {@link Mode#PRE_DNAT}: the pipeline sees ClusterIPs, so a rule whose peers and ports
 * cover a Service's endpoints also matches the Service's ClusterIP and port: a Deny or Pass rule when
 * it covers <em>any</em> endpoint, an Allow rule only when it covers <em>all</em> of them.
 *
 * <p>The scope is the Service {@code default/kubernetes} (the apiserver); {@code allServices} widens it
 * to every Service (not exposed on the command line yet).
 */
public record ServiceVips(Mode mode, boolean allServices) {
    public static final String APISERVER_NAMESPACE = "default";
    public static final String APISERVER_NAME = "kubernetes";

    /** The pipeline sees endpoints: no ClusterIP mapping (the default). */
    public static final ServiceVips NONE = new ServiceVips(Mode.NONE, false);
    /** The pipeline sees ClusterIPs: the apiserver's ClusterIP is mapped. */
    public static final ServiceVips PRE_DNAT = new ServiceVips(Mode.PRE_DNAT, false);

    public enum Mode {
        NONE("none"),
        PRE_DNAT("pre-dnat");

        private final String cliName;

        Mode(String cliName) {
            this.cliName = cliName;
        }

        /** The value of {@code --service-vips}. */
        public String cliName() {
            return cliName;
        }
    }

    public ServiceVips {
        Objects.requireNonNull(mode, "mode");
    }

    /** {@code none} or {@code pre-dnat} (case-insensitive); empty for anything else. */
    public static Optional<ServiceVips> parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Mode m : Mode.values()) {
            if (m.cliName.equals(t)) {
                return Optional.of(m == Mode.NONE ? NONE : PRE_DNAT);
            }
        }
        return Optional.empty();
    }

    public boolean enabled() {
        return mode == Mode.PRE_DNAT;
    }

    /** Whether {@code svc}'s ClusterIPs are mapped to its endpoints in this mode. */
    public boolean appliesTo(ServiceInfo svc) {
        return enabled()
                && (allServices
                        || (svc.namespace().equals(APISERVER_NAMESPACE)
                                && svc.name().equals(APISERVER_NAME)));
    }

    /** One endpoint a ClusterIP:port leads to after DNAT. */
    public record Backend(IpAddress ip, Protocol protocol, int port) {
        @Override
        public String toString() {
            return ip + " " + protocol + "/" + port;
        }
    }

    /**
     * The endpoints of {@code family} that {@code port} of {@code svc} leads to, as kube-proxy finds
     * them: the ready addresses of the Service's EndpointSlices (label {@code
     * kubernetes.io/service-name}, same namespace), on each slice's port that carries the service
     * port's name and protocol. A slice port holds the resolved endpoint port, so a named {@code
     * targetPort} needs no pod lookup, and slices may resolve it to different numbers. Distinct, in
     * snapshot order.
     */
    public static List<Backend> backends(
            ClusterSnapshot snapshot, ServiceInfo svc, ServiceInfo.ServicePort port, IpFamily family) {
        LinkedHashSet<Backend> out = new LinkedHashSet<>();
        for (EndpointSliceInfo slice : snapshot.endpointSlices()) {
            if (!slice.namespace().equals(svc.namespace())
                    || !slice.serviceName().equals(svc.name())) {
                continue;
            }
            for (EndpointSliceInfo.EndpointPort ep : slice.ports()) {
                if (!ep.name().equals(port.name()) || ep.protocol() != port.protocol()) {
                    continue;
                }
                for (IpAddress ip : slice.addresses()) {
                    if (ip.family() == family) {
                        out.add(new Backend(ip, ep.protocol(), ep.port()));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }
}
