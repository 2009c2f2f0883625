package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.PodInfo;
import java.util.List;

/**
 * The HTML form of a {@link ConnectivityMatrix}: one self-contained page (inline CSS, no script, no
 * fetch of any kind), a table per port class, rows grouped by namespace, cells coloured allowed /
 * denied / not applicable with a {@code title} (shown on hover) naming the deciding tier, policy and
 * rule of each side. Every cell carries {@code data-from}, {@code data-to} and {@code data-port} so
 * tools (and the browser test) can find it.
 */
final class MatrixHtml {
    /** Cell backgrounds; the browser test asserts the rendered colours against these. */
    static final String ALLOW_COLOUR = "#a8e6a1";

    static final String DENY_COLOUR = "#f4a3a3";
    static final String NOT_APPLICABLE_COLOUR = "#e0e0e0";

    private MatrixHtml() {}

    static String render(ConnectivityMatrix m, String source) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>ovs-anp connectivity matrix</title>\n<style>\n")
                .append("body{font-family:sans-serif;font-size:13px;margin:16px;color:#222}\n")
                .append("h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 4px}\n")
                .append("h2 small{font-weight:normal;color:#555}\n")
                .append("table{border-collapse:collapse}\n")
                .append("th,td{border:1px solid #fff;padding:2px 5px;text-align:center}\n")
                .append("th.row{text-align:left;font-weight:normal;white-space:nowrap}\n")
                .append("th.col{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;")
                .append("white-space:nowrap;vertical-align:bottom}\n")
                .append("th.group{background:#f2f2f2;font-weight:bold}\n")
                .append("tr.ns th{text-align:left;background:#f2f2f2}\n")
                .append("td{min-width:18px;cursor:default}\n")
                .append("td.allow{background:")
                .append(ALLOW_COLOUR)
                .append("}\ntd.deny{background:")
                .append(DENY_COLOUR)
                .append("}\ntd.na{background:")
                .append(NOT_APPLICABLE_COLOUR)
                .append(";color:#777}\n")
                .append(".legend span{display:inline-block;padding:1px 6px;margin-right:6px}\n")
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Connectivity matrix</h1>\n<p>")
                .append(escape(source))
                .append(": ")
                .append(m.rows().size())
                .append(" pods (rows) to ")
                .append(m.columns().size())
                .append(" destinations (columns), one table per port. Hover a cell for the deciding tier,")
                .append(" policy and rule of each side; <code>ovs-anp explain</code> gives the same verdict.</p>\n");
        b.append("<p class=\"legend\"><span class=\"allow\" style=\"background:")
                .append(ALLOW_COLOUR)
                .append("\">&#x2713; allowed</span><span class=\"deny\" style=\"background:")
                .append(DENY_COLOUR)
                .append("\">&#x2717; denied (egress or ingress)</span><span class=\"na\" style=\"background:")
                .append(NOT_APPLICABLE_COLOUR)
                .append("\">&ndash; no address of that family</span></p>\n");
        for (int p = 0; p < m.ports().size(); p++) {
            table(b, m, p);
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static void table(StringBuilder b, ConnectivityMatrix m, int p) {
        MatrixPorts.PortClass port = m.ports().get(p);
        b.append("<section data-port=\"")
                .append(escape(port.label()))
                .append("\">\n<h2>")
                .append(escape(port.label()))
                .append(" <small>")
                .append(escape(port.covers()))
                .append("</small></h2>\n<table>\n<thead>\n<tr><th></th>");
        // one header cell per run of columns of one kind
        List<ConnectivityMatrix.Column> cols = m.columns();
        for (int c = 0; c < cols.size(); ) {
            int end = c;
            while (end < cols.size() && cols.get(end).kind() == cols.get(c).kind()) end++;
            b.append("<th class=\"group\" colspan=\"")
                    .append(end - c)
                    .append("\">")
                    .append(groupName(cols.get(c).kind()))
                    .append("</th>");
            c = end;
        }
        b.append("</tr>\n<tr><th></th>");
        for (ConnectivityMatrix.Column col : cols) {
            b.append("<th class=\"col\" title=\"")
                    .append(escape(col.note() + ": "
                            + String.join(
                                    " ",
                                    col.addresses().stream()
                                            .map(Object::toString)
                                            .toList())))
                    .append("\">")
                    .append(escape(col.name()))
                    .append("</th>");
        }
        b.append("</tr>\n</thead>\n<tbody>\n");
        String namespace = null;
        for (int r = 0; r < m.rows().size(); r++) {
            PodInfo from = m.rows().get(r);
            if (!from.namespace().equals(namespace)) {
                namespace = from.namespace();
                b.append("<tr class=\"ns\"><th colspan=\"")
                        .append(cols.size() + 1)
                        .append("\">namespace ")
                        .append(escape(namespace))
                        .append("</th></tr>\n");
            }
            b.append("<tr><th class=\"row\">").append(escape(from.key())).append("</th>");
            for (ConnectivityMatrix.Cell cell : m.cells().get(p).get(r)) {
                String cls = !cell.applicable() ? "na" : cell.allowed() ? "allow" : "deny";
                String mark = !cell.applicable() ? "&ndash;" : cell.allowed() ? "&#x2713;" : "&#x2717;";
                b.append("<td class=\"")
                        .append(cls)
                        .append("\" data-from=\"")
                        .append(escape(from.key()))
                        .append("\" data-to=\"")
                        .append(escape(cell.to().name()))
                        .append("\" data-port=\"")
                        .append(escape(port.label()))
                        .append("\" title=\"")
                        .append(escape(cell.title()))
                        .append("\">")
                        .append(mark)
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }

    private static String groupName(ConnectivityMatrix.Kind kind) {
        return switch (kind) {
            case POD -> "pods";
            case NODE -> "nodes";
            case APISERVER -> "apiserver";
            case CIDR -> "networks named in policies";
        };
    }

    /** Text for an HTML text node or a double-quoted attribute; a newline stays a newline (a title's line break). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
