/**
 * The Kubernetes side of the controller: {@link io.ovsanp.controller.kube.ClusterWatcher} keeps
 * informer caches of everything the compiler reads and turns them into a {@link
 * io.ovsanp.compiler.cluster.ClusterSnapshot}; {@link io.ovsanp.controller.kube.ApiConnectivity} tells
 * from those informers whether the API server is still seen (logged once per loss and regain, the
 * view's staleness for readiness); {@link io.ovsanp.controller.kube.DevApiServer} serves a CRUD mock
 * API server seeded from manifests, for development and tests.
 */
package io.ovsanp.controller.kube;
