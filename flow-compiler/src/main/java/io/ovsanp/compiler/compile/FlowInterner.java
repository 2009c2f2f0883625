package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each equal match, action list and cookie among the flows compiled from one
 * snapshot ({@link SnapshotIndex}). Nodes repeat each other's flows (the pipeline, every rule's
 * destination clauses) and a node repeats its pods' source matches in every rule: a controller
 * holding every node's flows keeps each distinct value once instead of once per flow
 * (docs/benchmarks.md, heap after full sync). All three are immutable values; thread-safe.
 */
final class FlowInterner {
    private final Map<Match, Match> matches = new ConcurrentHashMap<>();
    private final Map<List<FlowAction>, List<FlowAction>> actions = new ConcurrentHashMap<>();
    private final Map<Cookie, Cookie> cookies = new ConcurrentHashMap<>();

    Match match(Match m) {
        Match had = matches.putIfAbsent(m, m);
        return had != null ? had : m;
    }

    List<FlowAction> actions(List<FlowAction> a) {
        List<FlowAction> copy = List.copyOf(a);
        List<FlowAction> had = actions.putIfAbsent(copy, copy);
        return had != null ? had : copy;
    }

    Cookie cookie(Cookie c) {
        Cookie had = cookies.putIfAbsent(c, c);
        return had != null ? had : c;
    }
}
