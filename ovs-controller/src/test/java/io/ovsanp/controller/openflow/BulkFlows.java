package io.ovsanp.controller.openflow;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.controller.openflow.wire.FlowMod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Many distinct flows shaped like a policy table (docs/ovs-notes.md §6.3): source clauses, destination
 * clauses and conj_id flows, each with its own match so none replaces another.
 */
final class BulkFlows {
    private BulkFlows() {}

    static List<FlowMod> conjunctive(int n, LongSupplier xids) {
        Cookie cookie = new Cookie(0xa500000001L);
        TableId table = TableId.of(3);
        Priority prio = Priority.of(100);
        List<FlowMod> mods = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ip = 0x0a000000L | i;
            long conj = 1 + i % 1000;
            Match ipv4 = Match.ANY.with(Field.ETH_TYPE, 0x0800);
            Flow f;
            switch (i % 3) {
                case 0 ->
                    f = new Flow(
                            table,
                            prio,
                            cookie,
                            ipv4.with(Field.IPV4_SRC, ip),
                            List.of(new FlowAction.Conjunction(new ConjId(conj), 1, 2)));
                case 1 ->
                    f = new Flow(
                            table,
                            prio,
                            cookie,
                            ipv4.with(Field.IPV4_DST, ip),
                            List.of(
                                    new FlowAction.Conjunction(new ConjId(conj), 2, 2),
                                    new FlowAction.Conjunction(new ConjId(conj + 1000), 2, 2)));
                default ->
                    f = new Flow(
                            table,
                            prio,
                            cookie,
                            Match.ANY.with(Field.CONJ_ID, i),
                            List.of(new FlowAction.SetField(Field.REG3, i), new FlowAction.GotoTable(TableId.of(4))));
            }
            mods.add(FlowMod.add(xids.getAsLong(), f));
        }
        return mods;
    }
}
