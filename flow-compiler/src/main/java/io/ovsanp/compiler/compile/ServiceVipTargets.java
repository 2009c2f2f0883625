package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-DNAT mode ({@link ServiceVips}): the ClusterIP:port pairs of the mapped Services with their
 * endpoints, computed once per compile, and which rules reach them. A rule reaches a target when its
 * destinations and ports cover the target's endpoints: any endpoint for Deny and Pass, every endpoint
 * for Allow (NetworkPolicy rules are Allow). A target without endpoints is reached by no rule.
 */
final class ServiceVipTargets {
    /** One ClusterIP of one family and one service port, and the endpoints of that family behind it. */
    record Target(
            String key,
            ServiceInfo service,
            ServiceInfo.ServicePort port,
            IpAddress clusterIp,
            List<ServiceVips.Backend> backends) {}

    private final SnapshotIndex resolver;
    private final Map<IpFamily, List<Target>> byFamily = new EnumMap<>(IpFamily.class);

    private ServiceVipTargets(SnapshotIndex resolver) {
        this.resolver = resolver;
        for (IpFamily f : IpFamily.values()) byFamily.put(f, new ArrayList<>());
    }

    static ServiceVipTargets of(
            ClusterSnapshot snapshot, ServiceVips vips, SnapshotIndex resolver, List<Diagnostic> diags) {
        ServiceVipTargets t = new ServiceVipTargets(resolver);
        if (!vips.enabled()) {
            return t;
        }
        boolean apiserverSeen = false;
        for (ServiceInfo svc : snapshot.services()) {
            if (!vips.appliesTo(svc)) continue;
            apiserverSeen |= svc.namespace().equals(ServiceVips.APISERVER_NAMESPACE)
                    && svc.name().equals(ServiceVips.APISERVER_NAME);
            ObjectRef ref = new ObjectRef("Service", svc.namespace(), svc.name(), "", SourceRef.NONE);
            boolean hasEndpoints = snapshot.endpointSlices().stream()
                    .anyMatch(s -> s.namespace().equals(svc.namespace())
                            && s.serviceName().equals(svc.name())
                            && !s.addresses().isEmpty());
            for (int i = 0; i < svc.ports().size(); i++) {
                ServiceInfo.ServicePort sp = svc.ports().get(i);
                boolean any = false;
                for (IpAddress ip : svc.clusterIps()) {
                    List<ServiceVips.Backend> backends = ServiceVips.backends(snapshot, svc, sp, ip.family());
                    any |= !backends.isEmpty();
                    if (backends.isEmpty()) continue;
                    String key = "vip:" + svc.namespace() + "/" + svc.name() + ":" + ip + ":" + sp.protocol() + ":"
                            + sp.port();
                    t.byFamily.get(ip.family()).add(new Target(key, svc, sp, ip, backends));
                }
                if (!any && hasEndpoints && !svc.clusterIps().isEmpty()) {
                    diags.add(Diagnostic.warning(
                            ref,
                            "spec.ports[" + i + "]",
                            "pre-DNAT: no EndpointSlice port is named \"" + sp.name() + "\" (" + sp.protocol()
                                    + "); ClusterIP port " + sp.port() + " is matched by no rule's peers"));
                }
            }
        }
        if (!apiserverSeen) {
            diags.add(Diagnostic.warning(
                    new ObjectRef(
                            "Service", ServiceVips.APISERVER_NAMESPACE, ServiceVips.APISERVER_NAME, "", SourceRef.NONE),
                    "",
                    "pre-DNAT: the Service is not in the snapshot; the apiserver's ClusterIP is matched by no"
                            + " rule's peers"));
        }
        return t;
    }

    /** The same targets judged against another snapshot's resolution (its Services did not change). */
    ServiceVipTargets withResolver(SnapshotIndex other) {
        ServiceVipTargets t = new ServiceVipTargets(other);
        byFamily.forEach((f, ts) -> t.byFamily.get(f).addAll(ts));
        return t;
    }

    List<Target> targets(IpFamily family) {
        return byFamily.get(family);
    }

    /**
     * Whether {@code rule}'s flows must also match the target's ClusterIP and port: its peers reach the
     * endpoints (per action) and its own destinations and ports do not already match the ClusterIP
     * and port (which would make a second, overlapping flow at the same priority).
     */
    boolean reaches(EffectiveRule rule, Target t) {
        ServiceVips.Backend vip = new ServiceVips.Backend(
                t.clusterIp(), t.port().protocol(), t.port().port());
        if (covers(rule, vip)) {
            return false;
        }
        int covered = 0;
        for (ServiceVips.Backend b : t.backends()) {
            if (covers(rule, b)) covered++;
        }
        return rule.action() == Action.ALLOW ? covered == t.backends().size() : covered > 0;
    }

    /** The rule's destinations contain the address and its ports the protocol and port. */
    private boolean covers(EffectiveRule rule, ServiceVips.Backend b) {
        return destinationCovers(rule, b.ip()) && portCovers(rule, b);
    }

    private boolean destinationCovers(EffectiveRule rule, IpAddress ip) {
        if (rule.anyDestination()) {
            return true;
        }
        for (Destination d : rule.destinations()) {
            for (Cidr c : resolver.cidrs(d)) {
                if (c.contains(ip)) return true;
            }
        }
        return false;
    }

    private boolean portCovers(EffectiveRule rule, ServiceVips.Backend b) {
        if (rule.anyPort()) {
            return true;
        }
        for (PortMatch pm : rule.ports()) {
            if (pm instanceof PortMatch.Number n) {
                if (n.protocol() == b.protocol() && n.port() == b.port()) return true;
            } else if (pm instanceof PortMatch.Range r) {
                if (r.protocol() == b.protocol() && r.start() <= b.port() && b.port() <= r.end()) return true;
            } else if (pm instanceof PortMatch.AnyPort a) {
                if (a.protocol() == b.protocol()) return true;
            } else if (pm instanceof PortMatch.Named n) {
                if (namedCovers(rule, n, b)) return true;
            } else {
                throw new AssertionError(pm);
            }
        }
        return false;
    }

    /** As the rule's named-port flows resolve it: a destination pod at the address with that port. */
    private boolean namedCovers(EffectiveRule rule, PortMatch.Named n, ServiceVips.Backend b) {
        for (SnapshotIndex.NamedPortTarget t : resolver.namedPortTargets(rule)) {
            if (!t.ips().contains(b.ip())) continue;
            for (ContainerPort cp : t.pod().ports()) {
                if (!cp.name().equals(n.name())) continue;
                if (n.protocol().isPresent() && n.protocol().get() != cp.protocol()) continue;
                if (cp.protocol() == b.protocol() && cp.port() == b.port()) return true;
            }
        }
        return false;
    }
}
