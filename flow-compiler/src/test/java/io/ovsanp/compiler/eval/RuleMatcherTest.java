package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLUSTER;
import static io.ovsanp.compiler.eval.Fixture.CONTROL_PLANE;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.testing.TestClusters.cidr;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {
    private final RuleMatcher matcher = new RuleMatcher(
            CLUSTER,
            io.ovsanp.compiler.cluster.ServiceVips.NONE,
            io.ovsanp.compiler.dns.ResolverState.EMPTY.with("www.internet.example", List.of(EXTERNAL)));

    /** One destination of each kind, with an IP it matches. */
    private static final Map<Class<?>, Map.Entry<Destination, IpAddress>> DESTINATIONS = Map.of(
            Destination.PodSelection.class,
            Map.entry(new Destination.PodSelection(LabelSelector.ALL, LabelSelector.ALL), WEB),
            Destination.NodeSelection.class,
            Map.entry(new Destination.NodeSelection(LabelSelector.ALL), CONTROL_PLANE),
            Destination.Cidrs.class,
            Map.entry(new Destination.Cidrs(List.of(cidr("203.0.113.0/24"))), EXTERNAL),
            Destination.DomainNames.class,
            Map.entry(
                    new Destination.DomainNames(List.of(io.ovsanp.compiler.dns.DomainPattern.parse("*.internet.example")
                            .pattern()
                            .orElseThrow())),
                    EXTERNAL));

    private static final Map<Class<?>, PortMatch> PORTS = Map.of(
            PortMatch.Number.class, new PortMatch.Number(Protocol.TCP, 8080),
            PortMatch.Range.class, new PortMatch.Range(Protocol.TCP, 8000, 8100),
            PortMatch.Named.class, new PortMatch.Named("http", Optional.empty()),
            PortMatch.AnyPort.class, new PortMatch.AnyPort(Protocol.TCP));

    private static Set<Class<?>> permitted(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses()).collect(Collectors.toSet());
    }

    @Test
    void everyDestinationKindIsHandled() {
        assertThat(DESTINATIONS.keySet()).isEqualTo(permitted(Destination.class));
        for (Map.Entry<Destination, IpAddress> e : DESTINATIONS.values()) {
            assertThat(matcher.destinationMatches(e.getKey(), e.getValue()))
                    .as(e.toString())
                    .isTrue();
            assertThat(matcher.destinationMatches(e.getKey(), ip("198.51.100.1")))
                    .as(e.toString())
                    .isFalse();
        }
    }

    @Test
    void everyPortMatchKindIsHandled() {
        assertThat(PORTS.keySet()).isEqualTo(permitted(PortMatch.class));
        for (PortMatch m : PORTS.values()) {
            assertThatCode(() -> matcher.portMatches(m, Packet.tcp(DB, WEB, 8080)))
                    .doesNotThrowAnyException();
            assertThat(matcher.portMatches(m, Packet.tcp(DB, WEB, 8080)))
                    .as(m.toString())
                    .isTrue();
        }
    }

    @Test
    void hostNetworkPodsDoNotOwnTheirIpAsPods() {
        assertThat(matcher.podsWithIp(CONTROL_PLANE)).isEmpty();
        assertThat(matcher.podsWithIp(WEB)).extracting(p -> p.key()).containsExactly("prod/web");
    }

    @Test
    void implicitNamespaceHasOnlyItsNameLabel() {
        assertThat(matcher.namespaceLabels("kube-system"))
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
        assertThat(matcher.namespaceLabels("never-mentioned"))
                .containsEntry("kubernetes.io/metadata.name", "never-mentioned");
    }

    @Test
    void duplicatePodIpsAreAllCandidatesForPeersAndTheFirstIsTheSource() {
        var dup = cluster()
                .pod("a", "one", "10.9.0.1")
                .label("app", "x")
                .and()
                .pod("b", "two", "10.9.0.1")
                .label("app", "y")
                .and()
                .build();
        RuleMatcher m = new RuleMatcher(dup);

        assertThat(m.podsWithIp(ip("10.9.0.1"))).extracting(p -> p.key()).containsExactly("a/one", "b/two");
        assertThat(m.destinationMatches(
                        new Destination.PodSelection(LabelSelector.ALL, LabelSelector.of(Map.of("app", "y"))),
                        ip("10.9.0.1")))
                .isTrue();
    }
}
