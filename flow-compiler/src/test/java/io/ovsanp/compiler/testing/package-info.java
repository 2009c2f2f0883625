/**
 * Test fixtures shared through the flow-compiler test-jar: fluent builders for cluster snapshots
 * (namespaces, pods, nodes) and for effective policies and rules, so tests state only what matters.
 */
package io.ovsanp.compiler.testing;
