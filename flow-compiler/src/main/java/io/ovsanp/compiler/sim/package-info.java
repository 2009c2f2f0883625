/**
 * A flow-table simulator with OVS 3.1 lookup semantics, conjunctions included (priorities, masks,
 * partial matches falling through to lower priorities and to identical-match "twins", the nested
 * conj_id search over the whole table). Property tests run compiled flows through {@link
 * io.ovsanp.compiler.sim.Simulator} and compare the verdict with the reference evaluator; an oracle
 * test compares it with {@code ofproto/trace} on a real switch. Where OVS's choice is unspecified
 * the simulator throws {@link io.ovsanp.compiler.sim.AmbiguousLookupException} instead of guessing.
 */
package io.ovsanp.compiler.sim;
