package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One flow table searched the way OVS 3.1's classifier does (lib/classifier.c {@code
 * classifier_lookup__}; docs/ovs-notes.md §1.3). Flows with an identical match form a chain ordered by
 * priority; a lookup sees only each chain's head ("subtables yield their single best match"); a
 * lower link, the "twin", is reached only by the fall-back after a failed conjunction.
 */
final class TableLookup {
    /** A chosen flow and, when it was found through a conjunction, that conjunction's id. */
    record Hit(Flow flow, Optional<ConjId> conjunction) {}

    /** Identical-match chains, each sorted by priority descending. */
    private final List<List<Flow>> chains;

    TableLookup(List<Flow> flows) {
        Map<Match, List<Flow>> byMatch = new LinkedHashMap<>();
        Map<String, Integer> clauses = new HashMap<>();
        for (Flow f : flows) {
            byMatch.computeIfAbsent(f.match(), m -> new ArrayList<>()).add(f);
            TreeSet<ConjId> ids = new TreeSet<>();
            for (FlowAction a : f.actions()) {
                if (a instanceof FlowAction.Conjunction c) {
                    if (!ids.add(c.id())) {
                        // OVS caps a conjunction's clauses by the number of soft matches, so one flow
                        // holding two clauses of an id behaves in ways we do not model.
                        throw new IllegalArgumentException(
                                "two clauses of conjunction " + c.id() + " in one flow: " + f);
                    }
                    Integer n = clauses.putIfAbsent(f.priority() + "/" + c.id(), c.nClauses());
                    if (n != null && n != c.nClauses()) {
                        throw new IllegalArgumentException("conjunction " + c.id() + " at priority " + f.priority()
                                + " has both " + n + " and " + c.nClauses() + " clauses");
                    }
                }
            }
        }
        chains = byMatch.values().stream()
                .map(c -> c.stream()
                        .sorted(Comparator.comparing(Flow::priority).reversed())
                        .toList())
                .toList();
    }

    /** The flow OVS would execute for {@code p}, or empty on a table miss. */
    Optional<Hit> lookup(SimPacket p) {
        Flow hard = null;
        Flow tie = null;
        List<Cursor> soft = new ArrayList<>();
        for (List<Flow> chain : chains) {
            Flow head = chain.get(0);
            if (!matches(head.match(), p)) {
                continue;
            }
            if (head.isClause()) {
                soft.add(new Cursor(chain, 0));
            } else if (hard == null || head.priority().compareTo(hard.priority()) > 0) {
                hard = head;
                tie = null;
            } else if (head.priority().equals(hard.priority()) && !sameEffect(head, hard)) {
                tie = head;
            }
        }
        while (true) {
            int floor = hard == null ? -1 : hard.priority().value();
            soft.removeIf(c -> c.flow().priority().value() <= floor);
            if (soft.isEmpty()) {
                if (tie != null) {
                    throw new AmbiguousLookupException("two flows match at the winning priority", List.of(hard, tie));
                }
                return Optional.ofNullable(hard).map(h -> new Hit(h, Optional.empty()));
            }
            int q = soft.stream()
                    .mapToInt(c -> c.flow().priority().value())
                    .max()
                    .orElseThrow();
            List<Cursor> top =
                    soft.stream().filter(c -> c.flow().priority().value() == q).toList();
            Optional<Hit> hit = completeConjunctions(top, p);
            if (hit.isPresent()) {
                return hit;
            }
            // OVS's fall-back: each soft match at q is replaced by its next-lower twin, if any.
            soft.removeIf(c -> c.flow().priority().value() == q);
            for (Cursor c : top) {
                Cursor twin = c.next();
                if (twin == null) {
                    continue;
                }
                if (twin.flow().isClause()) {
                    soft.add(twin);
                } else if (hard == null || twin.flow().priority().compareTo(hard.priority()) > 0) {
                    hard = twin.flow();
                    tie = null;
                } else if (twin.flow().priority().equals(hard.priority()) && !sameEffect(twin.flow(), hard)) {
                    tie = twin.flow();
                }
            }
        }
    }

    /**
     * Completes conjunctions from the soft matches at one priority and searches the table for each
     * complete id, ascending; the first non-empty result wins. OVS tries them in an unspecified
     * order, so differing results are ambiguous.
     */
    private Optional<Hit> completeConjunctions(List<Cursor> top, SimPacket p) {
        Map<ConjId, TreeSet<Integer>> seen = new TreeMap<>();
        Map<ConjId, Integer> needed = new HashMap<>();
        for (Cursor c : top) {
            for (FlowAction a : c.flow().actions()) {
                FlowAction.Conjunction conj = (FlowAction.Conjunction) a;
                seen.computeIfAbsent(conj.id(), id -> new TreeSet<>()).add(conj.clause());
                needed.put(conj.id(), conj.nClauses());
            }
        }
        List<ConjId> complete = new ArrayList<>();
        seen.forEach((id, clauses) -> {
            if (clauses.size() == needed.get(id)) {
                complete.add(id);
            }
        });
        List<Flow> results = new ArrayList<>();
        for (ConjId id : complete) {
            results.add(nestedLookup(p.withConjId(id.value())));
        }
        for (int i = 1; i < results.size(); i++) {
            Flow a = results.get(0);
            Flow b = results.get(i);
            if (a == null ? b != null : b == null || !a.actions().equals(b.actions())) {
                throw new AmbiguousLookupException(
                        "conjunctions " + complete.get(0) + " and " + complete.get(i) + " complete at priority "
                                + top.get(0).flow().priority() + " with different results",
                        Arrays.asList(a, b));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) != null) {
                return Optional.of(new Hit(results.get(i), Optional.of(complete.get(i))));
            }
        }
        return Optional.empty();
    }

    /**
     * The search OVS runs with conj_id set: conjunctions disabled, so a chain headed by a clause
     * flow is skipped whole, and any hard flow matching the packet counts, conj_id or not.
     */
    private Flow nestedLookup(SimPacket p) {
        Flow best = null;
        Flow tie = null;
        for (List<Flow> chain : chains) {
            Flow head = chain.get(0);
            if (head.isClause() || !matches(head.match(), p)) {
                continue;
            }
            if (best == null || head.priority().compareTo(best.priority()) > 0) {
                best = head;
                tie = null;
            } else if (head.priority().equals(best.priority()) && !sameEffect(head, best)) {
                tie = head;
            }
        }
        if (tie != null) {
            throw new AmbiguousLookupException(
                    "two flows match at the winning priority of the conj_id=" + p.conjId() + " lookup",
                    List.of(best, tie));
        }
        return best;
    }

    /**
     * Two overlapping flows at one priority whose cookie and actions are equal: OVS picks one of
     * them unpredictably, but the packet's fate and the owner of the flow are the same either way.
     * (A rule's named-port flow for one destination may overlap its numeric-port flow for every
     * destination, for example.)
     */
    private static boolean sameEffect(Flow a, Flow b) {
        return a.cookie().equals(b.cookie()) && a.actions().equals(b.actions());
    }

    /** Every condition holds; a field the packet lacks (tp_dst of ICMP) never matches. */
    static boolean matches(Match m, SimPacket p) {
        for (FieldMatch fm : m.fields().values()) {
            Optional<BigInteger> v = p.value(fm.field());
            if (v.isEmpty() || !fm.test(v.get())) {
                return false;
            }
        }
        return true;
    }

    /** A position in an identical-match chain. */
    private record Cursor(List<Flow> chain, int index) {
        Flow flow() {
            return chain.get(index);
        }

        Cursor next() {
            return index + 1 < chain.size() ? new Cursor(chain, index + 1) : null;
        }
    }
}
