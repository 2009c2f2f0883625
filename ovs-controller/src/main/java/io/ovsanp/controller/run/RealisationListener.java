package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.dns.DnsLearning;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.switches.ReconcileResult;
import java.time.Duration;
import java.util.List;

/**
 * What the reconcile loop reports while it works. Status conditions, events and metrics are
 * listeners; the loop calls them on its own thread, so an implementation must return quickly and must
 * not throw (a listener failure is logged by the loop and never stops it).
 */
public interface RealisationListener {
    /**
     * A new snapshot was read and validated; {@code policies.diagnostics()} name the invalid rules;
     * {@code change} is what changed since the previous one ({@link ClusterChange#everything()} for the
     * first, or after the loop lost track).
     */
    default void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {}

    /**
     * {@code node}'s flows were compiled (only nodes whose inputs changed are compiled); {@code
     * result.reads()} says which rules apply to the node.
     */
    default void compiled(String node, CompileResult result, Duration took) {}

    /** {@code node}'s switch now holds exactly the compiled flows. */
    default void converged(String node, ReconcileResult result, Duration took) {}

    /**
     * {@code node}'s flows could not be realised ({@code reason}: the switch refused the bundle, naming
     * the flow; the compile failed; the switch is not connected); its previous flows stay.
     */
    default void failed(String node, String reason) {}

    /** A switch for {@code node} connected ({@code datapathId} as OVS prints it, 16 hex digits). */
    default void switchConnected(String node, String datapathId) {}

    /** {@code node}'s switch disconnected. */
    default void switchDisconnected(String node) {}

    /**
     * A poll of {@code node}'s flow counters ({@link LoopOptions#ruleStatsInterval()}): ovs-anp's flows
     * on its switch with their counters, and the rules of the compile the switch holds, which name
     * every rule cookie ({@code metrics.RuleMetrics}).
     */
    default void ruleCounters(String node, RuleCookies rules, List<DumpedFlow> flows) {}

    /**
     * A DNS answer {@code node}'s switch held for the controller was released ({@link
     * DnsLearning.Kind}: what it was; {@code held}: from its arrival to its release; {@code late}: it
     * was released before its flows were realised, because the hold limit or a failure ran out).
     */
    default void dnsAnswer(String node, DnsLearning.Kind kind, Duration held, boolean late) {}

    /** What is learned now: (pod, name) pairs and (pod, name, address) triples. */
    default void dnsLearned(long names, long addresses) {}

    /**
     * {@code node}'s switch was verified ({@link LoopOptions#verifyInterval()}): every flow of its
     * stage against the policies the switch is converged to, exhaustively ({@code ovs-anp verify}).
     */
    default void verified(String node, VerifyOutcome outcome) {}

    /** Nodes that left the cluster: forget them. */
    default void nodeRemoved(String node) {}
}
