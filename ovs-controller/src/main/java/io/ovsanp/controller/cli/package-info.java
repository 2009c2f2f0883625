/**
 * The {@code ovs-anp} command line (picocli): compile, explain and validate on YAML snapshots.
 * Exit codes: 0 success, 1 something found (diagnostics, differences), 2 bad input or usage.
 */
package io.ovsanp.controller.cli;
