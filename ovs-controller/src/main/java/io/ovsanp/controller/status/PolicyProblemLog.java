package io.ovsanp.controller.status;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.run.RealisationListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what a policy does not do as written, once per problem, in every mode of {@code run} (an agent
 * writes no status, so its log is where an operator sees it): a valid part that is not enforced (e.g.
 * ANP/BANP ingress rules) and an invalid rule (realised fail-closed) of an ANP, BANP or NetworkPolicy,
 * each one WARN line. A problem that goes away is logged once at INFO; one that comes back is logged
 * again. The same problem in later snapshots (every pod event revalidates) logs nothing.
 *
 * <p>Called on the loop's thread only (a {@link RealisationListener}); not thread-safe.
 */
public final class PolicyProblemLog implements RealisationListener {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyProblemLog.class);
    private static final Set<String> POLICY_KINDS = Set.of(
            Tier.ADMIN.kind(), Tier.BASELINE.kind(), AdminPolicy.CLUSTER_NETWORK_POLICY, Tier.NETWORK_POLICY.kind());

    private final Consumer<String> warn;
    private final Consumer<String> info;
    /** The problems logged and still present: key to the line that reported it. */
    private Map<String, String> open = new LinkedHashMap<>();

    public PolicyProblemLog() {
        this(LOG::warn, LOG::info);
    }

    /** For tests: where the lines go. */
    PolicyProblemLog(Consumer<String> warn, Consumer<String> info) {
        this.warn = warn;
        this.info = info;
    }

    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
        Map<String, String> now = new LinkedHashMap<>();
        for (Diagnostic d : policies.diagnostics()) {
            String line = line(d);
            if (line != null) {
                now.putIfAbsent(key(d), line);
            }
        }
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, String> e : open.entrySet()) {
            if (!now.containsKey(e.getKey())) gone.add(e.getValue());
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!open.containsKey(e.getKey())) warn.accept(e.getValue());
        }
        for (String line : gone) {
            info.accept("no longer: " + line);
        }
        open = now;
    }

    /** The WARN line for {@code d}, or null when it is not a policy problem worth a line. */
    private static String line(Diagnostic d) {
        if (!POLICY_KINDS.contains(d.object().kind())) return null;
        String where = d.object().display() + (d.path().isEmpty() ? "" : " " + d.path());
        if (d.unenforced()) {
            return where + " is NOT ENFORCED: " + d.message();
        }
        if (d.severity() == Severity.ERROR) {
            return where + " is invalid and realised fail-closed: " + d.message();
        }
        return null;
    }

    private static String key(Diagnostic d) {
        return d.object().kind() + "|" + d.object().namespace() + "|"
                + d.object().name() + "|" + d.object().uid() + "|" + d.path() + "|" + d.message() + "|"
                + d.unenforced();
    }
}
