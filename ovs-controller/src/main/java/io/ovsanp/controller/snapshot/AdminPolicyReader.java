package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads an AdminNetworkPolicy or BaselineAdminNetworkPolicy ({@code policy.networking.k8s.io/v1alpha1},
 * schema of release v0.1.7) from its JSON tree, field by field. Every structural problem (unknown
 * field, wrong JSON type, missing required field, zero or several fields where exactly one is
 * required, invalid selector) becomes an ERROR in {@link AdminPolicy#readProblems()} with its field
 * path; value limits (priority range, CIDR syntax, port range, list lengths) are left to the
 * validator. The reader never throws for bad input:
 *
 * <ul>
 *   <li>an unreadable subject reads as {@link Subject#ALL}, the problem under {@code spec.subject};
 *   <li>every {@code spec.egress} and {@code spec.ingress} entry yields a {@link Rule} at its list
 *       position, even when unreadable (action DENY when the action cannot be read), with its
 *       problems under {@code spec.egress[i]} or {@code spec.ingress[i]}, so the validator can
 *       realise it fail-closed; a rule list that is not a list is reported at {@code spec.egress} or
 *       {@code spec.ingress} and reads as no rules (the validator then denies that direction);
 *   <li>an ingress rule's peers are its {@code from} entries (the sources): namespaces or pods only,
 *       any other field is unknown there;
 *   <li>a peer that is not exactly one known field reads as {@link Peer.Unsupported};
 *   <li>an invalid {@code ports} entry is left out (its problem is under the rule's path).
 * </ul>
 *
 * {@code status} is ignored.
 */
public final class AdminPolicyReader {
    private static final List<String> TOP_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> ANP_SPEC_FIELDS = List.of("priority", "subject", "ingress", "egress");
    private static final List<String> BANP_SPEC_FIELDS = List.of("subject", "ingress", "egress");
    private static final List<String> SUBJECT_FIELDS = List.of("namespaces", "pods");

    private AdminPolicyReader() {}

    /** {@code object} is the whole manifest (apiVersion, kind, metadata, spec). */
    public static AdminPolicy read(JsonNode object, Tier tier, SourceRef source) {
        if (tier == Tier.NETWORK_POLICY) {
            throw new IllegalArgumentException("not an admin tier: " + tier);
        }
        FieldReader r = new FieldReader(ref(tier.kind(), object, source));
        Optional<JsonNode> read = spec(r, object);
        if (read.isEmpty()) {
            return new AdminPolicy(r.object(), tier, 0, Subject.ALL, List.of(), List.of(), r.problems());
        }
        JsonNode spec = read.get();
        r.rejectUnknown(spec, "spec", tier == Tier.ADMIN ? ANP_SPEC_FIELDS : BANP_SPEC_FIELDS);
        // An unreadable priority orders as 0; the validator decides what that policy may still do.
        int priority =
                tier == Tier.ADMIN ? r.int32(spec, "spec", "priority", true).orElse(0) : 0;
        Subject subject = subject(r, spec, false);
        RuleShape shape = tier == Tier.ADMIN ? RuleShape.ANP : RuleShape.BANP;
        return new AdminPolicy(
                r.object(),
                tier,
                priority,
                subject,
                rules(r, spec, shape, Direction.EGRESS),
                rules(r, spec, shape, Direction.INGRESS),
                r.problems(),
                audited(object));
    }

    /**
     * Whether the policy opted in to the audit log: annotation {@value AdminPolicy#AUDIT_ANNOTATION}
     * set to {@code "true"} (any case). Any other value leaves it out, as Kubernetes' own boolean
     * annotations do; the audit log never changes a verdict, so this is not a validity question.
     */
    static boolean audited(JsonNode object) {
        JsonNode meta = object.isObject() ? FieldReader.get(object, "metadata") : null;
        JsonNode annotations = meta != null && meta.isObject() ? FieldReader.get(meta, "annotations") : null;
        JsonNode value = annotations != null && annotations.isObject()
                ? FieldReader.get(annotations, AdminPolicy.AUDIT_ANNOTATION)
                : null;
        return value != null && value.isString() && value.stringValue().equalsIgnoreCase("true");
    }

    /** The object's identity: {@code metadata.name} and {@code .uid} where readable, else empty. */
    static ObjectRef ref(String kind, JsonNode object, SourceRef source) {
        JsonNode meta = object.isObject() ? FieldReader.get(object, "metadata") : null;
        return new ObjectRef(kind, "", text(meta, "name"), text(meta, "uid"), source);
    }

    /**
     * The manifest's {@code spec} object after checking the top-level fields; empty (reported) when
     * the manifest or its spec is not an object or the spec is missing.
     */
    static Optional<JsonNode> spec(FieldReader r, JsonNode object) {
        if (!r.requireObject(object, "")) {
            return Optional.empty();
        }
        r.rejectUnknown(object, "", TOP_FIELDS);
        JsonNode spec = FieldReader.get(object, "spec");
        if (spec == null) {
            r.missing("spec");
            return Optional.empty();
        }
        return r.requireObject(spec, "spec") ? Optional.of(spec) : Optional.empty();
    }

    /**
     * Every {@code spec.egress} or {@code spec.ingress} entry, each at its list position (see the class
     * comment).
     */
    static List<Rule> rules(FieldReader r, JsonNode spec, RuleShape shape, Direction d) {
        List<Rule> out = new ArrayList<>();
        List<JsonNode> rules = r.list(spec, "spec", d.field(), false).orElse(List.of());
        for (int i = 0; i < rules.size(); i++) {
            out.add(rule(r, shape, d, rules.get(i), i));
        }
        return out;
    }

    private static String text(JsonNode object, String field) {
        JsonNode v = object == null || !object.isObject() ? null : FieldReader.get(object, field);
        return v != null && v.isString() ? v.stringValue() : "";
    }

    /**
     * {@code spec.subject}: exactly one of namespaces or pods; {@link Subject#ALL} (reported) when it
     * cannot be read. {@code namespaceSelectorOptional}: v1alpha2's pods.namespaceSelector.
     */
    static Subject subject(FieldReader r, JsonNode spec, boolean namespaceSelectorOptional) {
        JsonNode subject = FieldReader.get(spec, "subject");
        String path = "spec.subject";
        if (subject == null) {
            r.missing(path);
            return Subject.ALL;
        }
        if (!r.requireObject(subject, path)) {
            return Subject.ALL;
        }
        int before = r.problemCount();
        r.rejectUnknown(subject, path, SUBJECT_FIELDS);
        JsonNode namespaces = FieldReader.get(subject, "namespaces");
        JsonNode pods = FieldReader.get(subject, "pods");
        if ((namespaces == null) == (pods == null)) {
            r.error(
                    path,
                    "exactly one of namespaces or pods must be set, found "
                            + (namespaces == null ? "neither" : "both"));
            return Subject.ALL;
        }
        Optional<Subject> read = namespaces != null
                ? SelectorReader.read(r, namespaces, FieldPath.field(path, "namespaces"))
                        .map(ns -> new Subject(ns, LabelSelector.ALL))
                : namespacedPod(r, pods, FieldPath.field(path, "pods"), namespaceSelectorOptional)
                        .map(p -> new Subject(p.namespaceSelector(), p.podSelector()));
        return r.problemCount() == before ? read.orElse(Subject.ALL) : Subject.ALL;
    }

    /**
     * NamespacedPod: namespaceSelector and podSelector, both required in v1alpha1; in v1alpha2 ({@code
     * namespaceSelectorOptional}) a left-out namespaceSelector is the empty one, every namespace.
     */
    static Optional<Peer.Pods> namespacedPod(
            FieldReader r, JsonNode node, String path, boolean namespaceSelectorOptional) {
        if (!r.requireObject(node, path)) {
            return Optional.empty();
        }
        int before = r.problemCount();
        r.rejectUnknown(node, path, List.of("namespaceSelector", "podSelector"));
        Optional<LabelSelector> ns = namespaceSelectorOptional && FieldReader.get(node, "namespaceSelector") == null
                ? Optional.of(LabelSelector.ALL)
                : selector(r, node, path, "namespaceSelector");
        Optional<LabelSelector> pod = selector(r, node, path, "podSelector");
        if (r.problemCount() != before || ns.isEmpty() || pod.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Peer.Pods(ns.get(), pod.get()));
    }

    private static Optional<LabelSelector> selector(FieldReader r, JsonNode parent, String path, String field) {
        JsonNode sel = FieldReader.get(parent, field);
        String p = FieldPath.field(path, field);
        if (sel == null) {
            r.missing(p);
            return Optional.empty();
        }
        return SelectorReader.read(r, sel, p);
    }

    private static Rule rule(FieldReader r, RuleShape shape, Direction d, JsonNode node, int index) {
        String path = FieldPath.index("spec." + d.field(), index);
        if (!r.requireObject(node, path)) {
            return new Rule(index, "", Action.DENY, List.of(), List.of());
        }
        r.rejectUnknown(node, path, shape.ruleFields(d));
        String name = r.string(node, path, "name", false).orElse("");
        Action action = r.string(node, path, "action", true)
                .flatMap(a -> {
                    Optional<Action> parsed =
                            Optional.ofNullable(shape.actions().get(a));
                    if (parsed.isEmpty()) {
                        r.error(
                                FieldPath.field(path, "action"),
                                "unknown action \"" + a + "\" (expected " + shape.actionList() + ")");
                    }
                    return parsed;
                })
                .orElse(Action.DENY);
        List<Peer> peers = new ArrayList<>();
        String peersPath = FieldPath.field(path, d.peersField());
        Optional<List<JsonNode>> peerItems = r.list(node, path, d.peersField(), true);
        if (peerItems.isPresent() && peerItems.get().isEmpty()) {
            r.error(peersPath, "must list at least one peer");
        }
        List<JsonNode> peerList = peerItems.orElse(List.of());
        for (int j = 0; j < peerList.size(); j++) {
            peers.add(AdminPeerReader.peer(r, shape, d, peerList.get(j), FieldPath.index(peersPath, j)));
        }
        List<PortMatch> ports = new ArrayList<>();
        String portsPath = FieldPath.field(path, shape.portsField());
        Optional<List<JsonNode>> portItems = r.list(node, path, shape.portsField(), false);
        if (portItems.isPresent() && portItems.get().isEmpty()) {
            // Absent means every port; present and empty is invalid and must not read as "absent".
            r.error(portsPath, "must list at least one " + shape.portNoun() + " when present");
        }
        List<JsonNode> portList = portItems.orElse(List.of());
        for (int k = 0; k < portList.size(); k++) {
            shape.ports()
                    .read(r, portList.get(k), FieldPath.index(portsPath, k))
                    .ifPresent(ports::add);
        }
        return new Rule(index, name, action, peers, ports);
    }
}
