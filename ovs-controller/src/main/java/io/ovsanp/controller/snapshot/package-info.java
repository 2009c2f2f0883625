/**
 * Offline input: reads Kubernetes YAML/JSON manifests (files, directories, multi-document files,
 * {@code kind: List}) into a {@link io.ovsanp.compiler.cluster.ClusterSnapshot}. Built-in kinds are
 * bound with the fabric8 model; AdminNetworkPolicy and BaselineAdminNetworkPolicy are read field by
 * field so that every structural problem becomes a diagnostic with its exact field path.
 */
package io.ovsanp.controller.snapshot;
