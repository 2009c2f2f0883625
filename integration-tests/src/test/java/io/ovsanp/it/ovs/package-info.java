/**
 * The harness every OVS integration test uses: {@link io.ovsanp.it.ovs.PrivateOvs} starts a private
 * ovsdb-server and userspace ovs-vswitchd (own run directory, own network namespace) and cleans up
 * exactly what it started; {@link io.ovsanp.it.ovs.Bridge} loads, dumps and traces flows with the
 * OVS tools; {@link io.ovsanp.it.ovs.OvsSupport} skips OVS tests where OVS cannot run, except on CI
 * ({@code CI=true}), where it fails them.
 */
package io.ovsanp.it.ovs;
