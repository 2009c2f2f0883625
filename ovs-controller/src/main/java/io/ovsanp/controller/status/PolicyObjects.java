package io.ovsanp.controller.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.util.Optional;

/**
 * Where the status writer reads the current object (its status, generation and resourceVersion).
 * In the controller this is the informer cache ({@link #of(ClusterWatcher)}), so comparing costs no
 * request.
 */
@FunctionalInterface
public interface PolicyObjects {
    /** The AdminNetworkPolicy or BaselineAdminNetworkPolicy {@code name} as last seen; empty if gone. */
    Optional<GenericKubernetesResource> get(Tier tier, String name);

    static PolicyObjects of(ClusterWatcher watcher) {
        return watcher::policyObject;
    }
}
