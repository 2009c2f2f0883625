package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects flows and merges clause flows: OVS keeps one flow per (table, priority, match), so every
 * conjunction that needs the same clause at the same priority shares one flow carrying all their
 * {@code conjunction(...)} actions (docs/ovs-notes.md §1.3, "Merging is mandatory").
 */
final class FlowAccumulator {
    /** Conjunction actions by id, then clause number. */
    private static final Comparator<FlowAction> CONJ_ORDER = (a, b) -> {
        FlowAction.Conjunction x = (FlowAction.Conjunction) a;
        FlowAction.Conjunction y = (FlowAction.Conjunction) b;
        int c = x.id().compareTo(y.id());
        return c != 0 ? c : Integer.compare(x.clause(), y.clause());
    };

    private final PipelineSpec pipeline;
    private final FlowInterner interner;
    private final Map<Flow.FlowKey, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        final Cookie cookie;
        final List<FlowAction> actions = new ArrayList<>();
        final boolean clause;

        Entry(Cookie cookie, boolean clause) {
            this.cookie = cookie;
            this.clause = clause;
        }
    }

    FlowAccumulator(PipelineSpec pipeline, FlowInterner interner) {
        this.pipeline = pipeline;
        this.interner = interner;
    }

    /** A flow with its own actions; an identical flow may be added twice, a different one may not. */
    boolean plain(TableId table, int priority, Cookie cookie, Match match, List<FlowAction> actions) {
        Flow.FlowKey key = new Flow.FlowKey(table, Priority.of(priority), match);
        Entry e = entries.get(key);
        if (e != null) {
            if (e.clause || !e.actions.equals(actions) || !e.cookie.equals(cookie)) {
                throw new IllegalStateException("conflicting flows for " + key);
            }
            return false;
        }
        e = new Entry(cookie, false);
        e.actions.addAll(actions);
        entries.put(key, e);
        return true;
    }

    /** Adds a conjunction action to the clause flow for (table, priority, match). */
    boolean clause(TableId table, int priority, Cookie cookie, Match match, FlowAction.Conjunction conj) {
        Flow.FlowKey key = new Flow.FlowKey(table, Priority.of(priority), match);
        Entry e = entries.get(key);
        boolean added = e == null;
        if (e == null) {
            e = new Entry(cookie, true);
            entries.put(key, e);
        } else if (!e.clause) {
            throw new IllegalStateException("clause flow collides with a plain flow at " + key);
        }
        if (!e.actions.contains(conj)) {
            e.actions.add(conj);
        }
        return added;
    }

    int size() {
        return entries.size();
    }

    List<Flow> flows() {
        List<Flow> out = new ArrayList<>(entries.size());
        for (Map.Entry<Flow.FlowKey, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            List<FlowAction> actions = new ArrayList<>(e.actions);
            if (e.clause) {
                actions.sort(CONJ_ORDER);
            }
            Flow.FlowKey k = me.getKey();
            out.add(pipeline.check(new Flow(
                    k.table(),
                    k.priority(),
                    interner.cookie(e.cookie),
                    interner.match(k.match()),
                    interner.actions(actions))));
        }
        out.sort(Flow.ORDER);
        return out;
    }
}
