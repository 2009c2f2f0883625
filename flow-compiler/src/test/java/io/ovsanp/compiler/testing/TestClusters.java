package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Tier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry points for test fixtures. A typical test:
 *
 * <pre>{@code
 * ClusterSnapshot cluster = TestClusters.cluster()
 *         .namespace("prod").label("env", "prod").and()
 *         .pod("prod", "web", "10.0.1.1").label("app", "web").and()
 *         .node("n1", "192.168.0.1").label("role", "cp").and()
 *         .build();
 * EffectivePolicies policies = TestClusters.policies()
 *         .admin(TestClusters.anp("deny-internet", 10)
 *                 .subjectNamespaces(TestClusters.labels("env", "prod"))
 *                 .deny("block", r -> r.toNetworks("0.0.0.0/0")))
 *         .build();
 * }</pre>
 */
public final class TestClusters {
    private TestClusters() {}

    public static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    public static Cidr cidr(String text) {
        return Cidr.parse(text).cidr();
    }

    /** A matchLabels selector from key/value pairs; no pairs gives the empty selector (everything). */
    public static LabelSelector labels(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key/value pairs");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return LabelSelector.of(m);
    }

    /** Selects the namespace by its {@code kubernetes.io/metadata.name} label. */
    public static LabelSelector namespaceNamed(String name) {
        return labels(NamespaceInfo.NAME_LABEL, name);
    }

    public static ClusterBuilder cluster() {
        return new ClusterBuilder();
    }

    /** An AdminNetworkPolicy with subject {@code namespaces: {}} until told otherwise. */
    public static AdminPolicyBuilder anp(String name, int priority) {
        return new AdminPolicyBuilder(Tier.ADMIN, name, priority);
    }

    /** The BaselineAdminNetworkPolicy {@code default}, subject {@code namespaces: {}}. */
    /** A v1alpha2 ClusterNetworkPolicy in {@code tier} (Admin or Baseline). */
    public static AdminPolicyBuilder cnp(Tier tier, String name, int priority) {
        return new AdminPolicyBuilder(tier, AdminPolicy.CLUSTER_NETWORK_POLICY, name, priority);
    }

    public static AdminPolicyBuilder banp() {
        return banp("default");
    }

    public static AdminPolicyBuilder banp(String name) {
        return new AdminPolicyBuilder(Tier.BASELINE, name, 0);
    }

    /** A NetworkPolicy selecting every pod of its namespace and isolating it for egress. */
    public static NetworkPolicyBuilder networkPolicy(String namespace, String name) {
        return new NetworkPolicyBuilder(namespace, name);
    }

    public static PoliciesBuilder policies() {
        return new PoliciesBuilder();
    }
}
