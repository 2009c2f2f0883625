package io.ovsanp.controller.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code ofproto/trace} (OVS 3.x) read as steps: each flow the packet matched, in order
 * across every conntrack recirculation ({@code ct(table=…)} resumes the trace in a new section), and
 * the datapath actions of the last pass, which are the packet's fate ({@code drop} or where it goes).
 *
 * <p>A step line is {@code " 3. MATCH, priority P, cookie 0xC"} (the match is empty for a catch-all,
 * the cookie absent when 0), followed by its actions indented below it; {@code " 3. No match."} is a
 * table miss. OVS's notes under an action ({@code -> ...}) are left out.
 */
record OfprotoTrace(List<Step> steps, String datapathActions, String text) {
    private static final Pattern STEP = Pattern.compile("^\\s*(\\d+)\\. (.*)$");
    private static final Pattern PRIORITY = Pattern.compile("^(.*?),? ?priority (\\d+)(?:, cookie (0x[0-9a-f]+))?$");
    private static final String ACTIONS = "Datapath actions:";

    OfprotoTrace {
        steps = List.copyOf(steps);
    }

    /** One flow matched (or a table missed: {@code priority} empty). */
    record Step(int table, String match, OptionalLong priority, long cookie, List<String> actions) {
        Step {
            actions = List.copyOf(actions);
        }

        boolean miss() {
            return priority.isEmpty();
        }
    }

    /** Whether the packet left the switch: the last pass's datapath actions are not {@code drop}. */
    boolean leaves() {
        return !datapathActions.equals("drop");
    }

    static OfprotoTrace parse(String text) throws BadInput {
        List<Step> steps = new ArrayList<>();
        String datapath = null;
        int table = -1;
        String match = null;
        OptionalLong priority = OptionalLong.empty();
        long cookie = 0;
        List<String> actions = new ArrayList<>();
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            Matcher step = STEP.matcher(raw);
            boolean ends = step.matches()
                    || line.isEmpty()
                    || line.startsWith("Final flow:")
                    || line.startsWith(ACTIONS)
                    || line.startsWith("bridge(\"");
            if (ends && match != null) {
                steps.add(new Step(table, match, priority, cookie, actions));
                match = null;
                actions = new ArrayList<>();
            }
            if (line.startsWith(ACTIONS)) {
                datapath = line.substring(ACTIONS.length()).strip();
            } else if (step.matches()) {
                table = Integer.parseInt(step.group(1));
                String rest = step.group(2).strip();
                Matcher p = PRIORITY.matcher(rest);
                if (p.matches()) {
                    match = p.group(1).strip();
                    priority = OptionalLong.of(Long.parseLong(p.group(2)));
                    cookie = p.group(3) == null
                            ? 0
                            : Long.parseUnsignedLong(p.group(3).substring(2), 16);
                } else {
                    match = rest; // "No match." and the like
                    priority = OptionalLong.empty();
                    cookie = 0;
                }
            } else if (match != null && !line.isEmpty()) {
                if (!line.startsWith("->")) {
                    actions.add(line);
                }
            }
        }
        if (datapath == null) {
            throw new BadInput("ofproto/trace printed no \"" + ACTIONS + "\" line:\n" + text);
        }
        return new OfprotoTrace(steps, datapath, text);
    }
}
