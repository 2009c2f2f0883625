package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's flows of one address family seen along one free address field (the destination when the
 * source is a pod of the node, the source when the destination is): which flows a cell of that field
 * leaves in play, and a signature that is equal for two cells exactly when the flows in play behave
 * alike on every packet of either (docs/decisions.md, "verify: atomic predicates").
 *
 * <p>In play for a cell are the flows that do not test the field (the background), the flows whose
 * condition on it holds across the cell, and nothing else; then a conjunction that some clause can
 * reach only through the field is dead in a cell where no flow of that clause is in play, and its
 * clause flows and {@code conj_id} flows are left out too. Leaving out a clause flow of a conjunction
 * that cannot complete changes no lookup: OVS falls back past a failed conjunction as if the clause
 * were not there. So a cell inside one rule's /24 sees that rule's flows and the pipeline, not the
 * 86,000 flows of the node.
 *
 * <p>Two cells are alike when the same conjunctions are alive and their flows on the field are equal
 * once the (satisfied) field condition is removed, grouped as OVS groups identical matches: a chain
 * of flows with one match shows OVS only its head, so chains are part of the signature.
 */
final class FlowSpace {
    /** The canonical, interned description of what a cell leaves in play. */
    private record Signature(int[] ids, int hash) {
        Signature(int[] ids) {
            this(ids, Arrays.hashCode(ids));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature other && hash == other.hash && Arrays.equals(ids, other.ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One conjunction: its id at one priority of one table. */
    record ConjKey(TableId table, Priority priority, ConjId id) {}

    /** The table and id a {@code conj_id=} flow answers to. */
    private record ConjTarget(TableId table, ConjId id) {}

    /** A flow on the free field with that field's condition removed. */
    private record Residual(
            TableId table, Priority priority, Cookie cookie, List<FieldMatch> rest, List<FlowAction> actions) {}

    /**
     * What a cell leaves in play: the conjunctions that need the field and are alive, and the flows on
     * the field that stay. {@link #signature} is what makes two cells alike; {@link #flows} is built
     * only for the first cell of a class.
     */
    final class InPlay {
        private final Set<ConjKey> alive;
        private final List<Integer> staying;
        private final Object signature;

        private InPlay(Set<ConjKey> alive, List<Integer> staying, Object signature) {
            this.alive = alive;
            this.staying = staying;
            this.signature = signature;
        }

        Object signature() {
            return signature;
        }

        /** The background, the clause and {@code conj_id} flows of the alive conjunctions, the staying flows. */
        List<Flow> flows() {
            LinkedHashSet<Flow> flows = new LinkedHashSet<>(always);
            Set<ConjTarget> aliveTargets = new HashSet<>();
            for (ConjKey k : alive) {
                flows.addAll(clauses.getOrDefault(k, List.of()));
                aliveTargets.add(new ConjTarget(k.table(), k.id()));
            }
            for (ConjTarget t : aliveTargets) {
                flows.addAll(targets.getOrDefault(t, List.of()));
            }
            for (int i : staying) flows.add(onField.get(i));
            return new ArrayList<>(flows);
        }
    }

    /** Background flows that every cell sees. */
    private final List<Flow> always = new ArrayList<>();
    /** Background clause flows of conjunctions that need the free field. */
    private final Map<ConjKey, List<Flow>> clauses = new HashMap<>();
    /** Background {@code conj_id} flows of such conjunctions. */
    private final Map<ConjTarget, List<Flow>> targets = new HashMap<>();
    /** Per conjunction that needs the free field: the clauses no background flow provides. */
    private final Map<ConjKey, BitSet> needs = new HashMap<>();
    /** The flows on the free field, with their interval and residual. */
    private final List<Flow> onField = new ArrayList<>();

    private final List<BigInteger[]> intervals = new ArrayList<>();
    private final List<List<ConjKey>> onFieldKeys = new ArrayList<>();
    /** Per flow on the field: its residual and its whole (table, match), each interned to a number. */
    private final List<Integer> residualIds = new ArrayList<>();

    private final List<Integer> chainIds = new ArrayList<>();
    private final Map<ConjKey, Integer> conjIds = new HashMap<>();

    FlowSpace(FlowSet flows, IpFamily family, Field field) {
        List<Flow> background = new ArrayList<>();
        Map<Residual, Integer> residualNumbers = new HashMap<>();
        Map<List<Object>, Integer> chainNumbers = new HashMap<>();
        Map<ConjKey, BitSet> backgroundClauses = new HashMap<>();
        Map<ConjKey, Integer> clauseCount = new HashMap<>();
        for (Flow f : flows) {
            boolean otherFamily = f.match()
                    .get(Field.ETH_TYPE)
                    .map(e -> e.value().intValue() != family.ethType())
                    .orElse(false);
            if (otherFamily) {
                continue; // never sees a packet of this family
            }
            for (FlowAction a : f.actions()) {
                if (a instanceof FlowAction.Conjunction c) {
                    clauseCount.put(new ConjKey(f.table(), f.priority(), c.id()), c.nClauses());
                }
            }
            FieldMatch condition = f.match().fields().get(field);
            if (condition == null) {
                background.add(f);
                for (FlowAction a : f.actions()) {
                    if (a instanceof FlowAction.Conjunction c) {
                        backgroundClauses
                                .computeIfAbsent(new ConjKey(f.table(), f.priority(), c.id()), k -> new BitSet())
                                .set(c.clause());
                    }
                }
                continue;
            }
            int prefix = condition.prefixLength();
            if (prefix < 0) {
                throw new IllegalArgumentException("a non-prefix mask on " + field.ofctlName() + " ("
                        + condition.value().toString(16) + "/"
                        + condition.mask().toString(16) + ") in " + f
                        + " is not a union of few intervals; verify does not cover it");
            }
            BigInteger size = BigInteger.ONE.shiftLeft(field.bits() - prefix);
            onField.add(f);
            intervals.add(new BigInteger[] {
                condition.value(), condition.value().add(size).subtract(BigInteger.ONE)
            });
            List<FieldMatch> rest = new ArrayList<>(f.match().fields().size() - 1);
            for (FieldMatch m : f.match().fields().values()) {
                if (m.field() != field) rest.add(m); // in Field order: the match's own map is an EnumMap
            }
            Residual residual = new Residual(f.table(), f.priority(), f.cookie(), rest, f.actions());
            residualIds.add(residualNumbers.computeIfAbsent(residual, x -> residualNumbers.size()));
            chainIds.add(chainNumbers.computeIfAbsent(List.of(f.table(), f.match()), x -> chainNumbers.size()));
            List<ConjKey> keys = keys(f);
            onFieldKeys.add(keys);
            keys.forEach(k -> conjIds.computeIfAbsent(k, x -> conjIds.size()));
        }
        clauseCount.forEach((k, n) -> {
            BitSet need = new BitSet();
            need.set(1, n + 1);
            BitSet have = backgroundClauses.get(k);
            if (have != null) need.andNot(have);
            if (!need.isEmpty()) needs.put(k, need);
        });
        Set<ConjTarget> needy = new HashSet<>();
        Set<ConjTarget> free = new HashSet<>();
        clauseCount.keySet().forEach(k -> (needs.containsKey(k) ? needy : free).add(new ConjTarget(k.table(), k.id())));
        for (Flow f : background) {
            List<ConjKey> keys = keys(f);
            if (!keys.isEmpty()) {
                if (keys.stream().anyMatch(k -> !needs.containsKey(k))) {
                    always.add(f);
                } else {
                    keys.forEach(k ->
                            clauses.computeIfAbsent(k, x -> new ArrayList<>()).add(f));
                }
                continue;
            }
            FieldMatch conjId = f.match().fields().get(Field.CONJ_ID);
            if (conjId != null) {
                ConjTarget t =
                        new ConjTarget(f.table(), new ConjId(conjId.value().longValueExact()));
                if (free.contains(t) || !needy.contains(t)) {
                    // an id no conjunction of the table completes never matches; kept, it costs nothing
                    always.add(f);
                } else {
                    targets.computeIfAbsent(t, x -> new ArrayList<>()).add(f);
                }
                continue;
            }
            always.add(f);
        }
    }

    private static List<ConjKey> keys(Flow f) {
        List<ConjKey> out = new ArrayList<>(1);
        for (FlowAction a : f.actions()) {
            if (a instanceof FlowAction.Conjunction c) {
                out.add(new ConjKey(f.table(), f.priority(), c.id()));
            }
        }
        return out;
    }

    /** How many flows test the free field; {@link #interval} numbers them. */
    int onFieldCount() {
        return onField.size();
    }

    /** The interval of values of the free field on which flow {@code i} of {@link #onFieldCount} holds. */
    BigInteger[] interval(int i) {
        return intervals.get(i);
    }

    /** The flows a cell leaves in play, given the indexes of the flows whose field condition holds on it. */
    InPlay inPlay(Collection<Integer> holding) {
        Map<ConjKey, BitSet> covered = new HashMap<>();
        for (int i : holding) {
            List<ConjKey> keys = onFieldKeys.get(i);
            if (keys.isEmpty()) continue;
            int k = 0;
            for (FlowAction a : onField.get(i).actions()) {
                if (a instanceof FlowAction.Conjunction c) {
                    covered.computeIfAbsent(keys.get(k++), x -> new BitSet()).set(c.clause());
                }
            }
        }
        Set<ConjKey> alive = new HashSet<>();
        covered.forEach((k, have) -> {
            BitSet need = needs.get(k);
            if (need != null) {
                BitSet missing = (BitSet) need.clone();
                missing.andNot(have);
                if (missing.isEmpty()) alive.add(k);
            }
        });
        // Flows on the field that stay, as interned residuals; flows with one whole match form a chain
        // (OVS sees only its head), so a chain is a unit of the signature, residuals by priority.
        List<Integer> staying = new ArrayList<>(holding.size());
        Map<Integer, List<Integer>> chains = null;
        for (int i : holding) {
            List<ConjKey> keys = onFieldKeys.get(i);
            boolean stays = keys.isEmpty() || keys.stream().anyMatch(k -> !needs.containsKey(k) || alive.contains(k));
            if (stays) {
                staying.add(i);
            }
        }
        Set<Integer> seenChains = new HashSet<>();
        for (int i : staying) {
            if (!seenChains.add(chainIds.get(i))) {
                chains = new HashMap<>();
                break;
            }
        }
        List<int[]> units = new ArrayList<>(staying.size());
        if (chains == null) {
            for (int i : staying) units.add(new int[] {residualIds.get(i)});
        } else {
            for (int i : staying)
                chains.computeIfAbsent(chainIds.get(i), c -> new ArrayList<>()).add(i);
            for (List<Integer> chain : chains.values()) {
                chain.sort(Comparator.comparing(i -> onField.get(i).priority()));
                units.add(chain.stream().mapToInt(residualIds::get).toArray());
            }
        }
        units.sort(Arrays::compare);
        int[] aliveIds = alive.stream().mapToInt(conjIds::get).sorted().toArray();
        int size = aliveIds.length + 1;
        for (int[] u : units) size += u.length + 1;
        int[] signature = new int[size];
        int at = 0;
        for (int a : aliveIds) signature[at++] = a;
        signature[at++] = -1;
        for (int[] u : units) {
            for (int r : u) signature[at++] = r;
            signature[at++] = -1;
        }
        return new InPlay(alive, staying, new Signature(signature));
    }
}
