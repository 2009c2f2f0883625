package io.ovsanp.controller.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * One connection a rule decided: when its first packet was copied (as the controller received it),
 * on which node, from which address (and pod, when the address is a pod's in the current snapshot)
 * to which (and pod), protocol and destination port (ICMP: type and code), the rule's verdict as the
 * policy API names it (Allow, Accept, Deny, Pass), and the tier, policy and rule. Empty pod names mean
 * the address is no pod's; {@code port} is -1 when the protocol has none.
 */
public record AuditLine(
        Instant time,
        String node,
        String srcIp,
        String srcPod,
        String dstIp,
        String dstPod,
        String protocol,
        int port,
        String verdict,
        String tier,
        String policy,
        String direction,
        int ruleIndex,
        String ruleName) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public AuditLine {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(srcPod, "srcPod");
        Objects.requireNonNull(dstIp, "dstIp");
        Objects.requireNonNull(dstPod, "dstPod");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(ruleName, "ruleName");
    }

    public enum Format {
        text,
        json
    }

    public String format(Format f) {
        return f == Format.json ? json() : text();
    }

    /**
     * {@code TIME node=N src=IP(ns/pod) dst=IP(ns/pod) proto=TCP port=443 verdict=Deny
     * tier=Admin policy=AdminNetworkPolicy/x rule=egress[0] name="r"}: key=value, names quoted
     * (a rule name may hold spaces), so a line can be split without a JSON parser.
     */
    public String text() {
        StringBuilder b = new StringBuilder(160);
        b.append(time).append(" node=").append(node);
        b.append(" src=").append(endpoint(srcIp, srcPod));
        b.append(" dst=").append(endpoint(dstIp, dstPod));
        b.append(" proto=").append(protocol);
        if (port >= 0) b.append(" port=").append(port);
        b.append(" verdict=").append(verdict);
        b.append(" tier=").append(tier);
        b.append(" policy=").append(policy);
        b.append(" rule=").append(direction).append('[').append(ruleIndex).append(']');
        b.append(" name=").append(quote(ruleName));
        return b.toString();
    }

    /** One JSON object; every key present ({@code null} for an absent pod or port). */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time.toString());
        m.put("node", node);
        m.put("srcIp", srcIp);
        m.put("srcPod", srcPod.isEmpty() ? null : srcPod);
        m.put("dstIp", dstIp);
        m.put("dstPod", dstPod.isEmpty() ? null : dstPod);
        m.put("protocol", protocol);
        m.put("port", port >= 0 ? port : null);
        m.put("verdict", verdict);
        m.put("tier", tier);
        m.put("policy", policy);
        m.put("direction", direction);
        m.put("ruleIndex", ruleIndex);
        m.put("ruleName", ruleName);
        return JSON.writeValueAsString(m);
    }

    private static String endpoint(String ip, String pod) {
        return pod.isEmpty() ? ip : ip + "(" + pod + ")";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
