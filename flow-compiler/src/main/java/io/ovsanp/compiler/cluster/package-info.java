/**
 * The cluster snapshot: an immutable, sorted value of namespaces, pods, nodes, services, endpoint
 * slices and policies. Built from YAML files offline or from informer caches in the controller.
 */
package io.ovsanp.compiler.cluster;
