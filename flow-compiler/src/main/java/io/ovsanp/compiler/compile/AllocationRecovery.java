package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds an {@link Allocation} from the flows a switch holds, so that a restarted controller
 * reproduces the installed numbers (cookie rule ids, priorities, conjunction ids) and sends no
 * flow-mods for rules that did not change while it was away.
 *
 * <p>The switch does not record rule keys, so rules are recognised by content: a compile of the same
 * snapshot with {@link Allocation#EMPTY} (the {@code fresh} result) gives every rule's flows under
 * fresh numbers; each rule's flows are reduced to a signature with the numbers taken out (priority,
 * cookie, conjunction ids; a conjunction is described by its clauses' matches and its verdict flow).
 * A fresh rule whose signature equals that of a rule on the switch (same table and category) takes
 * over the installed rule id, priority and conjunction ids. Rules that changed, or that cannot be
 * told apart, are left out and get new numbers in the next compile: the cost is flow churn, never
 * wrong flows, because the compiler derives every flow from the snapshot and only the numbering from
 * the allocation (and keeps the numbering valid: unique ids, priorities in precedence order).
 */
public final class AllocationRecovery {
    private AllocationRecovery() {}

    /**
     * @param installed the ovs-anp flows on the switch (cookie-owned), in any order
     * @param fresh the compile of the current snapshot with {@link Allocation#EMPTY}
     * @return an allocation to pass to the real compile of that snapshot
     */
    public static Allocation recover(List<Flow> installed, CompileResult fresh) {
        Map<GroupKey, Group> now = groups(installed);
        Map<GroupKey, Group> want = groups(fresh.flows().flows());
        Allocation fa = fresh.allocation();

        Map<Long, String> ruleKeyByFreshId = new HashMap<>();
        fa.ruleIds().forEach((k, id) -> ruleKeyByFreshId.put(id, k));
        Map<String, String> priorityKeyByRule = new HashMap<>();
        for (String pk : fa.priorities().keySet()) {
            priorityKeyByRule.put(pk.substring(pk.indexOf('|') + 1), pk);
        }
        Map<Long, String> conjKeyByFreshId = new HashMap<>();
        fa.conjIds().forEach((k, id) -> conjKeyByFreshId.put(id, k));

        // Installed groups by (table, category, signature), highest priority first: equal signatures
        // (two rules with the same content) are paired in precedence order.
        Map<String, List<Group>> bySignature = new HashMap<>();
        for (Group g : now.values()) {
            bySignature
                    .computeIfAbsent(g.signatureKey(), s -> new ArrayList<>())
                    .add(g);
        }
        bySignature
                .values()
                .forEach(l -> l.sort(Comparator.comparingInt(Group::priority).reversed()));
        List<Group> wanted = new ArrayList<>(want.values());
        wanted.sort(Comparator.comparingInt(Group::priority).reversed());

        Map<String, Integer> priorities = new TreeMap<>();
        Map<String, Long> conjIds = new TreeMap<>();
        Map<String, Long> ruleIds = new TreeMap<>();
        Set<Long> usedRuleIds = new HashSet<>();
        Set<Long> usedConjIds = new HashSet<>();
        for (Group w : wanted) {
            String ruleKey = ruleKeyByFreshId.get(w.key.ruleId());
            List<Group> candidates = bySignature.get(w.signatureKey());
            if (ruleKey == null || candidates == null || candidates.isEmpty()) {
                continue;
            }
            Group have = candidates.remove(0);
            if (!usedRuleIds.add(have.key.ruleId())) {
                continue;
            }
            ruleIds.put(ruleKey, have.key.ruleId());
            String pk = priorityKeyByRule.get(ruleKey);
            if (pk != null && have.priority >= 0) {
                priorities.put(pk, have.priority);
            }
            for (Map.Entry<Long, String> c : w.conjSignatures.entrySet()) {
                Long installedId = have.conjBySignature.get(c.getValue());
                String conjKey = conjKeyByFreshId.get(c.getKey());
                if (installedId != null && conjKey != null && usedConjIds.add(installedId)) {
                    conjIds.put(conjKey, installedId);
                }
            }
        }
        return new Allocation(priorities, conjIds, ruleIds);
    }

    private record GroupKey(int table, int category, long ruleId) {}

    private static final class Group {
        final GroupKey key;
        final List<String> plain = new ArrayList<>();
        final Map<Long, List<String>> conj = new HashMap<>();
        final Set<Integer> priorities = new HashSet<>();
        int priority;
        Map<Long, String> conjSignatures;
        Map<String, Long> conjBySignature;
        String signature;

        Group(GroupKey key) {
            this.key = key;
        }

        int priority() {
            return priority;
        }

        String signatureKey() {
            return key.table + "/" + key.category + "/" + signature;
        }

        void seal() {
            priority = priorities.size() == 1 ? priorities.iterator().next() : -1;
            conjSignatures = new LinkedHashMap<>();
            Map<String, Long> bySig = new HashMap<>();
            Set<String> duplicate = new HashSet<>();
            List<String> parts = new ArrayList<>();
            for (Map.Entry<Long, List<String>> e : conj.entrySet()) {
                List<String> s = new ArrayList<>(e.getValue());
                s.sort(null);
                String sig = String.join(";", s);
                conjSignatures.put(e.getKey(), sig);
                if (bySig.put(sig, e.getKey()) != null) {
                    duplicate.add(sig);
                }
                parts.add("{" + sig + "}");
            }
            duplicate.forEach(bySig::remove);
            conjBySignature = bySig;
            List<String> p = new ArrayList<>(plain);
            p.sort(null);
            parts.sort(null);
            signature = String.join(";", p) + "|" + String.join("", parts);
        }
    }

    /** Rule flows (cookie rule id non-zero, not the pipeline's) grouped by table, category and rule id. */
    private static Map<GroupKey, Group> groups(List<Flow> flows) {
        Map<GroupKey, Group> out = new HashMap<>();
        for (Flow f : flows) {
            Cookie c = f.cookie();
            int category = (int) ((c.value() >>> 40) & 0xff);
            if (!c.isOurs() || c.ruleId() == 0 || category == Cookie.Category.PIPELINE.code) {
                continue;
            }
            GroupKey key = new GroupKey(f.table().value(), category, c.ruleId());
            Group g = out.computeIfAbsent(key, Group::new);
            g.priorities.add(f.priority().value());
            if (f.isClause()) {
                for (FlowAction a : f.actions()) {
                    FlowAction.Conjunction cj = (FlowAction.Conjunction) a;
                    g.conj.computeIfAbsent(cj.id().value(), k -> new ArrayList<>())
                            .add(cj.clause() + "/" + cj.nClauses() + "@" + f.match());
                }
            } else if (f.match().has(Field.CONJ_ID)) {
                long id = f.match().get(Field.CONJ_ID).orElseThrow().value().longValue();
                g.conj.computeIfAbsent(id, k -> new ArrayList<>())
                        .add("=>" + without(f.match(), Field.CONJ_ID) + "@" + f.actions());
            } else {
                g.plain.add(f.match() + "@" + f.actions());
            }
        }
        out.values().forEach(Group::seal);
        return out;
    }

    private static Match without(Match m, Field field) {
        Map<Field, FieldMatch> rest = new LinkedHashMap<>(m.fields());
        rest.remove(field);
        return new Match(rest);
    }
}
