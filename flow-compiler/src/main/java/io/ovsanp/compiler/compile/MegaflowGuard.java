package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

/**
 * Makes OVS delete, rather than modify, the cached datapath flows of new connections whenever the
 * policy changes (docs/decisions.md, "Megaflow guard"; measured in OVS 3.1's userspace datapath).
 *
 * <p>When the flow tables change, OVS's revalidators re-translate every cached megaflow. If the new
 * translation needs no match bit that the megaflow lacks, the megaflow is modified in place; the
 * userspace datapath finds the flow to modify by a classifier lookup of its masked key, and when an
 * older, finer megaflow overlaps a newer, coarser one the new actions can land on the other flow. The
 * finer one then keeps its old actions (an allow after a Deny was installed) for as long as packets
 * keep hitting it, while the revalidator records the new actions and never retries.
 *
 * <p>The guard is one flow in the ConntrackState table, below the ct_state flows and above the miss
 * flow, with the miss flow's actions, matching one bit of {@code ct_mark} under a one-bit mask: it
 * changes no verdict, but every new packet's lookup examines that bit, so every megaflow of a new
 * connection has it in its mask. Each change of the other flows moves the guard to the next of
 * {@link #VARIANTS} bits in the same bundle: every cached megaflow then lacks a bit the new
 * translation needs, and OVS deletes it (by its unique id, which is exact) instead of modifying it.
 * The cost is one upcall per active new-connection megaflow after a change. Established and related
 * traffic is decided by the higher-priority ct_state flows and is not affected.
 */
public final class MegaflowGuard {
    /** Distinct guard bits, used in turn: ct_mark bits 31 down to 24. */
    public static final int VARIANTS = 8;

    static final int PRIORITY = 1;

    private MegaflowGuard() {}

    /** The guard flow (variant 0), as the compiler emits it. */
    static void add(FlowAccumulator acc, PipelineSpec p, int generation) {
        acc.plain(
                p.id(PipelineSpec.CONNTRACK_STATE),
                PRIORITY,
                Cookie.of(generation, Cookie.Category.MEGAFLOW_GUARD, 0),
                match(0),
                List.of(new FlowAction.GotoTable(p.id(PipelineSpec.ADMIN_EGRESS))));
    }

    /** The ct_mark bit of {@code variant}. */
    public static long bit(int variant) {
        if (variant < 0 || variant >= VARIANTS) {
            throw new IllegalArgumentException("guard variant out of range: " + variant);
        }
        return 1L << (31 - variant);
    }

    private static Match match(int variant) {
        return Match.ANY.with(FieldMatch.masked(Field.CT_MARK, 0, bit(variant)));
    }

    public static boolean isGuard(Flow f) {
        return f.cookie().isOurs() && f.cookie().categoryCode() == Cookie.Category.MEGAFLOW_GUARD.code;
    }

    /** The variant of the guard among {@code flows}: empty when there is none or it is not one of ours. */
    public static OptionalInt variant(Collection<Flow> flows) {
        OptionalInt found = OptionalInt.empty();
        for (Flow f : flows) {
            if (!isGuard(f)) {
                continue;
            }
            OptionalInt v = variantOf(f);
            if (v.isEmpty() || (found.isPresent() && found.getAsInt() != v.getAsInt())) {
                return OptionalInt.empty();
            }
            found = v;
        }
        return found;
    }

    private static OptionalInt variantOf(Flow f) {
        if (f.match().fields().size() != 1) {
            return OptionalInt.empty();
        }
        FieldMatch m = f.match().get(Field.CT_MARK).orElse(null);
        if (m == null || m.value().signum() != 0) {
            return OptionalInt.empty();
        }
        for (int v = 0; v < VARIANTS; v++) {
            if (m.mask().longValueExact() == bit(v)) {
                return OptionalInt.of(v);
            }
        }
        return OptionalInt.empty();
    }

    /** What the switch should hold, and the diff from what it holds: one merge join when nothing changes. */
    public record Plan(FlowSet target, FlowDiff diff) {}

    /**
     * What the switch should hold: {@code desired} with its guard at the installed variant when
     * nothing else changes (so a converged switch gets no flow-mod), else at the next variant (so the
     * change and the guard's move commit in one bundle). {@code desired} without a guard is the target
     * unchanged.
     */
    public static Plan plan(FlowSet installed, FlowSet desired) {
        boolean guarded = false;
        for (Flow f : desired) guarded |= isGuard(f);
        if (!guarded) {
            return diffed(installed, desired);
        }
        OptionalInt current = variant(installed.flows());
        if (current.isEmpty()) {
            return diffed(installed, with(desired, 0));
        }
        Plan keep = diffed(installed, with(desired, current.getAsInt()));
        return keep.diff().isEmpty() ? keep : diffed(installed, with(desired, (current.getAsInt() + 1) % VARIANTS));
    }

    private static Plan diffed(FlowSet installed, FlowSet target) {
        return new Plan(target, FlowDiff.between(installed, target));
    }

    /** {@code desired} with its guards at {@code variant}, each in its place (the order rarely changes). */
    private static FlowSet with(FlowSet desired, int variant) {
        List<Flow> all = new ArrayList<>(desired.size());
        for (Flow f : desired) {
            all.add(isGuard(f) ? new Flow(f.table(), f.priority(), f.cookie(), match(variant), f.actions()) : f);
        }
        return FlowSet.of(all);
    }
}
