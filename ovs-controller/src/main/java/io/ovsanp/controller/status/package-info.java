/**
 * What users see of the controller's work on the policy objects themselves: the {@code Ready}
 * condition in {@code status.conditions} of every AdminNetworkPolicy and the
 * BaselineAdminNetworkPolicy, and a Warning Event per invalid rule. Both are {@link
 * io.ovsanp.controller.run.RealisationListener}s and write from their own thread, never the loop's.
 */
package io.ovsanp.controller.status;
