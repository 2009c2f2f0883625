package io.ovsanp.controller.deploy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One Kubernetes API request as RBAC sees it: API group ({@code ""} for core), resource,
 * subresource, namespace ({@code ""} for cluster-scoped or all namespaces), object name ({@code ""}
 * for collections) and verb. {@link #of} maps an HTTP request of fabric8's client to it the way the
 * kube-apiserver's request-info resolver does: GET of a name is {@code get}, of a collection
 * {@code list}, or {@code watch} with {@code watch=true}; POST {@code create}; PUT {@code update};
 * PATCH {@code patch}; DELETE {@code delete} or {@code deletecollection}.
 *
 * <p>Requests outside {@code /api/v1/...} and {@code /apis/GROUP/VERSION/...} (discovery, {@code
 * /version}, the apiserver's own health) are not resource requests: {@link #isResourceRequest} tells
 * them apart, and {@link #allowedToEveryAccount} says whether Kubernetes' default ClusterRoles
 * {@code system:discovery} and {@code system:public-info-viewer} (bound to every authenticated user)
 * already allow one, so that no RBAC of ours is needed for it.
 */
record ApiCall(String group, String resource, String subresource, String namespace, String name, String verb) {
    /** The non-resource URLs of {@code system:discovery} and {@code system:public-info-viewer}; {@code *} a suffix. */
    private static final List<String> DEFAULT_NON_RESOURCE_URLS = List.of(
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
            "/healthz",
            "/livez",
            "/readyz",
            "/openapi",
            "/openapi/*",
            "/version",
            "/version/");

    /** {@code resource/subresource} or {@code resource}, as RBAC rules name it. */
    String qualifiedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** Whether {@code pathAndQuery} names a resource (else it is discovery or another non-resource URL). */
    static boolean isResourceRequest(String pathAndQuery) {
        List<String> seg = segments(pathAndQuery);
        return (seg.size() >= 3 && seg.get(0).equals("api"))
                || (seg.size() >= 4 && seg.get(0).equals("apis"));
    }

    /** A GET of a non-resource URL that the default ClusterRoles allow to every authenticated account. */
    static boolean allowedToEveryAccount(String method, String pathAndQuery) {
        String path = URI.create(pathAndQuery).getPath();
        return (method.equals("GET") || method.equals("HEAD"))
                && !isResourceRequest(pathAndQuery)
                && DEFAULT_NON_RESOURCE_URLS.stream()
                        .anyMatch(u ->
                                u.endsWith("*") ? path.startsWith(u.substring(0, u.length() - 1)) : path.equals(u));
    }

    private static List<String> segments(String pathAndQuery) {
        return Arrays.stream(URI.create(pathAndQuery).getPath().split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static ApiCall of(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        List<String> seg = segments(pathAndQuery);
        String group;
        int i;
        if (seg.size() >= 2 && seg.get(0).equals("api")) {
            group = "";
            i = 2; // api, v1
        } else if (seg.size() >= 3 && seg.get(0).equals("apis")) {
            group = seg.get(1);
            i = 3; // apis, group, version
        } else {
            throw new IllegalArgumentException("not a resource request: " + pathAndQuery);
        }
        List<String> rest = seg.subList(i, seg.size());
        String namespace = "";
        // namespaces/{ns}/{resource}... is a namespaced resource; namespaces[/{name}[/status|finalize]] is Namespace
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            throw new IllegalArgumentException("cannot read resource of " + pathAndQuery);
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String sub = rest.size() > 2 ? rest.get(2) : "";
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        boolean watch = Arrays.stream(query.split("&")).anyMatch(q -> q.equals("watch=true") || q.equals("watch=1"));
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method);
        };
        return new ApiCall(group, resource, sub, namespace, name, verb);
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "core" : group) + " " + qualifiedResource()
                + (name.isEmpty() ? "" : " " + name) + (namespace.isEmpty() ? "" : " in " + namespace);
    }
}
