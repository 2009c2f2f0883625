package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.PacketIn;

/**
 * A DNS answer a switch paused for the controller that taught its pod a new address ({@link
 * io.ovsanp.controller.dns.DnsLearning.Kind#LEARNED}): it is resumed
 * once a compile with learned version {@code version} (or later) of its node's state has been realised
 * ({@code arrivedNanos}: System.nanoTime() when it reached the loop).
 */
record HeldAnswer(OfConnection from, PacketIn packetIn, long version, long arrivedNanos) {}
