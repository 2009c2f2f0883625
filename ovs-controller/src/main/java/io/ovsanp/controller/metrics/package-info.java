/**
 * Operations endpoints: Prometheus text exposition of the controller's work ({@link
 * io.ovsanp.controller.metrics.MetricsListener}), liveness and readiness ({@link
 * io.ovsanp.controller.metrics.Health}), served by {@link io.ovsanp.controller.metrics.OpsHttpServer} on
 * the JDK's HTTP server.
 */
package io.ovsanp.controller.metrics;
