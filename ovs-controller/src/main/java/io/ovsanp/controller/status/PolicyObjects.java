package io.ovsanp.controller.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.util.Optional;

/**
 * Where the status writer reads the current object (its status, generation and resourceVersion).
 * In the controller this is the informer cache ({@link #of(ClusterWatcher)}), so comparing costs no
 * request.
 */
@FunctionalInterface
public interface PolicyObjects {
    /**
     * The policy of {@code kind} (AdminNetworkPolicy, BaselineAdminNetworkPolicy or
     * ClusterNetworkPolicy) named {@code name} as last seen; empty if gone.
     */
    Optional<GenericKubernetesResource> get(String kind, String name);

    static PolicyObjects of(ClusterWatcher watcher) {
        return watcher::policyObject;
    }
}
