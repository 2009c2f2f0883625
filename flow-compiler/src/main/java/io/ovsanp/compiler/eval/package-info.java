/**
 * The reference evaluator: decides one egress packet (source pod, destination IP, protocol, port)
 * directly from the API semantics of docs/semantics.md, tier by tier, and explains the verdict. It shares
 * no code with the compiler; property tests check compiled flows against it.
 */
package io.ovsanp.compiler.eval;
