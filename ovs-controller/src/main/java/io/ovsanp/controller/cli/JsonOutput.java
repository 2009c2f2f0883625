package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.RuleStats;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code compile --format json}: one object per node with its flows, diagnostics and stats. */
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
}
