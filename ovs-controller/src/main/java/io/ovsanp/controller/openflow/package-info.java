/**
 * OpenFlow connections to Open vSwitch bridges: targets ({@link
 * io.ovsanp.controller.openflow.SwitchTarget}), TLS from PEM files, dialling and listening, the
 * OpenFlow 1.3 handshake and keepalive, xid-correlated requests, multipart flow dumps and atomic ONF
 * bundles ({@link io.ovsanp.controller.openflow.OfConnection}), and a connection kept up across
 * ovs-vswitchd restarts ({@link io.ovsanp.controller.openflow.ReconnectingSwitch}). All socket work
 * runs on shared Netty event loops and is never blocked; results come back as futures completed off
 * those loops. Facts relied on: docs/ovs-notes.md §2.5 (bundles), §5.3 (connections, keepalive), §5.6
 * (multipart), §5.7 (barriers).
 */
package io.ovsanp.controller.openflow;
