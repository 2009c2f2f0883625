/**
 * Domain names as {@code domainNames} peers use them: the API's patterns ({@link
 * io.ovsanp.compiler.dns.DomainPattern}) and what names resolved to ({@link
 * io.ovsanp.compiler.dns.ResolverState}). Pure data; the controller learns the state from DNS answers.
 */
package io.ovsanp.compiler.dns;
