package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One random edit of a node's flows, as an out-of-band {@code ovs-ofctl} might make: remove a flow,
 * add one, turn a drop into an allow or back, move a priority, widen or narrow an address, change a
 * port, or move a conjunction clause to another conjunction.
 */
final class FlowMutations {
    /** A mutated flow set and what was done. */
    record Mutation(String kind, String what, FlowSet flows) {}

    private static final List<String> KINDS =
            List.of("remove", "add", "actions", "priority", "address", "port", "conjunction");

    private FlowMutations() {}

    /** Empty when the chosen edit does not apply to these flows (or would clash with another flow's key). */
    static Optional<Mutation> mutate(FlowSet flows, Random r) {
        String kind = KINDS.get(r.nextInt(KINDS.size()));
        List<Flow> all = flows.flows();
        List<Flow> rules = all.stream()
                .filter(f -> f.cookie().categoryCode() != Cookie.Category.PIPELINE.code
                        && f.cookie().categoryCode() != Cookie.Category.MEGAFLOW_GUARD.code)
                .toList();
        if (all.isEmpty()) return Optional.empty();
        Flow f = rules.isEmpty() || r.nextInt(4) == 0
                ? all.get(r.nextInt(all.size()))
                : rules.get(r.nextInt(rules.size()));
        Optional<Flow> changed;
        switch (kind) {
            case "remove" -> {
                List<Flow> rest = new ArrayList<>(all);
                rest.remove(f);
                return Optional.of(new Mutation(kind, "removed " + OfctlRenderer.render(f), FlowSet.of(rest)));
            }
            case "add" -> {
                Optional<Flow> added = withAddress(f, r)
                        .or(() -> Optional.of(f))
                        .map(g -> new Flow(
                                g.table(), new Priority(r.nextInt(65_000) + 1), g.cookie(), g.match(), g.actions()));
                return added.flatMap(g -> replace(all, null, g, kind));
            }
            case "actions" -> changed = flipActions(f, all, r);
            case "priority" -> {
                int p = Math.max(
                        0,
                        Math.min(
                                65_535,
                                f.priority().value()
                                        + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(r.nextBoolean() ? 3 : 3000))));
                changed = Optional.of(new Flow(f.table(), new Priority(p), f.cookie(), f.match(), f.actions()));
            }
            case "address" -> changed = withAddress(f, r);
            case "port" -> changed = withPort(f, r);
            case "conjunction" -> changed = otherConjunction(f, all, r);
            default -> throw new AssertionError(kind);
        }
        return changed.flatMap(g -> replace(all, f, g, kind));
    }

    private static Optional<Mutation> replace(List<Flow> all, Flow old, Flow now, String kind) {
        if (now.equals(old)) return Optional.empty();
        List<Flow> out = new ArrayList<>(all);
        if (old != null) out.remove(old);
        out.add(now);
        try {
            return Optional.of(new Mutation(
                    kind,
                    (old == null ? "" : OfctlRenderer.render(old) + " -> ") + OfctlRenderer.render(now),
                    FlowSet.of(out)));
        } catch (IllegalArgumentException clash) {
            return Optional.empty();
        }
    }

    /** A drop becomes the actions of an allowing flow of its table, anything else a drop. */
    private static Optional<Flow> flipActions(Flow f, List<Flow> all, Random r) {
        if (f.isClause()) return Optional.empty();
        if (!f.actions().isEmpty()) {
            return Optional.of(new Flow(f.table(), f.priority(), f.cookie(), f.match(), List.of()));
        }
        List<Flow> donors = all.stream()
                .filter(g -> g.table().equals(f.table())
                        && !g.isClause()
                        && !g.actions().isEmpty())
                .toList();
        if (donors.isEmpty()) return Optional.empty();
        Flow d = donors.get(r.nextInt(donors.size()));
        return Optional.of(new Flow(f.table(), f.priority(), f.cookie(), f.match(), d.actions()));
    }

    /** The flow's address condition widened or narrowed by up to 4 bits, or moved to a neighbour block. */
    private static Optional<Flow> withAddress(Flow f, Random r) {
        for (Field field : List.of(Field.IPV4_DST, Field.IPV4_SRC, Field.IPV6_DST, Field.IPV6_SRC)) {
            Optional<FieldMatch> m = f.match().get(field);
            if (m.isEmpty() || m.get().prefixLength() < 0) continue;
            int bits = field.bits();
            int prefix = m.get().prefixLength();
            int to;
            BigInteger value = m.get().value();
            if (r.nextBoolean()) {
                to = Math.max(1, Math.min(bits, prefix + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(4))));
                if (to > prefix) {
                    // a random sub-block
                    value = value.or(new BigInteger(to - prefix, r).shiftLeft(bits - to));
                }
            } else {
                to = prefix;
                value = value.add(BigInteger.ONE.shiftLeft(bits - prefix)).mod(BigInteger.ONE.shiftLeft(bits));
            }
            BigInteger mask = FieldMatch.allOnes(bits).xor(FieldMatch.allOnes(bits - to));
            return Optional.of(with(f, new FieldMatch(field, value.and(mask), mask)));
        }
        return Optional.empty();
    }

    private static Optional<Flow> withPort(Flow f, Random r) {
        Optional<FieldMatch> m = f.match().get(Field.TP_DST);
        if (m.isEmpty()) return Optional.empty();
        int v = m.get().value().intValueExact();
        int port =
                r.nextBoolean() ? Math.max(1, Math.min(65_535, v + (r.nextBoolean() ? 1 : -1))) : 1 + r.nextInt(65_535);
        return Optional.of(with(f, FieldMatch.exact(Field.TP_DST, port)));
    }

    /** A clause flow moved to another conjunction of its table and priority with as many clauses. */
    private static Optional<Flow> otherConjunction(Flow f, List<Flow> all, Random r) {
        if (!f.isClause() || f.actions().size() != 1) return Optional.empty();
        FlowAction.Conjunction c = (FlowAction.Conjunction) f.actions().get(0);
        List<ConjId> others = all.stream()
                .filter(g -> g.table().equals(f.table()) && g.priority().equals(f.priority()) && g.isClause())
                .flatMap(g -> g.actions().stream())
                .map(a -> (FlowAction.Conjunction) a)
                .filter(o -> o.nClauses() == c.nClauses() && !o.id().equals(c.id()))
                .map(FlowAction.Conjunction::id)
                .distinct()
                .toList();
        if (others.isEmpty()) return Optional.empty();
        ConjId to = others.get(r.nextInt(others.size()));
        return Optional.of(new Flow(
                f.table(),
                f.priority(),
                f.cookie(),
                f.match(),
                List.of(new FlowAction.Conjunction(to, c.clause(), c.nClauses()))));
    }

    private static Flow with(Flow f, FieldMatch m) {
        Map<Field, FieldMatch> fields = new EnumMap<>(Field.class);
        fields.putAll(f.match().fields());
        fields.put(m.field(), m);
        return new Flow(f.table(), f.priority(), f.cookie(), new Match(fields), f.actions());
    }
}
