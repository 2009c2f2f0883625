package io.ovsanp.controller.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Liveness and readiness. Live: the process answers, the reconcile loop is not wedged, i.e. it has
 * not been busy with one piece of work for longer than {@code stallAfter} (the loop calls {@link
 * #loopBusy()} before a unit of work and {@link #loopIdle()} after it; an idle loop is live), and every
 * named liveness check holds (agent: the switch had an OpenFlow connection recently). Only what a
 * restart can cure belongs there: an unreachable API server does not. Ready: every named readiness
 * check holds (agent: informers synced, the cluster view fresh, switch connected and converged once;
 * central: informers synced, the view fresh, leader or standby). The text of both lists each check as
 * {@code [+]name} or {@code [-]name}, as the kube-apiserver's verbose health endpoints do.
 */
public final class Health {
    private final Duration stallAfter;
    private final LongSupplier nanoTime;
    private final Map<String, BooleanSupplier> liveness = new LinkedHashMap<>();
    private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    private volatile long busySince;
    private volatile boolean busy;

    public Health(Duration stallAfter, LongSupplier nanoTime) {
        this.stallAfter = stallAfter;
        this.nanoTime = nanoTime;
    }

    /** Live unless the loop has been busy for 5 minutes on one unit of work. */
    public Health() {
        this(Duration.ofMinutes(5), System::nanoTime);
    }

    public void loopBusy() {
        busySince = nanoTime.getAsLong();
        busy = true;
    }

    public void loopIdle() {
        busy = false;
    }

    /**
     * Adds a readiness check, or replaces the one of that name in its place; {@code name} appears in
     * {@code /readyz}. A check that throws fails. {@code run} names its checks before the ops server
     * starts, each failing until what it watches exists, and replaces them as those start.
     */
    public synchronized Health readyWhen(String name, BooleanSupplier check) {
        readiness.put(name, check);
        return this;
    }

    /** Adds a liveness check; {@code name} appears in {@code /healthz}. A check that throws fails. */
    public synchronized Health liveWhen(String name, BooleanSupplier check) {
        liveness.put(name, check);
        return this;
    }

    /** Outcome and the text served with it. */
    public record Result(boolean ok, String text) {}

    public synchronized Result live() {
        long since = busySince;
        boolean wedged = busy && nanoTime.getAsLong() - since > stallAfter.toNanos();
        String loop = wedged ? "[-]loop busy for more than " + stallAfter.toSeconds() + " s\n" : "[+]loop ok\n";
        return checked(!wedged, loop, liveness, "healthz");
    }

    public synchronized Result ready() {
        return checked(true, "", readiness, "readyz");
    }

    private static Result checked(boolean ok, String first, Map<String, BooleanSupplier> checks, String endpoint) {
        StringBuilder b = new StringBuilder(first);
        for (Map.Entry<String, BooleanSupplier> e : checks.entrySet()) {
            boolean pass;
            try {
                pass = e.getValue().getAsBoolean();
            } catch (RuntimeException ex) {
                pass = false;
            }
            ok &= pass;
            b.append(pass ? "[+]" : "[-]").append(e.getKey()).append('\n');
        }
        b.append(ok ? "ok\n" : endpoint + " check failed\n");
        return new Result(ok, b.toString());
    }
}
