/**
 * The flow model: OpenFlow 1.3 flows (with the OVS extensions ovs-anp uses) as values. Small types
 * ({@link io.ovsanp.compiler.flow.TableId}, {@link io.ovsanp.compiler.flow.Priority}, {@link
 * io.ovsanp.compiler.flow.Cookie}, {@link io.ovsanp.compiler.flow.ConjId}) keep protocol scalars
 * apart; constructors refuse flows OVS would reject.
 */
package io.ovsanp.compiler.flow;
