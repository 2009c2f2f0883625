/**
 * Operations endpoints: the controller's metrics ({@link io.ovsanp.controller.metrics.MetricsListener})
 * and, when the audit log is on, its counters ({@link io.ovsanp.controller.metrics.AuditMetrics}), in a
 * Prometheus Java client registry that {@code run} owns, next to the JVM and process metrics;
 * liveness and readiness ({@link io.ovsanp.controller.metrics.Health}); both served by {@link
 * io.ovsanp.controller.metrics.OpsHttpServer} on the JDK's HTTP server, from process start.
 */
package io.ovsanp.controller.metrics;
