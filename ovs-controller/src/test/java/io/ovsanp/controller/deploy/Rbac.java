package io.ovsanp.controller.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the RBAC objects of {@code deploy/} grant a service account, as (namespace, rule) pairs
 * ({@code ""} namespace: cluster-wide, from a ClusterRole bound by a ClusterRoleBinding), and
 * whether a request is allowed, with the apiserver's matching: group, resource (with subresource),
 * verb, and resourceNames when the rule lists any. Wildcards are not supported: a {@code *} in our
 * manifests would be a mistake, so it fails the model instead of matching.
 */
final class Rbac {
    record Grant(String namespace, String group, String resource, String verb, List<String> resourceNames) {}

    private final List<Grant> grants = new ArrayList<>();

    Rbac(List<HasMetadata> objects, String serviceAccountNamespace, String serviceAccount) {
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b
                    && boundTo(b.getSubjects(), serviceAccountNamespace, serviceAccount)) {
                add("", rules(objects, b.getRoleRef(), ""));
            } else if (o instanceof RoleBinding b
                    && boundTo(b.getSubjects(), serviceAccountNamespace, serviceAccount)) {
                add(
                        b.getMetadata().getNamespace(),
                        rules(objects, b.getRoleRef(), b.getMetadata().getNamespace()));
            }
        }
    }

    private static boolean boundTo(List<Subject> subjects, String ns, String sa) {
        return subjects.stream()
                .anyMatch(s ->
                        "ServiceAccount".equals(s.getKind()) && sa.equals(s.getName()) && ns.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
        for (HasMetadata o : objects) {
            if (ref.getKind().equals("ClusterRole")
                    && o instanceof ClusterRole r
                    && r.getMetadata().getName().equals(ref.getName())) {
                return r.getRules();
            }
            if (ref.getKind().equals("Role")
                    && o instanceof Role r
                    && r.getMetadata().getName().equals(ref.getName())
                    && Objects.equals(r.getMetadata().getNamespace(), namespace)) {
                return r.getRules();
            }
        }
        throw new IllegalArgumentException("binding refers to a missing " + ref.getKind() + " " + ref.getName());
    }

    private void add(String namespace, List<PolicyRule> rules) {
        for (PolicyRule r : rules) {
            if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
                throw new IllegalArgumentException("nonResourceURLs are not expected: " + r);
            }
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        if (g.contains("*") || res.contains("*") || v.contains("*")) {
                            throw new IllegalArgumentException("wildcard in an RBAC rule: " + r);
                        }
                        grants.add(new Grant(namespace, g, res, v, List.copyOf(r.getResourceNames())));
                    }
                }
            }
        }
    }

    List<Grant> grants() {
        return List.copyOf(grants);
    }

    /** The grants that allow {@code call}. */
    List<Grant> allowing(ApiCall call) {
        return grants.stream().filter(g -> allows(g, call)).toList();
    }

    static boolean allows(Grant g, ApiCall c) {
        return (g.namespace().isEmpty() || g.namespace().equals(c.namespace()))
                && g.group().equals(c.group())
                && g.resource().equals(c.qualifiedResource())
                && g.verb().equals(c.verb())
                && (g.resourceNames().isEmpty() || g.resourceNames().contains(c.name()));
    }
}
