package io.ovsanp.compiler.dns;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a {@code domainNames} peer, as the API defines it (docs/semantics.md, "Subjects and peers"): a
 * fully qualified name ({@code api.example.com}) that matches exactly that name, or a wildcard {@code
 * *.example.com} that matches every name below it, one or more labels deep ({@code a.example.com},
 * {@code b.a.example.com}) but not {@code example.com} itself. The {@code *} is only a whole leading
 * label. Names compare without case and without a trailing dot, as DNS does.
 */
public record DomainPattern(boolean wildcard, String suffix) {
    /** The CRD's pattern for one entry (both API versions), with the upper-case range it means. */
    private static final Pattern SYNTAX = Pattern.compile(
            "^(\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$");

    /** The longest name DNS carries (RFC 1035: 255 octets on the wire, 253 characters written). */
    public static final int MAX_LENGTH = 253;

    /**
     * The pattern {@code text} writes, or why it is not one. A name needs at least two labels, as the
     * API's pattern requires.
     */
    public static Parsed parse(String text) {
        if (text == null || text.isEmpty()) {
            return new Parsed(Optional.empty(), "must not be empty");
        }
        if (!SYNTAX.matcher(text).matches()) {
            return new Parsed(
                    Optional.empty(),
                    "\"" + text + "\" is not a domain name (letters, digits, '-' and '_' in dot-separated labels,"
                            + " at least two labels, optionally '*.' in front)");
        }
        String name = normalise(text.startsWith("*.") ? text.substring(2) : text);
        if (name.length() > MAX_LENGTH) {
            return new Parsed(Optional.empty(), "\"" + text + "\" is longer than " + MAX_LENGTH + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.length() > 63) {
                return new Parsed(Optional.empty(), "\"" + text + "\" has a label longer than 63 characters");
            }
        }
        return new Parsed(Optional.of(new DomainPattern(text.startsWith("*."), name)), "");
    }

    /** {@link #parse}'s answer: the pattern, or the reason it is none. */
    public record Parsed(Optional<DomainPattern> pattern, String problem) {}

    /** {@code name} as names are compared: lower case, without a trailing dot. */
    public static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Whether {@code name} (as an answer or a query names it) is one this pattern covers. */
    public boolean matches(String name) {
        String n = normalise(name);
        return wildcard ? n.endsWith("." + suffix) && n.length() > suffix.length() + 1 : n.equals(suffix);
    }

    /** As the API writes it: {@code *.example.com} or {@code api.example.com}. */
    @Override
    public String toString() {
        return wildcard ? "*." + suffix : suffix;
    }
}
