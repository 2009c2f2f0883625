package io.ovsanp.controller.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One core/v1 Warning Event per invalid rule (an ERROR diagnostic of an ANP or BANP, reason {@code
 * InvalidRule} or {@code InvalidPolicy}) and per unenforced part (reason {@code NotEnforced}), with the
 * policy as {@code involvedObject}. The event's name is derived from (policy uid, field path, message), so
 * the same problem gives one event however often it is recompiled, across restarts and replicas: a
 * second create of the same name is refused by the API ({@code 409}) and counts as done. Events of
 * cluster-scoped objects live in {@code default}, as client-go's recorder puts them. Not thread-safe:
 * the status writer calls it from its one thread.
 */
final class InvalidRuleEvents {
    static final String REASON_RULE = "InvalidRule";
    static final String REASON_POLICY = "InvalidPolicy";
    static final String REASON_NOT_ENFORCED = "NotEnforced";
    static final String COMPONENT = "ovs-anp";
    private static final Logger LOG = LoggerFactory.getLogger(InvalidRuleEvents.class);
    /** Event messages beyond this are cut; the status condition carries the full list. */
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final Set<String> emitted = new HashSet<>();
    private Set<String> seen = new HashSet<>();

    InvalidRuleEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** Starts a round: problems not reported again before {@link #endRound()} are forgotten. */
    void startRound() {
        seen = new HashSet<>();
    }

    /** Forgets problems that went away, so a later return of one is reported again. */
    void endRound() {
        emitted.retainAll(seen);
    }

    /**
     * Creates the event for {@code d} (an error about {@code policy}) unless it was created before.
     * Returns false when the API refused it for another reason than "already exists" (retry later).
     */
    boolean emit(ObjectRef policy, Diagnostic d) {
        String key = policy.kind() + "|" + policy.name() + "|" + policy.uid() + "|" + d.path() + "|" + d.message();
        seen.add(key);
        if (emitted.contains(key)) {
            return true;
        }
        String when = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String text = (d.path().isEmpty() ? "" : d.path() + ": ") + d.message();
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE - 1) + "…";
        }
        Event e = new EventBuilder()
                .withNewMetadata()
                .withName(eventName(policy.name(), key))
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(ClusterWatcher.policyResource(policy.kind())
                        .map(c -> c.getGroup() + "/" + c.getVersion())
                        .orElse("policy.networking.k8s.io/v1alpha1"))
                .withKind(policy.kind())
                .withName(policy.name())
                .withUid(policy.uid().isEmpty() ? null : policy.uid())
                .withFieldPath(d.path().isEmpty() ? null : d.path())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(reason(d))
                .withMessage(text)
                .withCount(1)
                .withFirstTimestamp(when)
                .withLastTimestamp(when)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(e).create();
            LOG.info("event {}/{}: {} {}", namespace, e.getMetadata().getName(), policy.display(), text);
        } catch (KubernetesClientException ex) {
            if (ex.getCode() != 409) {
                LOG.warn("event for {} {} not created (will retry): {}", policy.display(), d.path(), ex.getMessage());
                return false;
            }
        }
        emitted.add(key);
        return true;
    }

    private static String reason(Diagnostic d) {
        if (d.unenforced()) return REASON_NOT_ENFORCED;
        return d.path().startsWith("spec.egress[") || d.path().startsWith("spec.ingress[")
                ? REASON_RULE
                : REASON_POLICY;
    }

    /** {@code <policy>.<16 hex of sha-256(key)>}: a valid, stable object name. */
    static String eventName(String policyName, String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String prefix = policyName.length() > 200 ? policyName.substring(0, 200) : policyName;
            return prefix.toLowerCase(Locale.ROOT) + "." + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
