/**
 * Test support for ovs-controller: {@link io.ovsanp.controller.testing.TestPki}, certificates made
 * by the {@code openssl} CLI, and {@link io.ovsanp.controller.testing.CapturedLog}. A private Open
 * vSwitch, commands and the skip rule come from the shared toolkit, {@code io.ovsanp.testkit}.
 */
package io.ovsanp.controller.testing;
