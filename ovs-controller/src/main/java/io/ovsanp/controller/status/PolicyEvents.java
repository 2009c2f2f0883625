package io.ovsanp.controller.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates core/v1 Events whose {@code involvedObject} is a policy, each once. The event's name is
 * derived from a caller's key (the problem, not the time), so however often a problem is seen, by
 * however many processes, it gives one event: a second create of the same name is refused by the API
 * ({@code 409}) and counts as done. Events of cluster-scoped objects live in {@code default}, as
 * client-go's recorder puts them.
 */
final class PolicyEvents {
    static final String COMPONENT = "ovs-anp";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvents.class);
    /** Event messages beyond this are cut; the status condition or the log carries the whole text. */
    private static final int MAX_MESSAGE = 1024;

    /** One event: about {@code policy} (and {@code fieldPath} of it, or empty), from {@code host} (or empty). */
    record Spec(ObjectRef policy, String fieldPath, String type, String reason, String message, String host) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    PolicyEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * Creates the event named after {@code key} unless it exists. Returns false when the API refused
     * it for another reason than "already exists" (the caller retries later).
     */
    boolean create(Spec spec, String key) {
        String when = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String text = spec.message();
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE - 1) + "…";
        }
        ObjectRef policy = spec.policy();
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
                .withFieldPath(spec.fieldPath().isEmpty() ? null : spec.fieldPath())
                .endInvolvedObject()
                .withType(spec.type())
                .withReason(spec.reason())
                .withMessage(text)
                .withCount(1)
                .withFirstTimestamp(when)
                .withLastTimestamp(when)
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(spec.host().isEmpty() ? null : spec.host())
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(spec.host().isEmpty() ? null : spec.host())
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(e).create();
            LOG.info(
                    "event {}/{}: {} {} {}",
                    namespace,
                    e.getMetadata().getName(),
                    spec.reason(),
                    policy.display(),
                    text);
        } catch (KubernetesClientException ex) {
            if (ex.getCode() != 409) {
                LOG.warn(
                        "{} event for {} not created (will retry): {}",
                        spec.reason(),
                        policy.display(),
                        ex.getMessage());
                return false;
            }
        }
        return true;
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
