package io.ovsanp.compiler.ofctl;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code actions=} part of a flow line (ovs-actions(7) spellings, as OVS prints them). */
final class OfctlActions {
    private static final Pattern CONJUNCTION = Pattern.compile("conjunction\\((\\w+),(\\d+)/(\\d+)\\)");
    private static final Pattern CONTROLLER = Pattern.compile("controller\\(max_len=(\\d+),meter_id=(\\d+)\\)");
    private static final Pattern PAUSE = Pattern.compile("controller\\((?:max_len=(\\d+),)?pause\\)");
    private static final Pattern RESUBMIT = Pattern.compile("resubmit\\(,(\\d+)\\)");
    private static final Pattern SET_FIELD = Pattern.compile("set_field:([0-9a-fA-Fx]+)->(\\w+)");
    private static final Pattern LOAD = Pattern.compile("load:([0-9a-fA-Fx]+)->NXM_NX_(REG[0-7]|CT_MARK)\\[\\]");

    private final String line;

    OfctlActions(String line) {
        this.line = line;
    }

    List<FlowAction> parse(String text) {
        List<String> tokens;
        try {
            tokens = splitTopLevel(text);
        } catch (IllegalArgumentException e) {
            throw new OfctlParseException(text, line, e.getMessage(), e);
        }
        if (tokens.size() == 1 && tokens.get(0).equalsIgnoreCase("drop")) {
            return List.of();
        }
        List<FlowAction> actions = new ArrayList<>();
        for (String t : tokens) {
            actions.add(action(t));
        }
        return actions;
    }

    private FlowAction action(String t) {
        try {
            return actionOrNull(t);
        } catch (OfctlParseException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new OfctlParseException(t, line, e.getMessage(), e);
        }
    }

    private FlowAction actionOrNull(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        Matcher m;
        if (lower.startsWith("output:")) {
            return new FlowAction.Output(OfctlPorts.parse(t.substring("output:".length())));
        } else if (OfctlNumbers.isDigits(t) || OfctlPorts.isName(t)) {
            return new FlowAction.Output(OfctlPorts.parse(t));
        } else if (lower.startsWith("goto_table:")) {
            return new FlowAction.GotoTable(table(t.substring("goto_table:".length())));
        } else if ((m = RESUBMIT.matcher(t)).matches()) {
            return new FlowAction.Resubmit(table(m.group(1)));
        } else if ((m = CONJUNCTION.matcher(t)).matches()) {
            return new FlowAction.Conjunction(
                    new ConjId(OfctlNumbers.parseUnsigned(m.group(1), 0xffff_ffffL)),
                    (int) OfctlNumbers.parseUnsigned(m.group(2), 64),
                    (int) OfctlNumbers.parseUnsigned(m.group(3), 64));
        } else if ((m = CONTROLLER.matcher(lower)).matches()) {
            return new FlowAction.Controller(
                    (int) OfctlNumbers.parseUnsigned(m.group(1), 0xffff),
                    OfctlNumbers.parseUnsigned(m.group(2), 0xffff_ffffL));
        } else if ((m = PAUSE.matcher(lower)).matches()) {
            return m.group(1) == null
                    ? FlowAction.Pause.WHOLE
                    : new FlowAction.Pause((int) OfctlNumbers.parseUnsigned(m.group(1), 0xffff));
        } else if (lower.startsWith("ct(") && t.endsWith(")")) {
            return ct(t.substring(3, t.length() - 1));
        } else if ((m = SET_FIELD.matcher(t)).matches()) {
            return setField(m.group(2), m.group(1), t);
        } else if ((m = LOAD.matcher(t)).matches()) {
            return setField(m.group(2).toLowerCase(Locale.ROOT), m.group(1), t);
        }
        throw new OfctlParseException(t, line, "unsupported action");
    }

    private FlowAction setField(String fieldName, String value, String token) {
        Field f = Field.fromOfctl(fieldName)
                .orElseThrow(() -> new OfctlParseException(token, line, "unsupported set_field target"));
        return new FlowAction.SetField(f, OfctlNumbers.parseUnsigned(value, 0xffff_ffffL));
    }

    /** {@code commit}, {@code zone=N}, {@code table=N}, {@code exec(...)} in any order. */
    private FlowAction ct(String args) {
        boolean commit = false;
        int zone = 0;
        Optional<TableId> table = Optional.empty();
        List<FlowAction> nested = List.of();
        for (String a : splitTopLevel(args)) {
            if (a.isEmpty() && args.isBlank()) {
                continue; // ct()
            }
            String lower = a.toLowerCase(Locale.ROOT);
            if (lower.equals("commit")) {
                commit = true;
            } else if (lower.startsWith("zone=")) {
                zone = (int) OfctlNumbers.parseUnsigned(a.substring(5), 0xffff);
            } else if (lower.startsWith("table=")) {
                table = Optional.of(table(a.substring(6)));
            } else if (lower.startsWith("exec(") && a.endsWith(")")) {
                String inner = a.substring(5, a.length() - 1);
                nested = inner.isBlank() ? List.of() : parse(inner);
            } else {
                throw new OfctlParseException(a, line, "unsupported ct argument");
            }
        }
        return new FlowAction.Ct(commit, zone, table, nested);
    }

    private static TableId table(String text) {
        if (!OfctlNumbers.isDigits(text)) {
            throw new IllegalArgumentException("table must be a decimal number: " + text);
        }
        return TableId.of((int) OfctlNumbers.parseUnsigned(text, 253));
    }

    /** Splits on commas outside parentheses; empty text gives one empty token. */
    static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                throw new IllegalArgumentException("unbalanced parentheses");
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced parentheses");
        }
        out.add(text.substring(start).trim());
        return out;
    }
}
