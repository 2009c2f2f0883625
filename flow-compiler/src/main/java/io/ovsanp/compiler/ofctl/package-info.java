/**
 * The ovs-ofctl text form of flows: {@link io.ovsanp.compiler.ofctl.OfctlRenderer} writes add-flows
 * lines whose match and actions read exactly like {@code ovs-ofctl -O OpenFlow13 dump-flows} output
 * (OVS 3.1, checked against a live switch by the oracle test), and {@link
 * io.ovsanp.compiler.ofctl.OfctlParser} reads both forms back into the flow model. Pure: no I/O.
 */
package io.ovsanp.compiler.ofctl;
