/**
 * Exhaustive verification of a node's installed flows against the reference evaluator (issue 18,
 * {@code ovs-anp verify}): the header space of new connections is cut into atomic cells, intervals
 * of each field on which every flow and every policy predicate is constant, and one representative
 * packet per cell is run through the simulator and the evaluator (docs/decisions.md, "verify: atomic
 * predicates").
 */
package io.ovsanp.compiler.verify;
