package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.ip;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.testing.PoliciesBuilder;

/**
 * A small dual-stack cluster shared by the evaluator tests: two application namespaces, a
 * control-plane node and a worker, a host-network agent, and an external host.
 */
final class Fixture {
    static final IpAddress WEB = ip("10.0.1.1");
    static final IpAddress WEB6 = ip("fd00::1:1");
    static final IpAddress DB = ip("10.0.1.2");
    static final IpAddress DB6 = ip("fd00::1:2");
    static final IpAddress CLIENT = ip("10.0.2.1");
    static final IpAddress CONTROL_PLANE = ip("192.168.0.1");
    static final IpAddress WORKER = ip("192.168.0.2");
    static final IpAddress EXTERNAL = ip("203.0.113.7");
    static final IpAddress EXTERNAL6 = ip("2001:db8::7");

    static final ClusterSnapshot CLUSTER = cluster()
            .namespace("prod")
            .label("env", "prod")
            .and()
            .namespace("dev")
            .label("env", "dev")
            .and()
            .pod("prod", "web", "10.0.1.1", "fd00::1:1")
            .label("app", "web")
            .on("w1")
            .port("http", Protocol.TCP, 8080)
            .and()
            .pod("prod", "db", "10.0.1.2", "fd00::1:2")
            .label("app", "db")
            .on("w1")
            .port("http", Protocol.TCP, 9090)
            .port("pg", Protocol.TCP, 5432)
            .port("dns", Protocol.UDP, 53)
            .and()
            .pod("dev", "client", "10.0.2.1")
            .label("app", "client")
            .on("w1")
            .and()
            .hostNetworkPod("kube-system", "agent", "cp1", "192.168.0.1")
            .label("app", "agent")
            .port("metrics", Protocol.TCP, 9100)
            .and()
            .node("cp1", "192.168.0.1")
            .label("node-role.kubernetes.io/control-plane", "")
            .and()
            .node("w1", "192.168.0.2")
            .and()
            .build();

    private Fixture() {}

    static Verdict evaluate(PoliciesBuilder policies, Packet packet) {
        return evaluate(policies.build(), packet);
    }

    static Verdict evaluate(EffectivePolicies policies, Packet packet) {
        return new Evaluator(CLUSTER, policies).evaluate(packet);
    }
}
