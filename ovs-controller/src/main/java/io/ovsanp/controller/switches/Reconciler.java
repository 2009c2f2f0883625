package io.ovsanp.controller.switches;

import io.ovsanp.compiler.compile.MegaflowGuard;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one switch hold exactly the desired flows among those it owns (cookie owner tag, {@link
 * Cookie#OWNER_MASK}); flows of other owners are never read, modified or deleted. The installed view
 * is learned by a cookie-masked dump, then tracked: it changes only after the switch confirmed the
 * commit of the atomic bundle that changed it. A rejected bundle is discarded by the switch, which
 * keeps its previous flows; so does the view. One reconciler per connection, used by one thread.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final OfConnection connection;
    private final Duration timeout;
    private FlowSet installed;
    private List<DumpedFlow> opaque = List.of();

    public Reconciler(OfConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /**
     * Converges using the tracked view (dumping first if it is not known yet). A change also moves the
     * pipeline's megaflow guard in the same bundle ({@link MegaflowGuard#plan}).
     */
    public ReconcileResult converge(FlowSet desired) throws ReconcileException {
        return converge(desired, false);
    }

    /** Dumps the switch again first: repairs out-of-band deletions and edits (the audit). */
    public ReconcileResult audit(FlowSet desired) throws ReconcileException {
        return converge(desired, true);
    }

    /** What the switch holds now, as far as this reconciler knows (dumps when unknown). */
    public List<Flow> installed() throws ReconcileException {
        if (installed == null) {
            refresh();
        }
        return installed.flows();
    }

    public List<DumpedFlow> unreadable() {
        return opaque;
    }

    private ReconcileResult converge(FlowSet desired, boolean dumpFirst) throws ReconcileException {
        long start = System.nanoTime();
        if (installed == null || dumpFirst) {
            refresh();
        }
        long dumped = System.nanoTime();
        MegaflowGuard.Plan plan = MegaflowGuard.plan(installed, desired);
        FlowDiff diff = plan.diff();
        List<FlowMod> mods = new ArrayList<>(opaque.size() + diff.size());
        for (DumpedFlow d : opaque) {
            mods.add(FlowMod.deleteStrict(0, d));
        }
        for (Flow f : diff.deletes()) {
            mods.add(deleteOurs(f));
        }
        for (Flow f : diff.modifies()) {
            mods.add(FlowMod.modifyStrict(0, f));
        }
        for (Flow f : diff.adds()) {
            mods.add(FlowMod.add(0, f));
        }
        long diffed = System.nanoTime();
        if (!mods.isEmpty()) {
            await(connection.bundle(mods), "bundle of " + mods.size() + " flow-mods");
            installed = plan.target();
            opaque = List.of();
        }
        long end = System.nanoTime();
        ReconcileResult r = new ReconcileResult(
                diff, mods.size() - diff.size(), end - start, dumped - start, diffed - dumped, end - diffed);
        LOG.debug("dpid={} {}", connection.datapathId(), r.summary());
        return r;
    }

    private void refresh() throws ReconcileException {
        List<DumpedFlow> dumped = await(connection.dumpFlows(FlowStatsRequest.ours(connection.nextXid())), "flow dump");
        Map<Flow.FlowKey, Flow> view = new LinkedHashMap<>();
        List<DumpedFlow> unreadable = new ArrayList<>();
        for (DumpedFlow d : dumped) {
            Optional<Flow> f = d.flow();
            if (f.isPresent() && f.get().cookie().isOurs()) {
                view.put(f.get().key(), f.get());
            } else if (d.cookie().isOurs()) {
                unreadable.add(d);
            }
        }
        installed = FlowSet.of(view.values());
        opaque = List.copyOf(unreadable);
    }

    /** DELETE_STRICT of our flow with that key only (cookie filtered by the owner tag). */
    private static FlowMod deleteOurs(Flow f) {
        FlowMod strict = FlowMod.deleteStrict(0, f.key());
        return new FlowMod(
                strict.xid(),
                strict.command(),
                strict.table(),
                strict.priority(),
                f.cookie(),
                Cookie.OWNER_MASK,
                strict.match(),
                strict.rawMatch(),
                strict.actions(),
                strict.idleTimeout(),
                strict.hardTimeout(),
                strict.flags());
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) throws ReconcileException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ReconcileException(what + " failed on " + connection.remote() + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new ReconcileException(what + " timed out after " + timeout + " on " + connection.remote(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReconcileException(what + " interrupted", e);
        }
    }
}
