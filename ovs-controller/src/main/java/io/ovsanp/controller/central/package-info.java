/**
 * Central mode ({@code ovs-anp run --listen pssl:6653}): every node's br-int connects to us and is
 * the Node its TLS certificate names (plaintext, only when allowed explicitly: by datapath id
 * annotation or source address) ({@link
 * io.ovsanp.controller.central.SwitchMapping}, {@link io.ovsanp.controller.central.CentralSwitchSource}),
 * and replicas elect the one that writes on a coordination.k8s.io Lease ({@link
 * io.ovsanp.controller.central.LeaderElection}).
 */
package io.ovsanp.controller.central;
