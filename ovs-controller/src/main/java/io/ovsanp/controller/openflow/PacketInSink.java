package io.ovsanp.controller.openflow;

import io.ovsanp.controller.openflow.wire.PacketIn;

/**
 * Where a connection's PACKET_INs go (the audit log). {@link #accept} runs on the connection's Netty
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

    default void connected(OfConnection connection) {}
}
