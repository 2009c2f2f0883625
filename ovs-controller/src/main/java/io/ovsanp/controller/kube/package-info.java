/**
 * The Kubernetes side of the controller: {@link io.ovsanp.controller.kube.ClusterWatcher} keeps
 * informer caches of everything the compiler reads and turns them into a {@link
 * io.ovsanp.compiler.cluster.ClusterSnapshot}; {@link io.ovsanp.controller.kube.DevApiServer} serves a
 * CRUD mock API server seeded from manifests, for development and tests.
 */
package io.ovsanp.controller.kube;
