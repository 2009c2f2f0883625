package io.ovsanp.controller.openflow;

import io.ovsanp.controller.openflow.wire.PacketIn;

/**
 * Where a connection's packet-ins go (the audit log; OFPT_PACKET_IN or NXT_PACKET_IN2, see {@link
 * #wantsContinuations()}). {@link #accept} runs on the connection's Netty
 * event loop, so it must only hand the message on (a bounded queue) and never block or throw.
 * {@link #connected} runs once per connection after the handshake, before anything else is sent on
 * it: the place to install what the copies need (the audit meter). {@link #NONE} keeps the
 * handshake's {@code miss_send_len=0}, so a service connection receives no packet-ins at all.
 */
public interface PacketInSink {
    PacketInSink NONE = new PacketInSink() {
        @Override
        public void accept(OfConnection from, PacketIn packetIn) {}

        @Override
        public boolean wantsPacketIns() {
            return false;
        }
    };

    void accept(OfConnection from, PacketIn packetIn);

    /** False only for {@link #NONE}. */
    default boolean wantsPacketIns() {
        return true;
    }

    /**
     * True to receive packet-ins as NXT_PACKET_IN2 (docs/ovs-notes.md §2.7): the handshake then sends
     * NXT_SET_PACKET_IN_FORMAT after SET_CONFIG (with {@code miss_send_len} OFPCML_NO_BUFFER), and a
     * packet stopped by {@code controller(pause)} arrives with the continuation {@link
     * OfConnection#resume} needs; without it such a packet arrives without one and is lost. Every
     * packet-in of the connection, the audit copies too, then comes in that format.
     */
    default boolean wantsContinuations() {
        return false;
    }

    default void connected(OfConnection connection) {}
}
