package io.ovsanp.controller.snapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The load errors of one read of the inputs, capped per file: the first {@link #PER_FILE} errors
 * of a file and the first error of each kind after them are kept, the rest only counted and summed
 * up in one line. So a file of 100,000 duplicates costs 20 lines and a counter, not 100,000 strings
 * (memory stays proportional to distinct objects), and every kind of problem is still shown once.
 */
final class InputErrors {
    static final int PER_FILE = 20;

    /** Kinds of problems; the cap shows the first of each kind in a file whatever came before. */
    static final String UNREADABLE = "unreadable";

    static final String SHAPE = "shape";
    static final String HEADER = "header";
    static final String OBJECT = "object";
    static final String DUPLICATE = "duplicate";
    static final String EMPTY = "empty";

    private final List<String> lines = new ArrayList<>();
    private final Set<String> kindsShown = new HashSet<>();
    private String input = "";
    private int inInput;
    private int hidden;

    /** Errors from now on are {@code input}'s (a file or a --cluster path) and capped as such. */
    void startInput(String name) {
        finishInput();
        input = name;
    }

    void add(String kind, String line) {
        inInput++;
        boolean newKind = kindsShown.add(kind);
        if (inInput <= PER_FILE || newKind) {
            lines.add(line);
        } else {
            hidden++;
        }
    }

    /** Errors of the current input so far, shown or not. */
    int inCurrentInput() {
        return inInput;
    }

    /** Adds the summary of the current input's hidden errors, if any. */
    void finishInput() {
        if (hidden > 0) {
            lines.add(input + ": " + hidden + " more error" + (hidden == 1 ? "" : "s")
                    + " not shown (first of each kind above)");
        }
        kindsShown.clear();
        inInput = 0;
        hidden = 0;
    }

    /** Throws every kept line as one exception, if there was any error. */
    void throwIfAny() throws SnapshotLoadException {
        finishInput();
        if (!lines.isEmpty()) {
            throw new SnapshotLoadException(lines);
        }
    }
}
