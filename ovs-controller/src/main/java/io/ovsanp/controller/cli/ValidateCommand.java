package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ovs-anp validate}: every diagnostic with file and field; exit 1 if any error or warning. With
 * {@code -o json} one document: counts and the diagnostics with their parts.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check policies against the API's rules; print diagnostics with file and field.")
final class ValidateCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    OutputOptions output;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        ClusterSnapshot snapshot = cluster.load();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        int errors = 0;
        int warnings = 0;
        int notes = 0;
        for (Diagnostic d : policies.diagnostics()) {
            if (!json) out().println(d.render());
            if (d.severity() == Severity.ERROR) errors++;
            else if (d.severity() == Severity.WARNING) warnings++;
            else notes++;
        }
        int policyCount =
                snapshot.adminPolicies().size() + snapshot.networkPolicies().size();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("policies", policyCount);
            doc.put("errors", errors);
            doc.put("warnings", warnings);
            doc.put("notes", notes);
            doc.put("diagnostics", JsonOutput.diagnostics(policies.diagnostics()));
            out().print(JsonOutput.write(doc));
        } else {
            out().println(policyCount + " policies checked: " + errors + " errors, " + warnings + " warnings, " + notes
                    + " notes");
        }
        return errors + warnings > 0 ? Main.EXIT_FOUND : Main.EXIT_OK;
    }
}
