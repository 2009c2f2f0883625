package io.ovsanp.compiler.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The API's domainNames entries: exact names, {@code *.} wildcards one or more labels deep, case and dots. */
class DomainPatternTest {
    private static DomainPattern p(String text) {
        return DomainPattern.parse(text).pattern().orElseThrow(() -> new AssertionError(text + " should parse"));
    }

    private static String problem(String text) {
        DomainPattern.Parsed parsed = DomainPattern.parse(text);
        assertThat(parsed.pattern()).as(text).isEmpty();
        return parsed.problem();
    }

    @Test
    void anExactNameMatchesOnlyItselfWithoutCaseOrTrailingDot() {
        DomainPattern api = p("api.example.com");
        assertThat(api.matches("api.example.com")).isTrue();
        assertThat(api.matches("API.Example.COM.")).isTrue();
        assertThat(api.matches("www.api.example.com")).isFalse();
        assertThat(api.matches("example.com")).isFalse();
        assertThat(p("Api.Example.com.").matches("api.example.com")).isTrue();
    }

    @Test
    void aWildcardMatchesEveryNameBelowOneOrMoreLabelsDeepButNotTheApex() {
        DomainPattern any = p("*.internet.example");
        assertThat(any.matches("www.internet.example")).isTrue();
        assertThat(any.matches("a.b.internet.example")).isTrue();
        assertThat(any.matches("WWW.internet.example.")).isTrue();
        assertThat(any.matches("internet.example")).isFalse();
        assertThat(any.matches("notinternet.example"))
                .as("a label is matched whole")
                .isFalse();
        assertThat(any.matches("www.internet.example.org")).isFalse();
        assertThat(any.toString()).isEqualTo("*.internet.example");
    }

    @Test
    void whatIsNotADomainNameIsRefusedWithAReason() {
        assertThat(problem("")).isEqualTo("must not be empty");
        assertThat(problem("localhost")).contains("at least two labels");
        assertThat(problem("my-*.example.com")).contains("not a domain name");
        assertThat(problem("*.com")).contains("not a domain name");
        assertThat(problem("*")).contains("not a domain name");
        assertThat(problem("-a.example.com")).contains("not a domain name");
        assertThat(problem("a..example.com")).contains("not a domain name");
        assertThat(problem("a".repeat(64) + ".example.com")).contains("longer than 63");
        assertThat(problem(("a".repeat(60) + ".").repeat(5) + "com")).contains("longer than 253");
        assertThat(p("under_score.example.com").matches("under_score.example.com"))
                .isTrue();
    }
}
