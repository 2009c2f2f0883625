package io.ovsanp.controller.openflow;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admission of new connections to a listener while they shake hands (TCP accepted, TLS and the
 * OpenFlow HELLO/FEATURES exchange not finished): at most {@code total} at once, and at most {@code
 * perAddress} from one source address, so one host cannot exhaust the listener with half-open
 * connections. A connection leaves the gate when its handshake ends, either way. Thread-safe.
 */
final class HandshakeGate {
    private final ListenerLimits limits;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    HandshakeGate(ListenerLimits limits) {
        this.limits = limits;
    }

    /** Admits a connection from {@code from}, or says which limit it is over. */
    synchronized Optional<String> admit(InetAddress from) {
        if (total >= limits.maxHandshakes()) {
            return Optional.of(
                    "refused: " + total + " handshakes in progress (at most " + limits.maxHandshakes() + ")");
        }
        int mine = perAddress.getOrDefault(from, 0);
        if (mine >= limits.maxHandshakesPerAddress()) {
            return Optional.of("refused: " + mine + " handshakes in progress from this address (at most "
                    + limits.maxHandshakesPerAddress() + ")");
        }
        total++;
        perAddress.put(from, mine + 1);
        return Optional.empty();
    }

    /** The handshake of an admitted connection from {@code from} has ended. */
    synchronized void release(InetAddress from) {
        Integer mine = perAddress.get(from);
        if (mine == null) {
            throw new IllegalStateException("release without admit: " + from);
        }
        if (mine == 1) {
            perAddress.remove(from);
        } else {
            perAddress.put(from, mine - 1);
        }
        total--;
    }

    /** Handshakes in progress. */
    synchronized int inProgress() {
        return total;
    }
}
