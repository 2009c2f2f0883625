package io.ovsanp.compiler.policy;

import java.util.Locale;
import java.util.Optional;

/** Transport protocols a port match can name (API: TCP, UDP, SCTP; default TCP). */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** IP protocol number. */
    public int number() {
        return number;
    }

    public String ofctlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> fromApi(String s) {
        for (Protocol p : values()) {
            if (p.name().equals(s)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static Optional<Protocol> fromNumber(int n) {
        for (Protocol p : values()) {
            if (p.number == n) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
