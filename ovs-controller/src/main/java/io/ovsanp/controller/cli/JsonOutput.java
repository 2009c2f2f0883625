package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.RuleStats;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.RuleRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON documents of the commands: {@code compile --format json} (one object per node with its flows,
 * diagnostics and stats) and the parts {@code -o json} of {@code explain}, {@code validate} and {@code
 * diff} are made of. Field names are camelCase; absent optional values are {@code null}, never missing,
 * so a script can rely on every key.
 */
final class JsonOutput {
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonOutput() {}

    static String render(List<CompileResult> results, PipelineSpec pipeline, boolean stats) {
        List<Object> nodes = new ArrayList<>();
        for (CompileResult r : results) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", r.node());
            List<Object> flows = new ArrayList<>();
            for (Flow f : r.flows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("table", f.table().value());
                m.put("tableName", pipeline.byId(f.table()).map(t -> t.name()).orElse(""));
                m.put("priority", f.priority().value());
                m.put("cookie", f.cookie().hex());
                m.put("ofctl", OfctlRenderer.render(f));
                flows.add(m);
            }
            n.put("flows", flows);
            n.put(
                    "diagnostics",
                    r.diagnostics().stream().map(Diagnostic::render).toList());
            if (stats) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("flowsPerTable", r.stats().flowsPerTable());
                List<Object> rules = new ArrayList<>();
                for (RuleStats rs : r.stats().rules()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("rule", rs.rule().display());
                    m.put("table", rs.table());
                    m.put("priority", rs.priority());
                    m.put("flows", rs.flows());
                    m.put("sources", rs.sources());
                    m.put("destinations", rs.destinations());
                    m.put("ports", rs.ports());
                    m.put("crossProduct", rs.crossProduct());
                    rules.add(m);
                }
                s.put("rules", rules);
                s.put("flowsAvoided", r.stats().flowsAvoided());
                n.put("stats", s);
            }
            nodes.add(n);
        }
        return MAPPER.writeValueAsString(Map.of("nodes", nodes)) + "\n";
    }

    /** A document as indented JSON with a final newline. */
    static String write(Object document) {
        return MAPPER.writeValueAsString(document) + "\n";
    }

    /** A diagnostic's parts, and its one-line text. */
    static Map<String, Object> diagnostic(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", d.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("object", object(d.object()));
        m.put("path", d.path());
        m.put("message", d.message());
        m.put("unenforced", d.unenforced());
        m.put("file", d.object().source().file());
        m.put("document", d.object().source().document());
        m.put("text", d.render());
        return m;
    }

    static List<Object> diagnostics(List<Diagnostic> ds) {
        return ds.stream().map(d -> (Object) diagnostic(d)).toList();
    }

    static Map<String, Object> object(ObjectRef o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", o.kind());
        m.put("namespace", o.namespace().isEmpty() ? null : o.namespace());
        m.put("name", o.name());
        return m;
    }

    static Map<String, Object> rule(RuleRef r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tier", r.tier().kind());
        m.put("policy", object(r.policy()));
        m.put("direction", r.direction().field());
        m.put("index", r.index());
        m.put("name", r.name());
        m.put("path", r.path());
        m.put("text", r.display());
        return m;
    }

    /** One side's decision: allowed, who decided (tier, rule, action) and the steps taken. */
    static Map<String, Object> verdict(Verdict v, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowed", v.allowed());
        m.put("node", node.isEmpty() ? null : node);
        m.put("tier", v.tier().map(t -> t.kind()).orElse(null));
        m.put("rule", v.rule().map(JsonOutput::rule).orElse(null));
        m.put("action", v.action().map(a -> a.apiName()).orElse(null));
        m.put("failClosed", v.failClosed());
        m.put("reason", v.reason());
        m.put(
                "isolatingPolicies",
                v.isolatingPolicies().stream().map(JsonOutput::object).toList());
        m.put("passedBy", v.passedBy().map(JsonOutput::rule).orElse(null));
        m.put("serviceVip", v.serviceVip().orElse(null));
        m.put("summary", v.describe());
        m.put("trace", v.trace());
        return m;
    }
}
