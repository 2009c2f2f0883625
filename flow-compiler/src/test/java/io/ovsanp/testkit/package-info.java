/**
 * The test toolkit every module's tests share, through the flow-compiler test-jar (so it uses no
 * Netty, fabric8 or ovs-controller type): {@link io.ovsanp.testkit.Command} runs a program (env,
 * timeout, stdin, network namespace; output captured in files), {@link
 * io.ovsanp.testkit.BackgroundProcess} is one that keeps running, {@link io.ovsanp.testkit.PrivateOvs}
 * and {@link io.ovsanp.testkit.Bridge} a private Open vSwitch (own run directory and network
 * namespace, docs/ovs-notes.md §6.1) that cleans up exactly what it started, and {@link
 * io.ovsanp.testkit.Needs} the one rule for what a test needs of the machine: skipped where it is
 * missing, failed with {@code CI=true}.
 */
package io.ovsanp.testkit;
