package io.ovsanp.compiler.pipeline;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy pipeline as data (docs/architecture.md, "The pipeline"). Standalone mode numbers the
 * tables from {@code firstTable}:
 *
 * <pre>
 *  +0 Classifier ──ip/ipv6──▶ +1 ConntrackZone ──ct(table=+2,zone=Z)──▶ +2 ConntrackState
 *     └─other: NORMAL                                                    │ +inv: drop
 *                                                                        │ est/rel (not new): ▶ +10
 *                                                                        │ a local pod to itself: ▶ +9
 *                                                                        ▼ new
 *  +3 AdminEgress ── Allow ────────────────────────────────────────▶ +6 AdminIngress ── Allow ──▶ +9 Commit
 *     │ Deny: drop        Pass / miss ▼                          ▲      │ Deny: drop  Pass / miss ▼     ▲
 *  +4 NetworkPolicyEgress ── allowed ──────────────────────────────┤  +7 NetworkPolicyIngress ── allowed ┤
 *     │ isolated, not allowed: drop   not isolated ▼              │      │ isolated: drop  not isolated ▼ │
 *  +5 BaselineEgress ── Allow / Pass / miss ───────────────────────┘  +8 BaselineIngress ── Allow/Pass/miss ┘
 *     │ Deny: drop                                                        │ Deny: drop
 *  +9 Commit: ct(commit,zone=Z) ▶ +10 Output: NORMAL
 * </pre>
 *
 * Egress rules match the node's pods as sources, ingress rules the node's pods as destinations; a
 * packet whose source (destination) is not a pod of this node misses every egress (ingress) rule.
 *
 * Cookie bit map: 63..48 generation, 47..40 category, 39..32 owner tag 0xa5, 31..0 rule id.
 */
public final class PipelineSpec {
    public static final String CLASSIFIER = "Classifier";
    public static final String CONNTRACK_ZONE = "ConntrackZone";
    public static final String CONNTRACK_STATE = "ConntrackState";
    public static final String ADMIN_EGRESS = "AdminEgress";
    public static final String NETWORK_POLICY_EGRESS = "NetworkPolicyEgress";
    public static final String BASELINE_EGRESS = "BaselineEgress";
    public static final String ADMIN_INGRESS = "AdminIngress";
    public static final String NETWORK_POLICY_INGRESS = "NetworkPolicyIngress";
    public static final String BASELINE_INGRESS = "BaselineIngress";
    public static final String COMMIT = "Commit";
    public static final String OUTPUT = "Output";

    /** Default conntrack zone of the standalone pipeline. */
    public static final int DEFAULT_ZONE = 65000;

    private final Map<String, TableSpec> byName = new LinkedHashMap<>();
    private final Map<TableId, TableSpec> byId = new LinkedHashMap<>();
    private final Placement placement;

    private PipelineSpec(List<TableSpec> tables, Placement placement) {
        for (TableSpec t : tables) {
            byName.put(t.name(), t);
            byId.put(t.id(), t);
        }
        this.placement = placement;
    }

    public static PipelineSpec standalone() {
        return of(Placement.STANDALONE);
    }

    public static PipelineSpec standalone(int firstTable, int zone) {
        Placement s = Placement.STANDALONE;
        return of(new Placement(
                firstTable, s.maxTables(), s.reservedTables(), s.exit(), s.conntrack(), zone, s.identityRegister()));
    }

    /**
     * The stage at {@code placement}: numbered from its first table, without the ConntrackZone table
     * when the CNI runs conntrack. Throws {@link Placement.PlacementException} for a placement that
     * cannot work (checked when the placement was made).
     */
    public static PipelineSpec of(Placement placement) {
        boolean ownCt = placement.conntrack() == Placement.Conntrack.OWN;
        // Standalone texts stay as they were: rendered flows carry them in comments.
        String exit = placement.exit() instanceof Placement.Exit.Normal
                ? "NORMAL"
                : placement.exit().toString();
        List<TableSpec> tables = new ArrayList<>();
        int t = placement.firstTable();
        tables.add(new TableSpec(
                TableId.of(t++),
                CLASSIFIER,
                (ownCt ? "IPv4/IPv6 to conntrack" : "IPv4/IPv6 to the CNI's conntrack state")
                        + "; ARP, non-IP and IPv6 link-local multicast to " + exit,
                exit,
                Set.of(ownCt ? CONNTRACK_ZONE : CONNTRACK_STATE)));
        if (ownCt) {
            tables.add(new TableSpec(
                    TableId.of(t++),
                    CONNTRACK_ZONE,
                    "send IP through conntrack in our zone",
                    "drop",
                    Set.of(CONNTRACK_STATE)));
        }
        tables.add(new TableSpec(
                TableId.of(t++),
                CONNTRACK_STATE,
                "invalid: drop; established/related: bypass policy; a local pod to itself: no policy; new: policy",
                ADMIN_EGRESS,
                Set.of(ADMIN_EGRESS, COMMIT, OUTPUT)));
        tables.add(new TableSpec(
                TableId.of(t++),
                ADMIN_EGRESS,
                "Admin tier egress (ANPs, Admin CNPs) by precedence: Allow, Deny, Pass",
                NETWORK_POLICY_EGRESS,
                Set.of(NETWORK_POLICY_EGRESS, ADMIN_INGRESS)));
        tables.add(new TableSpec(
                TableId.of(t++),
                NETWORK_POLICY_EGRESS,
                "NetworkPolicy egress: isolated pods only where a rule allows",
                BASELINE_EGRESS,
                Set.of(BASELINE_EGRESS, ADMIN_INGRESS)));
        tables.add(new TableSpec(
                TableId.of(t++),
                BASELINE_EGRESS,
                "Baseline tier egress (Baseline CNPs, BANP) in order: Allow, Deny, Pass",
                ADMIN_INGRESS,
                Set.of(ADMIN_INGRESS)));
        tables.add(new TableSpec(
                TableId.of(t++),
                ADMIN_INGRESS,
                "Admin tier ingress (ANPs, Admin CNPs) by precedence: Allow, Deny, Pass",
                NETWORK_POLICY_INGRESS,
                Set.of(NETWORK_POLICY_INGRESS, COMMIT)));
        tables.add(new TableSpec(
                TableId.of(t++),
                NETWORK_POLICY_INGRESS,
                "NetworkPolicy ingress: isolated pods only from their node or where a rule allows",
                BASELINE_INGRESS,
                Set.of(BASELINE_INGRESS, COMMIT)));
        tables.add(new TableSpec(
                TableId.of(t++),
                BASELINE_INGRESS,
                "Baseline tier ingress (Baseline CNPs, BANP) in order: Allow, Deny, Pass",
                COMMIT,
                Set.of(COMMIT)));
        tables.add(
                new TableSpec(TableId.of(t++), COMMIT, "commit the connection to conntrack", OUTPUT, Set.of(OUTPUT)));
        tables.add(new TableSpec(
                TableId.of(t), OUTPUT, exit.equals("NORMAL") ? "forward" : "leave the stage: " + exit, exit, Set.of()));
        return new PipelineSpec(tables, placement);
    }

    public Placement placement() {
        return placement;
    }

    /** What a packet leaving the stage does: NORMAL, goto_table:N or resubmit(,N). */
    public List<FlowAction> exitActions() {
        Placement.Exit e = placement.exit();
        if (e instanceof Placement.Exit.Goto g) {
            return List.of(new FlowAction.GotoTable(TableId.of(g.table())));
        }
        if (e instanceof Placement.Exit.Resubmit r) {
            return List.of(new FlowAction.Resubmit(TableId.of(r.table())));
        }
        return List.of(FlowAction.Output.NORMAL);
    }

    /** Whether the stage has table {@code name} (ConntrackZone exists only with its own conntrack). */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public TableSpec table(String name) {
        TableSpec t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no table " + name);
        }
        return t;
    }

    public TableId id(String name) {
        return table(name).id();
    }

    public List<TableSpec> tables() {
        return List.copyOf(byName.values());
    }

    public int zone() {
        return placement.zone();
    }

    /** The tables whose flows may take the exit: the classifier's bypass and the output table. */
    private static boolean exits(TableSpec t) {
        return t.name().equals(CLASSIFIER) || t.name().equals(OUTPUT);
    }

    public java.util.Optional<TableSpec> byId(TableId id) {
        return java.util.Optional.ofNullable(byId.get(id));
    }

    /** Refuses a flow outside the pipeline's tables or jumping where its table may not go. */
    public Flow check(Flow f) {
        TableSpec from = byId.get(f.table());
        if (from == null) {
            throw new IllegalArgumentException("flow in table " + f.table() + " outside the pipeline");
        }
        for (FlowAction a : f.actions()) {
            TableId target = null;
            if (a instanceof FlowAction.GotoTable g) {
                target = g.table();
            } else if (a instanceof FlowAction.Resubmit r) {
                target = r.table();
            } else if (a instanceof FlowAction.Ct ct && ct.table().isPresent()) {
                target = ct.table().get();
            }
            if (target != null && exitActions().contains(a) && exits(from)) {
                continue; // the exit leaves the stage: its target is the CNI's, not ours
            }
            if (target != null) {
                TableSpec to = byId.get(target);
                if (to == null || !from.legalNext().contains(to.name())) {
                    throw new IllegalArgumentException(from.name() + " may not jump to table " + target);
                }
            }
        }
        return f;
    }
}
