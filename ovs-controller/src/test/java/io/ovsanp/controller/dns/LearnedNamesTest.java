package io.ovsanp.controller.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.net.IpAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-pod learning: names a pattern covers, TTLs with a minimum, a cap per name, expiry. */
class LearnedNamesTest {
    private static final IpAddress WEB = IpAddress.parse("10.244.1.10");
    private static final IpAddress DB = IpAddress.parse("10.244.1.12");
    private static final List<DomainPattern> INTERNET =
            List.of(DomainPattern.parse("*.internet.example").pattern().orElseThrow());
    private static final long SECOND = 1_000_000_000L;

    private static DnsAnswer answer(List<String> chain, long ttl, String... ips) {
        return new DnsAnswer(
                1,
                chain.get(0),
                chain,
                java.util.Arrays.stream(ips)
                        .map(ip -> new DnsAnswer.Address(IpAddress.parse(ip), ttl))
                        .toList());
    }

    @Test
    void aCoveredNameIsLearnedForThePodThatAskedOnlyAndExpiresWithItsTtlAtLeastTheMinimum() {
        LearnedNames learned = new LearnedNames(Duration.ofSeconds(60), 8);
        long t0 = 1_000 * SECOND;
        assertThat(learned.learn(
                                WEB,
                                answer(List.of("www.internet.example", "internet.example"), 5, "203.0.113.10"),
                                INTERNET,
                                t0)
                        .names())
                .as("the question is covered, its CNAME target (the apex) is not")
                .containsExactly("www.internet.example");
        assertThat(learned.stateFor(WEB, t0).covers(INTERNET, IpAddress.parse("203.0.113.10")))
                .isTrue();
        assertThat(learned.stateFor(DB, t0).isEmpty())
                .as("another pod learned nothing")
                .isTrue();
        // a 5 s TTL is raised to the 60 s minimum
        assertThat(learned.stateFor(WEB, t0 + 59 * SECOND).isEmpty()).isFalse();
        assertThat(learned.stateFor(WEB, t0 + 60 * SECOND).isEmpty()).isTrue();
        assertThat(learned.expire(t0 + 61 * SECOND)).containsExactly(WEB);
        assertThat(learned.expire(t0 + 62 * SECOND)).isEmpty();
    }

    @Test
    void uncoveredNamesAndEmptyAnswersTeachNothing() {
        LearnedNames learned = new LearnedNames(Duration.ofSeconds(60), 8);
        assertThat(learned.learn(WEB, answer(List.of("intranet.example"), 300, "10.10.0.5"), INTERNET, 0)
                        .names())
                .isEmpty();
        assertThat(learned.learn(WEB, answer(List.of("www.internet.example"), 300), INTERNET, 0)
                        .names())
                .isEmpty();
        assertThat(learned.stateFor(WEB, 0).isEmpty()).isTrue();
    }

    @Test
    void aNameKeepsAtMostTheCapOfAddressesTheOnesThatExpireLast() {
        LearnedNames learned = new LearnedNames(Duration.ZERO, 2);
        learned.learn(WEB, answer(List.of("a.internet.example"), 100, "203.0.113.1"), INTERNET, 0);
        learned.learn(WEB, answer(List.of("a.internet.example"), 200, "203.0.113.2"), INTERNET, 0);
        learned.learn(WEB, answer(List.of("a.internet.example"), 300, "203.0.113.3"), INTERNET, 0);
        assertThat(learned.stateFor(WEB, 0).addresses().get("a.internet.example"))
                .containsExactlyInAnyOrder(IpAddress.parse("203.0.113.2"), IpAddress.parse("203.0.113.3"));
        // an address seen again keeps the later expiry
        learned.learn(WEB, answer(List.of("a.internet.example"), 10, "203.0.113.3"), INTERNET, 0);
        assertThat(learned.stateFor(WEB, 250 * SECOND).addresses().get("a.internet.example"))
                .containsExactly(IpAddress.parse("203.0.113.3"));
        learned.forget(WEB);
        assertThat(learned.stateFor(WEB, 0).isEmpty()).isTrue();
    }
}
