package io.ovsanp.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The two forms of one line, exactly as README "Audit log" shows them. */
class AuditLineTest {
    private static final Instant TIME = Instant.parse("2026-12-07T03:50:00.123Z");

    private static AuditLine tcp(String ruleName) {
        return new AuditLine(
                TIME,
                "worker-1",
                "10.244.1.10",
                "shop/web",
                "203.0.113.10",
                "",
                "TCP",
                443,
                "Deny",
                "Admin",
                "AdminNetworkPolicy/intranet-only",
                "egress",
                1,
                ruleName);
    }

    @Test
    void textIsKeyValueWithTheRuleNameQuoted() {
        assertThat(tcp("deny-internet").text())
                .isEqualTo("2026-12-07T03:50:00.123Z node=worker-1 src=10.244.1.10(shop/web) dst=203.0.113.10"
                        + " proto=TCP port=443 verdict=Deny tier=Admin policy=AdminNetworkPolicy/intranet-only"
                        + " rule=egress[1] name=\"deny-internet\"");
        assertThat(tcp("deny-internet").format(AuditLine.Format.text))
                .isEqualTo(tcp("deny-internet").text());
    }

    @Test
    void jsonHasEveryKeyInOrderWithNullForAnAbsentPod() {
        assertThat(tcp("deny-internet").json())
                .isEqualTo("{\"time\":\"2026-12-07T03:50:00.123Z\",\"node\":\"worker-1\",\"srcIp\":\"10.244.1.10\","
                        + "\"srcPod\":\"shop/web\",\"dstIp\":\"203.0.113.10\",\"dstPod\":null,\"protocol\":\"TCP\","
                        + "\"port\":443,\"verdict\":\"Deny\",\"tier\":\"Admin\","
                        + "\"policy\":\"AdminNetworkPolicy/intranet-only\",\"direction\":\"egress\",\"ruleIndex\":1,"
                        + "\"ruleName\":\"deny-internet\"}");
        assertThat(tcp("x").format(AuditLine.Format.json)).isEqualTo(tcp("x").json());
    }

    @Test
    void oddCharactersInARuleNameAreEscapedInBothForms() {
        String odd = "say \"hi\" \\ to\nthe\tworld\u0001 é";
        AuditLine l = tcp(odd);
        assertThat(l.json()).endsWith(",\"ruleName\":\"say \\\"hi\\\" \\\\ to\\nthe\\tworld\\u0001 é\"}");
        JsonNode parsed = JsonMapper.builder().build().readTree(l.json());
        assertThat(parsed.get("ruleName").stringValue()).isEqualTo(odd);
        // text: one line whatever the name holds; quotes and backslashes escaped, control characters as \\uXXXX
        assertThat(l.text())
                .doesNotContain("\n")
                .endsWith(" name=\"say \\\"hi\\\" \\\\ to\\u000athe\\u0009world\\u0001 é\"");
    }

    @Test
    void icmpHasNoPortNoneInTextAndNullInJson() {
        AuditLine icmp = new AuditLine(
                TIME,
                "worker-1",
                "10.244.1.10",
                "",
                "10.244.2.20",
                "shop/db",
                "ICMP",
                -1,
                "Allow",
                "Baseline",
                "BaselineAdminNetworkPolicy/default",
                "ingress",
                0,
                "");
        assertThat(icmp.text())
                .isEqualTo("2026-12-07T03:50:00.123Z node=worker-1 src=10.244.1.10 dst=10.244.2.20(shop/db)"
                        + " proto=ICMP verdict=Allow tier=Baseline policy=BaselineAdminNetworkPolicy/default"
                        + " rule=ingress[0] name=\"\"");
        assertThat(icmp.json())
                .contains("\"srcPod\":null,")
                .contains("\"dstPod\":\"shop/db\",")
                .contains("\"protocol\":\"ICMP\",\"port\":null,\"verdict\":\"Allow\"");
    }
}
