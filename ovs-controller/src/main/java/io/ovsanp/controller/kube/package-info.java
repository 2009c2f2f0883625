/**
 * The Kubernetes side of the controller: {@link io.ovsanp.controller.kube.ClusterWatcher} keeps
 * informer caches of everything the compiler reads and turns them into a {@link
 * io.ovsanp.compiler.cluster.ClusterSnapshot}; {@link io.ovsanp.controller.kube.ApiConnectivity} tells
 * from those informers whether the API server is still seen (logged once per loss and regain, the
 * view's staleness for readiness). The CRUD mock API server for development is the
 * {@code dev-apiserver} module, outside the agent's jar.
 */
package io.ovsanp.controller.kube;
