package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.property.RandomClusters;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * On random clusters ({@link RandomClusters}: named ports, ranges, Pass, NetworkPolicies, pre-DNAT):
 * every matrix cell is the reference evaluator's verdict for the addresses {@code explain} picks, and
 * the port classes hold what {@link MatrixPorts} claims: any port of a class (any port no rule names,
 * and ICMP, for the "other" one) gets the verdict of the class's representative in every cell.
 */
class MatrixProperties {
    private static String key(ConnectionVerdict v) {
        return v.allowed() + " | " + v.egress().describe() + " | " + v.ingress().describe();
    }

    @Property(tries = 60)
    void cellsAreTheEvaluatorsVerdictAndPortClassesHold(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        ServiceVips vips = gen.serviceVips();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        ConnectivityMatrix m = ConnectivityMatrix.build(snapshot, policies, vips);
        Evaluator evaluator = new Evaluator(snapshot, policies, vips);
        assertThat(m.ports().stream().filter(MatrixPorts.PortClass::other)).hasSize(1);

        for (List<List<ConnectivityMatrix.Cell>> grid : m.cells()) {
            for (List<ConnectivityMatrix.Cell> line : grid) {
                for (ConnectivityMatrix.Cell cell : line) {
                    List<IpAddress> to = cell.to().addresses();
                    Optional<IpAddress> src = cell.from().ips().stream()
                            .filter(ip -> to.stream().anyMatch(d -> d.family() == ip.family()))
                            .findFirst();
                    assertThat(cell.result().isPresent()).isEqualTo(src.isPresent());
                    if (src.isEmpty()) continue;
                    ConnectionProbe.Result r = cell.result().get();
                    assertThat(r.src()).isEqualTo(src.get());
                    assertThat(r.dst())
                            .isEqualTo(to.stream()
                                    .filter(d -> d.family() == src.get().family())
                                    .findFirst()
                                    .orElseThrow());
                    assertThat(key(r.verdict()))
                            .as(
                                    "%s -> %s %s",
                                    cell.from().key(),
                                    cell.to().name(),
                                    cell.port().label())
                            .isEqualTo(key(evaluator.evaluateConnection(
                                    cell.port().probePort().packet(r.src(), r.dst()))));
                }
            }
        }

        ConnectionProbe probe = new ConnectionProbe(snapshot, policies, vips);
        Random random = new Random(seed);
        for (int i = 0; i < 25; i++) {
            ConnectionProbe.Port port = i == 0
                    ? ConnectionProbe.Port.icmp()
                    : ConnectionProbe.Port.of(
                            Protocol.values()[random.nextInt(Protocol.values().length)], 1 + random.nextInt(65535));
            int cls = classOf(m.ports(), port);
            for (int r = 0; r < m.rows().size(); r++) {
                for (int c = 0; c < m.columns().size(); c++) {
                    ConnectivityMatrix.Cell cell = m.cells().get(cls).get(r).get(c);
                    Optional<ConnectionProbe.Result> got =
                            probe.judge(cell.from(), cell.to().addresses(), port);
                    assertThat(got.map(x -> key(x.verdict())))
                            .as(
                                    "%s -> %s at %s, class %s",
                                    cell.from().key(), cell.to().name(), port, cell.port())
                            .isEqualTo(cell.result().map(x -> key(x.verdict())));
                }
            }
        }
    }

    /** The index of the class {@code port} falls in, else of the "other" class. */
    private static int classOf(List<MatrixPorts.PortClass> ports, ConnectionProbe.Port port) {
        for (int i = 0; i < ports.size(); i++) {
            MatrixPorts.PortClass c = ports.get(i);
            if (!c.other()
                    && port.transport().equals(c.protocol())
                    && c.first() <= port.port()
                    && port.port() <= c.last()) {
                return i;
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).other()) return i;
        }
        throw new AssertionError("no class and no other port for " + port + " in " + ports);
    }
}
