package io.ovsanp.controller.snapshot;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.openflow.wire.DatapathId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Built-in objects (fabric8 model) as cluster snapshot values. Problems go to the {@code
 * diagnostics} list given (they become {@link io.ovsanp.compiler.cluster.ClusterSnapshot#loadDiagnostics()}):
 * an address that is not an IP is an ERROR and left out, a pod that is not running a NOTE. Objects
 * without {@code metadata.namespace} are in {@code default}, as kubectl would create them.
 */
public final class ClusterObjectConverter {
    /** EndpointSlice label naming the owning Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ClusterObjectConverter() {}

    public static NamespaceInfo namespace(Namespace ns) {
        return new NamespaceInfo(
                ns.getMetadata().getName(), orEmpty(ns.getMetadata().getLabels()));
    }

    /**
     * A running pod, or empty for a pod without an IP (pending) or in phase Succeeded/Failed (NOTE).
     * IPs come from status.podIPs, else status.podIP; ports from every container of spec.containers.
     */
    public static Optional<PodInfo> pod(Pod pod, SourceRef source, List<Diagnostic> diagnostics) {
        var meta = pod.getMetadata();
        ObjectRef ref = new ObjectRef("Pod", namespaceOf(meta), meta.getName(), meta.getUid(), source);
        var status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            diagnostics.add(Diagnostic.note(ref, "status.phase", "phase " + phase + ": not running, ignored"));
            return Optional.empty();
        }
        List<IpAddress> ips = new ArrayList<>();
        List<PodIP> podIps = status == null ? List.of() : orEmpty(status.getPodIPs());
        for (int i = 0; i < podIps.size(); i++) {
            ip(podIps.get(i).getIp(), ref, "status.podIPs[" + i + "].ip", diagnostics)
                    .ifPresent(ips::add);
        }
        if (podIps.isEmpty() && status != null && status.getPodIP() != null) {
            ip(status.getPodIP(), ref, "status.podIP", diagnostics).ifPresent(ips::add);
        }
        if (ips.isEmpty()) {
            diagnostics.add(Diagnostic.note(ref, "status.podIPs", "no pod IP: not running, ignored"));
            return Optional.empty();
        }
        var spec = pod.getSpec();
        List<ContainerPort> ports = new ArrayList<>();
        List<Container> containers = spec == null ? List.of() : orEmpty(spec.getContainers());
        for (int c = 0; c < containers.size(); c++) {
            var cps = orEmpty(containers.get(c).getPorts());
            for (int p = 0; p < cps.size(); p++) {
                var cp = cps.get(p);
                String path = "spec.containers[" + c + "].ports[" + p + "]";
                if (cp.getContainerPort() == null) {
                    diagnostics.add(Diagnostic.error(ref, path + ".containerPort", "missing required field"));
                    continue;
                }
                protocol(cp.getProtocol(), ref, path, diagnostics)
                        .ifPresent(proto -> ports.add(new ContainerPort(cp.getName(), proto, cp.getContainerPort())));
            }
        }
        boolean hostNetwork = spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
        String nodeName = spec == null ? "" : spec.getNodeName();
        return Optional.of(
                new PodInfo(ref.namespace(), ref.name(), nodeName, hostNetwork, ips, orEmpty(meta.getLabels()), ports));
    }

    /**
     * Labels, the InternalIP/ExternalIP addresses that are IPs (other address types are ignored) and
     * the {@value NodeInfo#DATAPATH_ID_ANNOTATION} annotation (a WARNING if it is not a datapath id).
     */
    public static NodeInfo node(Node node, SourceRef source, List<Diagnostic> diagnostics) {
        var meta = node.getMetadata();
        ObjectRef ref = new ObjectRef("Node", "", meta.getName(), meta.getUid(), source);
        List<IpAddress> addresses = new ArrayList<>();
        List<NodeAddress> listed =
                node.getStatus() == null ? List.of() : orEmpty(node.getStatus().getAddresses());
        for (int i = 0; i < listed.size(); i++) {
            NodeAddress a = listed.get(i);
            if (!"InternalIP".equals(a.getType()) && !"ExternalIP".equals(a.getType())) {
                continue;
            }
            Optional<IpAddress> ip = a.getAddress() == null ? Optional.empty() : IpAddress.tryParse(a.getAddress());
            if (ip.isPresent()) {
                addresses.add(ip.get());
            } else {
                diagnostics.add(Diagnostic.note(
                        ref,
                        "status.addresses[" + i + "].address",
                        "not an IP address: \"" + a.getAddress() + "\", ignored"));
            }
        }
        Optional<String> dpid =
                Optional.ofNullable(orEmpty(meta.getAnnotations()).get(NodeInfo.DATAPATH_ID_ANNOTATION));
        if (dpid.isPresent()) {
            try {
                DatapathId.parse(dpid.get());
            } catch (IllegalArgumentException e) {
                // Kept as written: central mode then maps no switch to this node (fail closed).
                diagnostics.add(Diagnostic.warning(
                        ref,
                        "metadata.annotations[\"" + NodeInfo.DATAPATH_ID_ANNOTATION + "\"]",
                        e.getMessage() + "; no switch is mapped to this node until it is fixed"));
            }
        }
        return new NodeInfo(ref.name(), orEmpty(meta.getLabels()), addresses, dpid);
    }

    /** Cluster IPs (spec.clusterIPs, else spec.clusterIP; "None" skipped) and ports. */
    public static ServiceInfo service(Service svc, SourceRef source, List<Diagnostic> diagnostics) {
        var meta = svc.getMetadata();
        ObjectRef ref = new ObjectRef("Service", namespaceOf(meta), meta.getName(), meta.getUid(), source);
        var spec = svc.getSpec();
        List<IpAddress> ips = new ArrayList<>();
        List<ServiceInfo.ServicePort> ports = new ArrayList<>();
        if (spec != null) {
            List<String> clusterIps = orEmpty(spec.getClusterIPs());
            String field = "spec.clusterIPs";
            if (clusterIps.isEmpty() && spec.getClusterIP() != null) {
                clusterIps = List.of(spec.getClusterIP());
                field = "spec.clusterIP";
            }
            for (int i = 0; i < clusterIps.size(); i++) {
                String ip = clusterIps.get(i);
                if (!ip.equals("None") && !ip.isEmpty()) {
                    ip(ip, ref, field.equals("spec.clusterIP") ? field : field + "[" + i + "]", diagnostics)
                            .ifPresent(ips::add);
                }
            }
            List<ServicePort> sps = orEmpty(spec.getPorts());
            for (int i = 0; i < sps.size(); i++) {
                ServicePort sp = sps.get(i);
                String path = "spec.ports[" + i + "]";
                if (sp.getPort() == null) {
                    diagnostics.add(Diagnostic.error(ref, path + ".port", "missing required field"));
                    continue;
                }
                // targetPort defaults to port (API defaulting).
                IntOrString tp = sp.getTargetPort();
                String target = tp == null
                        ? sp.getPort().toString()
                        : tp.getIntVal() != null ? tp.getIntVal().toString() : String.valueOf(tp.getStrVal());
                protocol(sp.getProtocol(), ref, path, diagnostics)
                        .ifPresent(p -> ports.add(
                                new ServiceInfo.ServicePort(nullToEmpty(sp.getName()), p, sp.getPort(), target)));
            }
        }
        return new ServiceInfo(ref.namespace(), ref.name(), ips, ports);
    }

    /**
     * Service name from label {@value #SERVICE_NAME_LABEL} ("" when absent), addresses of endpoints
     * whose {@code conditions.ready} is not false (FQDN slices have none), ports with a number.
     */
    public static EndpointSliceInfo endpointSlice(EndpointSlice es, SourceRef source, List<Diagnostic> diagnostics) {
        var meta = es.getMetadata();
        ObjectRef ref = new ObjectRef("EndpointSlice", namespaceOf(meta), meta.getName(), meta.getUid(), source);
        String service = orEmpty(meta.getLabels()).getOrDefault(SERVICE_NAME_LABEL, "");
        List<IpAddress> addresses = new ArrayList<>();
        if (!"FQDN".equals(es.getAddressType())) {
            List<Endpoint> endpoints = orEmpty(es.getEndpoints());
            for (int i = 0; i < endpoints.size(); i++) {
                Endpoint e = endpoints.get(i);
                if (e.getConditions() != null
                        && Boolean.FALSE.equals(e.getConditions().getReady())) {
                    continue;
                }
                List<String> as = orEmpty(e.getAddresses());
                for (int j = 0; j < as.size(); j++) {
                    ip(as.get(j), ref, "endpoints[" + i + "].addresses[" + j + "]", diagnostics)
                            .ifPresent(addresses::add);
                }
            }
        }
        List<EndpointSliceInfo.EndpointPort> ports = new ArrayList<>();
        List<EndpointPort> eps = orEmpty(es.getPorts());
        for (int i = 0; i < eps.size(); i++) {
            EndpointPort p = eps.get(i);
            if (p.getPort() == null) {
                // A port without number means "all ports" to kube-proxy; nothing here needs it.
                continue;
            }
            protocol(p.getProtocol(), ref, "ports[" + i + "]", diagnostics)
                    .ifPresent(proto -> ports.add(
                            new EndpointSliceInfo.EndpointPort(nullToEmpty(p.getName()), proto, p.getPort())));
        }
        return new EndpointSliceInfo(ref.namespace(), ref.name(), service, addresses, ports);
    }

    private static Optional<IpAddress> ip(String text, ObjectRef ref, String path, List<Diagnostic> diagnostics) {
        Optional<IpAddress> ip = text == null ? Optional.empty() : IpAddress.tryParse(text);
        if (ip.isEmpty()) {
            diagnostics.add(Diagnostic.error(ref, path, "not an IP address: \"" + text + "\", ignored"));
        }
        return ip;
    }

    private static Optional<Protocol> protocol(String text, ObjectRef ref, String path, List<Diagnostic> diagnostics) {
        if (text == null) {
            return Optional.of(Protocol.TCP);
        }
        Optional<Protocol> p = Protocol.fromApi(text);
        if (p.isEmpty()) {
            diagnostics.add(Diagnostic.error(
                    ref,
                    path + ".protocol",
                    "unknown protocol \"" + text + "\" (expected TCP, UDP or SCTP), port ignored"));
        }
        return p;
    }

    static String namespaceOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        return meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
