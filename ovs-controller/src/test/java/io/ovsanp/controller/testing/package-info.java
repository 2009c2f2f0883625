/**
 * Test support for ovs-controller: {@link io.ovsanp.controller.testing.TestOvs}, a private Open
 * vSwitch (own run directory and network namespace) for the tests that talk to a real switch.
 */
package io.ovsanp.controller.testing;
