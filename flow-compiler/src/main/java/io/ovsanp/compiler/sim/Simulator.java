package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.CtStates;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a packet through a {@link FlowSet} with OVS semantics: per-table lookup including
 * conjunctions ({@link TableLookup}), then the chosen flow's actions in order. {@code goto_table}
 * and {@code resubmit(,N)} continue in table N (resubmit returns and runs the remaining actions,
 * ovs-actions(7)); {@code ct(table=T)} recirculates at T with the packet's {@code postCtState} and
 * the action's zone; other {@code ct} actions leave the packet untracked, as OVS does after
 * sending it through conntrack. A table miss drops (OpenFlow 1.3 §5.4 without a table-miss flow,
 * and ovs-anp's bridges run {@code fail_mode=secure}). The packet is allowed when an output
 * ({@code NORMAL} or a port) ran.
 */
public final class Simulator {
    /** More table visits than this is a loop in the flows (OVS itself stops at 64 resubmit levels). */
    public static final int MAX_TABLE_VISITS = 64;

    private final Map<TableId, TableLookup> tables = new LinkedHashMap<>();

    public Simulator(FlowSet flows) {
        Map<TableId, List<Flow>> byTable = new LinkedHashMap<>();
        for (Flow f : flows) {
            byTable.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f);
        }
        byTable.forEach((t, fs) -> tables.put(t, new TableLookup(fs)));
    }

    /**
     * The flow one lookup in {@code table} chooses for {@code p}, empty on a miss.
     *
     * @throws AmbiguousLookupException when OVS's choice would be unspecified
     */
    public Optional<Flow> lookup(TableId table, SimPacket p) {
        TableLookup t = tables.get(table);
        return t == null ? Optional.empty() : t.lookup(p).map(TableLookup.Hit::flow);
    }

    /**
     * Runs {@code p} from table {@code start}.
     *
     * @throws AmbiguousLookupException when a lookup's outcome would be unspecified in OVS
     * @throws IllegalStateException after {@link #MAX_TABLE_VISITS} table visits
     * @throws IllegalArgumentException for actions the simulator does not model (anything after
     *     {@code ct(table=…)}, which OVS runs on an untracked copy of the packet)
     */
    public SimResult run(SimPacket p, TableId start) {
        Run run = new Run(p);
        run.visit(start);
        return new SimResult(!run.outputs.isEmpty(), run.trace, run.matched, run.outputs, run.packet);
    }

    private final class Run {
        SimPacket packet;
        final List<String> trace = new ArrayList<>();
        final List<Flow> matched = new ArrayList<>();
        final List<Long> outputs = new ArrayList<>();
        int visits;

        Run(SimPacket packet) {
            this.packet = packet;
        }

        void visit(TableId table) {
            if (++visits > MAX_TABLE_VISITS) {
                throw new IllegalStateException("more than " + MAX_TABLE_VISITS + " table visits, the flows loop:\n"
                        + String.join("\n", trace));
            }
            TableLookup t = tables.get(table);
            Optional<TableLookup.Hit> hit = t == null ? Optional.empty() : t.lookup(packet);
            if (hit.isEmpty()) {
                trace.add("table " + table + ": miss, drop (OpenFlow 1.3 table-miss default)");
                return;
            }
            Flow f = hit.get().flow();
            String via = hit.get()
                    .conjunction()
                    .map(id -> "conjunction(" + id + ") complete, ")
                    .orElse("");
            trace.add("table " + table + ": " + via + OfctlRenderer.render(f));
            matched.add(f);
            execute(f.actions());
        }

        void execute(List<FlowAction> actions) {
            for (int i = 0; i < actions.size(); i++) {
                FlowAction a = actions.get(i);
                if (a instanceof FlowAction.Output o) {
                    outputs.add(o.port());
                } else if (a instanceof FlowAction.GotoTable g) {
                    visit(g.table());
                } else if (a instanceof FlowAction.Resubmit r) {
                    visit(r.table());
                } else if (a instanceof FlowAction.Ct ct) {
                    if (ct.table().isPresent()) {
                        if (i != actions.size() - 1) {
                            throw new IllegalArgumentException("actions after ct(table=...) run on an untracked copy; "
                                    + "not simulated: " + actions);
                        }
                        packet = packet.withConntrack(packet.postCtState(), ct.zone(), packet.ctMark());
                        trace.add("  ct(table=" + ct.table().get() + "): recirculate with ct_state="
                                + CtStates.formatState(packet.postCtState()) + ", ct_zone=" + ct.zone());
                        visit(ct.table().get());
                    } else {
                        // ct without table: the connection is tracked/committed, the packet goes on untracked.
                        packet = packet.withConntrack(0, 0, 0);
                    }
                } else if (a instanceof FlowAction.SetField s) {
                    packet = packet.withReg(
                            s.field().ordinal() - io.ovsanp.compiler.flow.Field.REG0.ordinal(), s.value());
                } else if (a instanceof FlowAction.Controller) {
                    trace.add("  controller: a metered copy for the audit log; the verdict goes on");
                } else if (a instanceof FlowAction.Pause) {
                    // Held by the controller, then resumed where it stopped (docs/ovs-notes.md §2.7).
                    trace.add("  controller(pause): held by the controller, then resumed with the next action");
                } else if (a instanceof FlowAction.Conjunction) {
                    throw new AssertionError("a lookup never returns a clause flow");
                } else {
                    throw new AssertionError("unhandled action " + a);
                }
            }
        }
    }
}
