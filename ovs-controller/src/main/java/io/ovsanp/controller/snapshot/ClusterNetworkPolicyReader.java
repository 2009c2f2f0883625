package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Reads a ClusterNetworkPolicy ({@code policy.networking.k8s.io/v1alpha2}, release v0.2.0) into the
 * same {@link AdminPolicy} model as ANP/BANP (docs/semantics.md, "ClusterNetworkPolicy (v1alpha2)"),
 * with the kind {@link AdminPolicy#CLUSTER_NETWORK_POLICY}: {@code spec.tier} Admin is {@link
 * Tier#ADMIN}, Baseline {@link Tier#BASELINE}; Accept is Allow; each {@code protocols} entry is one
 * port match. Egress and ingress rules are read alike ({@code name}, {@code action}, {@code to} or
 * {@code from}, {@code protocols}); ingress peers ({@code from}) are namespaces or pods only. Problems are reported as {@link AdminPolicyReader} reports them (unknown fields are
 * errors), and value limits are the validator's.
 *
 * <p>A {@code spec.tier} that is missing or not Admin/Baseline is an error at {@code spec.tier}; the
 * policy is then read into the Admin tier with priority 0, so that, invalid as a whole, its Deny and
 * Pass rules deny at the highest precedence (docs/decisions.md, "Fail-closed choices").
 */
public final class ClusterNetworkPolicyReader {
    private static final List<String> SPEC_FIELDS = List.of("tier", "priority", "subject", "ingress", "egress");
    private static final List<String> PROTOCOL_FIELDS = List.of("tcp", "udp", "sctp", "destinationNamedPort");

    private ClusterNetworkPolicyReader() {}

    /** {@code object} is the whole manifest (apiVersion, kind, metadata, spec); never throws for its content. */
    public static AdminPolicy read(JsonNode object, SourceRef source) {
        FieldReader r = new FieldReader(AdminPolicyReader.ref(AdminPolicy.CLUSTER_NETWORK_POLICY, object, source));
        Optional<JsonNode> read = AdminPolicyReader.spec(r, object);
        if (read.isEmpty()) {
            return new AdminPolicy(r.object(), Tier.ADMIN, 0, Subject.ALL, List.of(), List.of(), r.problems());
        }
        JsonNode spec = read.get();
        r.rejectUnknown(spec, "spec", SPEC_FIELDS);
        Optional<Tier> tier = tier(r, spec);
        // An unreadable priority orders as 0; the validator decides what that policy may still do.
        int priority = r.int32(spec, "spec", "priority", true).orElse(0);
        Subject subject = AdminPolicyReader.subject(r, spec, true);
        return new AdminPolicy(
                r.object(),
                tier.orElse(Tier.ADMIN),
                tier.isPresent() ? priority : 0,
                subject,
                AdminPolicyReader.rules(r, spec, RuleShape.CNP, Direction.EGRESS),
                AdminPolicyReader.rules(r, spec, RuleShape.CNP, Direction.INGRESS),
                r.problems(),
                AdminPolicyReader.audited(object));
    }

    private static Optional<Tier> tier(FieldReader r, JsonNode spec) {
        String path = "spec.tier";
        String fallback = "; the policy is realised fail-closed in the Admin tier, ordered first";
        JsonNode value = FieldReader.get(spec, "tier");
        if (value == null) {
            r.error(path, "missing required field (Admin or Baseline)" + fallback);
            return Optional.empty();
        }
        if (!value.isString()) {
            r.error(path, "expected Admin or Baseline, got " + FieldPath.describe(value) + fallback);
            return Optional.empty();
        }
        switch (value.stringValue()) {
            case "Admin":
                return Optional.of(Tier.ADMIN);
            case "Baseline":
                return Optional.of(Tier.BASELINE);
            default:
                r.error(path, "unknown tier \"" + value.stringValue() + "\" (expected Admin or Baseline)" + fallback);
                return Optional.empty();
        }
    }

    /**
     * One {@code protocols} entry: exactly one of {@code tcp}, {@code udp}, {@code sctp} (each with
     * {@code destinationPort}: exactly one of {@code number} or {@code range {start, end}}) or {@code
     * destinationNamedPort}. The CRD requires at least one field in {@code tcp}/{@code udp}/{@code
     * sctp}, and {@code destinationPort} is the only one, so an entry without it is invalid (not "every
     * port"). Empty (and reported) when the entry cannot be read.
     */
    static Optional<PortMatch> protocol(FieldReader r, JsonNode node, String path) {
        if (!r.requireObject(node, path)) {
            return Optional.empty();
        }
        int before = r.problemCount();
        Optional<String> one = r.exactlyOne(node, path, PROTOCOL_FIELDS);
        if (one.isEmpty()) {
            return Optional.empty();
        }
        String field = one.get();
        if (field.equals("destinationNamedPort")) {
            return r.string(node, path, field, true).map(name -> new PortMatch.Named(name, Optional.empty()));
        }
        Protocol protocol = Protocol.valueOf(field.toUpperCase(Locale.ROOT));
        String p = FieldPath.field(path, field);
        JsonNode value = FieldReader.get(node, field);
        if (!r.requireObject(value, p)) {
            return Optional.empty();
        }
        r.rejectUnknown(value, p, List.of("destinationPort"));
        JsonNode port = FieldReader.get(value, "destinationPort");
        String portPath = FieldPath.field(p, "destinationPort");
        if (port == null) {
            if (r.problemCount() == before) {
                r.error(portPath, "missing required field (" + field + " must set destinationPort)");
            }
            return Optional.empty();
        }
        if (!r.requireObject(port, portPath)) {
            return Optional.empty();
        }
        Optional<String> kind = r.exactlyOne(port, portPath, List.of("number", "range"));
        if (kind.isEmpty() || r.problemCount() != before) {
            return Optional.empty();
        }
        if (kind.get().equals("number")) {
            OptionalInt number = r.int32(port, portPath, "number", true);
            return number.isPresent()
                    ? Optional.of(new PortMatch.Number(protocol, number.getAsInt()))
                    : Optional.empty();
        }
        JsonNode range = FieldReader.get(port, "range");
        String rangePath = FieldPath.field(portPath, "range");
        if (!r.requireObject(range, rangePath)) {
            return Optional.empty();
        }
        r.rejectUnknown(range, rangePath, List.of("start", "end"));
        OptionalInt start = r.int32(range, rangePath, "start", true);
        OptionalInt end = r.int32(range, rangePath, "end", true);
        if (r.problemCount() != before || start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PortMatch.Range(protocol, start.getAsInt(), end.getAsInt()));
    }
}
