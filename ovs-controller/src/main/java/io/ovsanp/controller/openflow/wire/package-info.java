/**
 * The OpenFlow 1.3 wire codec with the Open vSwitch extensions ovs-anp needs: messages as records
 * ({@link io.ovsanp.controller.openflow.wire.OfMessage}), the flow model's match and actions as OXM
 * TLVs and instructions ({@link io.ovsanp.controller.openflow.wire.FlowCodec}, Nicira actions,
 * NXM class 0x0001 fields), ONF bundles over OF1.3 experimenter messages, and Netty framing
 * ({@link io.ovsanp.controller.openflow.wire.OfDecoder}, {@link
 * io.ovsanp.controller.openflow.wire.OfEncoder}). Malformed input raises {@link
 * io.ovsanp.controller.openflow.wire.OfProtocolException}; well-formed content the flow model
 * cannot hold stays opaque ({@link io.ovsanp.controller.openflow.wire.DumpedFlow}) so a reconciler
 * sees it as different from anything it would install. Layouts: OpenFlow 1.3.5 spec,
 * include/openflow/nicira-ext.h and onf-ext of OVS 3.1, and docs/ovs-notes.md §2.
 */
package io.ovsanp.controller.openflow.wire;
