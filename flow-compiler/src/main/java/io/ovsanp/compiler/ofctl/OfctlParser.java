package io.ovsanp.compiler.ofctl;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads flows written by {@link OfctlRenderer} and lines printed by {@code ovs-ofctl dump-flows}
 * (with or without {@code --no-stats}). Absent {@code cookie} means 0, absent {@code table} 0,
 * absent {@code priority} 32768 (OFP_DEFAULT_PRIORITY, as OVS assumes). Statistics are ignored;
 * anything the flow model cannot hold is an {@link OfctlParseException}.
 */
public final class OfctlParser {
    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern LINES = Pattern.compile("\\R");

    /** OpenFlow's default priority (OpenFlow 1.3 §7.3.4.2: 0x8000). */
    public static final int DEFAULT_PRIORITY = 0x8000;

    /** Read-only statistics dump-flows prints; they say nothing about what the flow does. */
    private static final Set<String> STATS = Set.of("duration", "n_packets", "n_bytes", "idle_age", "hard_age");

    /** Flow-mod flags dump-flows may print; they do not change what the flow matches or does. */
    private static final Set<String> FLAGS =
            Set.of("reset_counts", "send_flow_rem", "check_overlap", "no_packet_counts", "no_byte_counts");

    /** Flow properties that change behaviour but that {@link Flow} does not hold. */
    private static final Set<String> NOT_REPRESENTABLE = Set.of("idle_timeout", "hard_timeout", "importance");

    private OfctlParser() {}

    /**
     * Parses one flow line.
     *
     * @throws OfctlParseException naming the token that is not understood and the line
     */
    public static Flow parseFlow(String line) {
        String text = line.strip();
        int at = actionsStart(text);
        if (at < 0) {
            throw new OfctlParseException(text, line, "no actions=");
        }
        String head = text.substring(0, at);
        List<FlowAction> actions = new OfctlActions(line)
                .parse(text.substring(at + "actions=".length()).strip());
        long cookie = 0;
        int table = 0;
        int priority = DEFAULT_PRIORITY;
        OfctlMatches matches = new OfctlMatches(line);
        // dump-flows separates statistics with ", " and flags with blanks ("send_flow_rem reset_counts").
        for (String token : TOKEN_SEPARATORS.split(head)) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : token.substring(eq + 1).strip();
            try {
                if (eq < 0 && FLAGS.contains(key)) {
                    continue;
                } else if (eq < 0 && OfctlMatches.isKeyword(key)) {
                    matches.keyword(key);
                } else if (eq < 0) {
                    throw new OfctlParseException(token, line, "unknown keyword");
                } else if (STATS.contains(key)) {
                    continue;
                } else if (NOT_REPRESENTABLE.contains(key)) {
                    throw new OfctlParseException(token, line, "the flow model has no " + key);
                } else if (key.equals("cookie")) {
                    cookie = OfctlNumbers.parseUnsigned64(value);
                } else if (key.equals("table")) {
                    table = (int) OfctlNumbers.parseUnsigned(decimal(value), 253);
                } else if (key.equals("priority")) {
                    priority = (int) OfctlNumbers.parseUnsigned(value, Priority.MAX);
                } else {
                    Optional<Field> f = OfctlMatches.field(key);
                    if (f.isEmpty()) {
                        throw new OfctlParseException(token, line, "unsupported field");
                    }
                    matches.field(f.get(), value, token);
                }
            } catch (OfctlParseException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new OfctlParseException(token, line, e.getMessage(), e);
            }
        }
        try {
            return new Flow(TableId.of(table), Priority.of(priority), new Cookie(cookie), matches.match(), actions);
        } catch (IllegalArgumentException e) {
            throw new OfctlParseException(text, line, e.getMessage(), e);
        }
    }

    /**
     * Parses a whole file or dump: skips blank lines, {@code #} comments and the {@code OFPST_FLOW
     * reply} / {@code NXST_FLOW reply} headers dump-flows prints.
     */
    public static List<Flow> parseAll(String text) {
        List<Flow> flows = new ArrayList<>();
        for (String line : LINES.split(text)) {
            String t = line.strip();
            if (t.isEmpty()
                    || t.startsWith("#")
                    || t.startsWith("OFPST_FLOW reply")
                    || t.startsWith("NXST_FLOW reply")) {
                continue;
            }
            flows.add(parseFlow(line));
        }
        return flows;
    }

    /** Index of {@code actions=} at a token start (after start, comma or blank), or -1. */
    private static int actionsStart(String text) {
        int from = 0;
        while (true) {
            int i = text.indexOf("actions=", from);
            if (i < 0) {
                return -1;
            }
            if (i == 0 || text.charAt(i - 1) == ',' || Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
            from = i + 1;
        }
    }

    private static String decimal(String value) {
        if (!OfctlNumbers.isDigits(value)) {
            throw new IllegalArgumentException("table must be a decimal number");
        }
        return value;
    }
}
