package io.ovsanp.compiler.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names to addresses, as explain --resolved gives them and domainNames peers match them. */
class ResolverStateTest {
    private static final List<DomainPattern> WILDCARD =
            List.of(DomainPattern.parse("*.internet.example").pattern().orElseThrow());

    @Test
    void entriesAddUpAndAPatternCoversTheAddressesOfTheNamesItMatches() {
        List<String> problems = new ArrayList<>();
        ResolverState s = ResolverState.parseEntry(ResolverState.EMPTY, "www.internet.example=203.0.113.10", problems)
                .flatMap(x -> ResolverState.parseEntry(x, "WWW.internet.example.=2001:db8:113::10", problems))
                .flatMap(x -> ResolverState.parseEntry(x, "intranet.example=10.10.0.5,fd00:10:10::5", problems))
                .orElseThrow();
        assertThat(problems).isEmpty();
        assertThat(s.addresses().get("www.internet.example"))
                .containsExactly(IpAddress.parse("203.0.113.10"), IpAddress.parse("2001:db8:113::10"));
        assertThat(s.covers(WILDCARD, IpAddress.parse("203.0.113.10"))).isTrue();
        assertThat(s.covers(WILDCARD, IpAddress.parse("2001:db8:113::10"))).isTrue();
        assertThat(s.covers(WILDCARD, IpAddress.parse("10.10.0.5")))
                .as("another name's address")
                .isFalse();
        assertThat(s.namesFor(WILDCARD, IpAddress.parse("203.0.113.10"))).containsExactly("www.internet.example");
        assertThat(ResolverState.EMPTY.covers(WILDCARD, IpAddress.parse("203.0.113.10")))
                .isFalse();
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        for (String[] bad : new String[][] {
            {"www.internet.example", "expected NAME=IP"},
            {"=1.2.3.4", "expected NAME=IP"},
            {"*.internet.example=1.2.3.4", "not a wildcard"},
            {"localhost=127.0.0.1", "at least two labels"},
            {"a.example=1.2.3.4,nope", "\"nope\""},
            {"a.example=", "is not an IPv4 or IPv6 address"},
        }) {
            List<String> problems = new ArrayList<>();
            assertThat(ResolverState.parseEntry(ResolverState.EMPTY, bad[0], problems))
                    .as(bad[0])
                    .isEmpty();
            assertThat(problems).as(bad[0]).singleElement().asString().contains(bad[1]);
        }
    }
}
