/**
 * The policy model: ANP/BANP/NetworkPolicy egress rules as sealed, tier-neutral values ({@code
 * Peer}, {@code PortMatch}, {@code Rule}), the validator that applies the API's limits, and the
 * effective form (validated, fail-closed rewritten) that the compiler and the evaluator consume.
 */
package io.ovsanp.compiler.policy;
