/**
 * The compiler: effective policies of a cluster snapshot → the flows of one node's egress pipeline,
 * with conjunctive matches, merged clause flows, and stable priority / conjunction-id / rule-id
 * allocation. Pure: no I/O, no threads, no clock.
 */
package io.ovsanp.compiler.compile;
