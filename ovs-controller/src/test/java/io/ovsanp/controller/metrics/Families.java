package io.ovsanp.controller.metrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric families of a scrape in the text format 0.0.4, as a dashboard or an alert depends on
 * them: by name, the type, the label names of its samples ({@code le} of histogram buckets left out)
 * and the help.
 */
public record Families(Map<String, Family> families) {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ");
    private static final Pattern LABEL = Pattern.compile("(?:^|,)([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /** One family. */
    public record Family(String type, Set<String> labels, String help) {}

    public static Families of(String scrape) {
        Map<String, String> types = new TreeMap<>();
        Map<String, String> help = new TreeMap<>();
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ", 4);
                types.put(p[2], p[3]);
                labels.putIfAbsent(p[2], new TreeSet<>());
            } else if (line.startsWith("# HELP ")) {
                String[] p = line.split(" ", 4);
                help.put(p[2], p.length > 3 ? p[3] : "");
            }
        }
        Matcher s = SAMPLE.matcher(scrape);
        while (s.find()) {
            String family = types.containsKey(s.group(1))
                    ? s.group(1)
                    : s.group(1).replaceAll("_(bucket|sum|count|created)$", "");
            // label values here never contain `,name="`: node and table names of the fixtures
            Matcher l = LABEL.matcher(s.group(2) == null ? "" : s.group(2));
            while (l.find()) {
                if (!(l.group(1).equals("le") && "histogram".equals(types.get(family)))) {
                    labels.computeIfAbsent(family, f -> new TreeSet<>()).add(l.group(1));
                }
            }
        }
        Map<String, Family> out = new TreeMap<>();
        types.forEach((name, type) -> out.put(name, new Family(type, Set.copyOf(labels.get(name)), help.get(name))));
        return new Families(out);
    }

    /** Only the families whose name starts with {@code prefix}. */
    public Families startingWith(String prefix) {
        Map<String, Family> out = new TreeMap<>();
        families.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k, v);
        });
        return new Families(out);
    }

    /** The periodic verification's families (issue 18). */
    static final java.util.Set<String> VERIFY = java.util.Set.of(
            "ovsanp_switch_verified",
            "ovsanp_switch_verify_cells_differing",
            "ovsanp_verifications_total",
            "ovsanp_verify_seconds");

    /**
     * Without the families added since 0.1.0 that every run serves (the DNS learning's, issue 17; the
     * periodic verification's, issue 18):
     * what a comparison with 0.1.0's families looks at. The README's metric table covers them.
     */
    public Families of010() {
        Map<String, Family> out = new TreeMap<>();
        families.forEach((k, v) -> {
            if (!k.startsWith("ovsanp_dns_") && !VERIFY.contains(k)) out.put(k, v);
        });
        return new Families(out);
    }

    /** One line a family, by name: {@code name|type|label,label|help}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        families.forEach((name, f) -> b.append(name)
                .append('|')
                .append(f.type())
                .append('|')
                .append(String.join(",", new TreeSet<>(f.labels())))
                .append('|')
                .append(f.help())
                .append('\n'));
        return b.toString();
    }
}
