package io.ovsanp.controller.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Frames as a switch pauses them: Ethernet, IPv4, UDP or TCP from port 53, a DNS answer (dnsjava's). */
class DnsLearningTest {
    private static final long SECOND = 1_000_000_000L;
    private static final IpAddress WEB = IpAddress.parse("10.244.1.10");

    private static DnsLearning learning() {
        DnsLearning d = new DnsLearning(new DnsLearning.Settings(Duration.ofSeconds(5), 8, 16));
        AdminPolicy anp = new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", "fqdn", "u", SourceRef.NONE),
                Tier.ADMIN,
                1,
                Subject.ALL,
                List.of(new Rule(
                        0,
                        "r",
                        Action.ALLOW,
                        List.of(new Peer.DomainNames(List.of("*.internet.example"))),
                        List.of(new PortMatch.Number(Protocol.TCP, 443)))),
                List.of());
        d.policies(PolicyValidator.validate(new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(anp), List.of(), List.of())));
        return d;
    }

    static byte[] answer(String name, String ip, long ttl) throws Exception {
        Message m = DnsAnswerTest.response(7, name, Type.A);
        DnsAnswerTest.a(m, name, ip, ttl);
        return m.toWire();
    }

    /** Ethernet + IPv4 + UDP (or TCP with the 2-byte length first) from 198.51.100.53:53 to {@code to}. */
    static byte[] frame(int protocol, byte[] payload, int to) {
        byte[] data = payload;
        if (protocol == 6) {
            data = ByteBuffer.allocate(2 + payload.length)
                    .putShort((short) payload.length)
                    .put(payload)
                    .array();
        }
        int l4 = protocol == 6 ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4 + data.length);
        b.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + l4 + data.length))
                .putInt(0);
        b.put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.putInt((198 << 24) | (51 << 16) | (100 << 8) | 53).putInt(to);
        b.putShort((short) 53).putShort((short) 40000);
        if (protocol == 6) {
            b.putInt(1)
                    .putInt(1)
                    .put((byte) 0x50)
                    .put((byte) 0x18)
                    .putShort((short) 512)
                    .putInt(0);
        } else {
            b.putShort((short) (8 + data.length)).putShort((short) 0);
        }
        b.put(data);
        return b.array();
    }

    private static final int WEB_INT = (10 << 24) | (244 << 16) | (1 << 8) | 10;

    @Test
    void aNewCoveredAddressIsLearnedOnceForThePodItWentToAndExpires() throws Exception {
        DnsLearning d = learning();
        long t0 = 100 * SECOND;
        byte[] f = frame(17, answer("www.internet.example", "203.0.113.10", 1), WEB_INT);
        DnsLearning.Observation o = d.observe("n1", f, t0);
        assertThat(o.kind()).isEqualTo(DnsLearning.Kind.LEARNED);
        assertThat(o.pod()).contains(WEB);
        assertThat(o.names()).containsExactly("www.internet.example");
        assertThat(d.observe("n1", f, t0 + SECOND).kind())
                .as("the same address again: only a later expiry")
                .isEqualTo(DnsLearning.Kind.NOTHING_NEW);
        assertThat(d.statesFor("n1", t0).forPod(List.of(WEB)).addresses()).containsKey("www.internet.example");
        assertThat(d.statesFor("n2", t0).isEmpty()).as("another node's pods").isTrue();
        assertThat(d.observe("n1", frame(17, answer("intranet.example", "10.10.0.5", 60), WEB_INT), t0)
                        .kind())
                .as("a name no rule covers")
                .isEqualTo(DnsLearning.Kind.NOTHING_NEW);
        // TTL 1 s raised to the 5 s minimum, refreshed at t0 + 1 s
        assertThat(d.expire(t0 + 5 * SECOND)).isEmpty();
        assertThat(d.expire(t0 + 6 * SECOND)).containsExactly("n1");
        assertThat(d.statesFor("n1", t0 + 6 * SECOND).isEmpty()).isTrue();
    }

    @Test
    void tcpAnswersAreReadWhenWholeInOneSegment() throws Exception {
        DnsLearning d = learning();
        byte[] whole = frame(6, answer("api.internet.example", "203.0.113.11", 60), WEB_INT);
        assertThat(d.observe("n1", whole, 0).kind()).isEqualTo(DnsLearning.Kind.LEARNED);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);
        assertThat(d.observe("n1", cut, 0).kind())
                .as("a message cut over segments is not read")
                .isEqualTo(DnsLearning.Kind.UNPARSED);
    }

    @Test
    void whatIsNoAnswerTeachesNothing() throws Exception {
        DnsLearning d = learning();
        assertThat(d.observe("n1", frame(17, new byte[] {1, 2, 3}, WEB_INT), 0).kind())
                .isEqualTo(DnsLearning.Kind.UNPARSED);
        assertThat(d.observe("n1", new byte[] {1, 2, 3}, 0).kind()).isEqualTo(DnsLearning.Kind.NOT_AN_ANSWER);
    }

    @Test
    void podsThatLeftForgetWhatTheyLearned() throws Exception {
        DnsLearning d = learning();
        d.observe("n1", frame(17, answer("www.internet.example", "203.0.113.10", 60), WEB_INT), 0);
        assertThat(d.retain(Set.of(WEB))).isEmpty();
        assertThat(d.retain(Set.of())).containsExactly("n1");
        assertThat(d.statesFor("n1", 0).isEmpty()).isTrue();
        assertThat(d.counts()).containsExactly(0, 0);
    }
}
