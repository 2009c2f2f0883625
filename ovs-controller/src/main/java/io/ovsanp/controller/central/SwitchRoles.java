package io.ovsanp.controller.central;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The OpenFlow role every switch connection must have and the role each has confirmed, without
 * I/O (docs/decisions.md, "High availability"). While this replica leads with generation {@code g},
 * every connection must be MASTER with {@code g}; while it stands by, SLAVE. A connection is
 * {@link #writable} only once the switch has confirmed MASTER with the current generation, so a
 * replica never writes a switch that has not made it master, and OVS itself refuses the flows of a
 * replica whose generation another has overtaken. Not thread-safe: one thread owns it.
 *
 * @param <C> the connection type
 */
final class SwitchRoles<C> {
    static final Duration RETRY_FIRST = Duration.ofMillis(250);
    static final Duration RETRY_MAX = Duration.ofSeconds(8);

    /** Ask the switch behind {@code connection} for MASTER with {@code generation}, or SLAVE when empty. */
    record Request<C>(C connection, OptionalLong masterGeneration) {
        Request {
            Objects.requireNonNull(connection);
            Objects.requireNonNull(masterGeneration);
        }

        boolean master() {
            return masterGeneration.isPresent();
        }

        String describe() {
            return master() ? "master with generation " + masterGeneration.getAsLong() : "slave";
        }
    }

    private OptionalLong term = OptionalLong.empty();
    private final Map<C, Request<C>> confirmed = new HashMap<>();
    private final Map<C, Integer> failures = new HashMap<>();
    private final List<C> connections = new ArrayList<>();

    /** The generation we lead with; empty while standing by. */
    OptionalLong term() {
        return term;
    }

    /** We lead with {@code generation}: every connection must become MASTER with it. */
    List<Request<C>> lead(long generation) {
        term = OptionalLong.of(generation);
        return requestAll();
    }

    /** We stand by: every connection must become SLAVE (and none is writable from now on). */
    List<Request<C>> standBy() {
        term = OptionalLong.empty();
        return requestAll();
    }

    /** A new connection: the request it needs now. */
    Request<C> added(C c) {
        if (!connections.contains(c)) {
            connections.add(c);
        }
        return wanted(c);
    }

    void removed(C c) {
        connections.remove(c);
        confirmed.remove(c);
        failures.remove(c);
    }

    /**
     * The switch confirmed {@code done}; returns whether that is the role {@code c} must have now. A
     * reply to a request that is no longer wanted (leadership changed meanwhile) confirms nothing: the
     * request for the current state was sent after it and its reply decides.
     */
    boolean confirmed(Request<C> done) {
        C c = done.connection();
        if (!connections.contains(c) || !done.equals(wanted(c))) {
            return false;
        }
        confirmed.put(c, done);
        failures.remove(c);
        return true;
    }

    /**
     * The switch refused {@code failed} (or the request could not be made). {@code c} is not writable
     * until a later request succeeds. Returns how long to wait before retrying {@link #retry}: doubling
     * from {@link #RETRY_FIRST} to {@link #RETRY_MAX} per connection.
     */
    Duration failed(Request<C> failed) {
        C c = failed.connection();
        confirmed.remove(c);
        int n = failures.merge(c, 1, Integer::sum);
        long ms = RETRY_FIRST.toMillis() << Math.min(n - 1, 10);
        return Duration.ofMillis(Math.min(ms, RETRY_MAX.toMillis()));
    }

    /** The request to retry for {@code c} with the leadership state as it is now; empty if none is due. */
    java.util.Optional<Request<C>> retry(C c) {
        if (!connections.contains(c) || wanted(c).equals(confirmed.get(c))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(wanted(c));
    }

    /** What the switch last confirmed for {@code c}: "master with generation G", "slave", else "none". */
    String describe(C c) {
        Request<C> r = confirmed.get(c);
        return r != null ? r.describe() : failures.containsKey(c) ? "none (refused)" : "none";
    }

    /** Whether we lead and the switch confirmed {@code c} as MASTER with the current generation. */
    boolean writable(C c) {
        Request<C> r = confirmed.get(c);
        return term.isPresent() && r != null && r.masterGeneration().equals(term);
    }

    private Request<C> wanted(C c) {
        return new Request<>(c, term);
    }

    private List<Request<C>> requestAll() {
        Map<C, Request<C>> out = new LinkedHashMap<>();
        for (C c : connections) {
            out.put(c, wanted(c));
            failures.remove(c);
        }
        return List.copyOf(out.values());
    }
}
