package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.RuleRef;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one node's compile read beyond the cluster-wide inputs (policies, namespace labels: those
 * dirty every node that uses them) and the node's own pods: the rules that apply to its pods, and
 * through them the destinations they resolve. This is the one answer to "which rules apply to node
 * N": the compiler records it while planning the node's tiers, and the controller marks nodes dirty
 * ({@code DirtyNodes}) and attributes realisation failures to policies ({@code PolicyStatusWriter})
 * with it. A pod elsewhere matters to the node only if one of {@link #podSelections} picks it
 * (before or after a change), or if {@link #allPods} (named ports that may resolve in any pod); a Node
 * only if one of {@link #nodeSelectors} picks it. Valid until the node's next compile: anything that
 * could change it (policies, namespace labels, the node's own pods) dirties the node itself.
 *
 * @param rules the rules that apply to a pod of the node, in any tier
 * @param policies the policies of those rules
 * @param allPods some rule's named ports can resolve in any pod (any destination, or a CIDR)
 * @param podSelections destinations selecting pods
 * @param nodeSelectors destinations selecting nodes
 */
public record ReadSet(
        Set<RuleRef> rules,
        Set<ObjectRef> policies,
        boolean allPods,
        Set<Destination.PodSelection> podSelections,
        Set<LabelSelector> nodeSelectors) {
    /** A node without a rule: no pod of it is a subject. */
    public static final ReadSet NONE = new ReadSet(Set.of(), Set.of(), false, Set.of(), Set.of());

    public ReadSet {
        rules = Set.copyOf(rules);
        policies = Set.copyOf(policies);
        podSelections = Set.copyOf(podSelections);
        nodeSelectors = Set.copyOf(nodeSelectors);
    }

    /** Some rule applies to a pod of the node (so Service and EndpointSlice changes matter). */
    public boolean anyRule() {
        return !rules.isEmpty();
    }

    /** Collects a read set while a compile plans its rules. */
    static final class Builder {
        private final Set<RuleRef> rules = new TreeSet<>();
        private final Set<ObjectRef> policies = new TreeSet<>();
        private boolean allPods;
        private final Set<Destination.PodSelection> pods = new HashSet<>();
        private final Set<LabelSelector> nodes = new HashSet<>();

        void add(EffectiveRule r) {
            rules.add(r.ref());
            policies.add(r.ref().policy());
            if (r.namedPortsReadEveryPod()) {
                allPods = true;
            }
            for (Destination d : r.destinations()) {
                if (d instanceof Destination.PodSelection ps) {
                    pods.add(ps);
                } else if (d instanceof Destination.NodeSelection ns) {
                    nodes.add(ns.nodeSelector());
                }
            }
        }

        ReadSet build() {
            return rules.isEmpty() ? NONE : new ReadSet(rules, policies, allPods, pods, nodes);
        }
    }
}
