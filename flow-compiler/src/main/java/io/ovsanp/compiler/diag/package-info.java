/**
 * Diagnostics: user-input problems as values (object, field path, severity, message), with the
 * file and YAML document they came from. Nothing here throws for bad input.
 */
package io.ovsanp.compiler.diag;
