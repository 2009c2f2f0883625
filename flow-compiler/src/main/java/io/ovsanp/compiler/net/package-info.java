/**
 * Address and port values the compiler normalises before it emits flows: IPv4/IPv6 addresses and
 * CIDRs parsed strictly (no DNS, no leading zeros, no zone ids) and printed the way {@code
 * ovs-ofctl} prints them, CIDR aggregation and {@code ipBlock.except} subtraction, and the split of
 * a port range into the minimal set of value/mask matches.
 *
 * <p>Everything here is an immutable value or a pure function; invalid user input is reported with
 * {@link java.lang.IllegalArgumentException} so the policy layer can turn it into a diagnostic.
 */
package io.ovsanp.compiler.net;
