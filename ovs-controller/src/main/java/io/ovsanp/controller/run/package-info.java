/**
 * The running controller ({@code ovs-anp run}): the per-node reconcile loop fed by the cluster
 * watcher, the sources of switch connections (agent: one local switch; central: many switches that
 * connect in), and the listeners that turn realisation results into status, events and metrics.
 */
package io.ovsanp.controller.run;
