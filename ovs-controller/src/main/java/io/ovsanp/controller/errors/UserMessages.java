package io.ovsanp.controller.errors;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Text for users from exceptions. A user sees what went wrong and where ("permission denied"),
 * never a Java class name or stack trace: those say nothing to someone running a command, and the
 * messages of the JDK and of libraries often consist of little else.
 */
public final class UserMessages {
    /**
     * A qualified name in one of the packages whose names reach messages (the JDK's, the libraries'
     * and ours), or a JDK exception's simple name.
     */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|sun|jdk|io\\.netty|io\\.fabric8|io\\.vertx|tools\\.jackson|com\\.fasterxml|org\\.snakeyaml"
                    + "|io\\.ovsanp|picocli)\\.[A-Za-z]|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");

    /**
     * An exception's class name where a library embedded it in its own message
     * ({@code "... failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to ..."}).
     */
    private static final Pattern EMBEDDED_NAME =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ");
    /** Jackson's pointer to the setting behind a limit: {@code , from `StreamReadConstraints.getMax...()`}. */
    private static final Pattern CODE_REFERENCE = Pattern.compile(",? from `[^`]*`");
    /** A long run of hex digits: a dump of the bytes a peer sent (Netty's "not an SSL/TLS record: 6761..."). */
    private static final Pattern DUMP = Pattern.compile("\\b([0-9a-fA-F]{32})[0-9a-fA-F]{32,}\\b");

    private UserMessages() {}

    /** {@code text} without the exception class names and code references libraries put in messages. */
    public static String withoutJavaNames(String text) {
        return CODE_REFERENCE
                .matcher(EMBEDDED_NAME.matcher(text).replaceAll(""))
                .replaceAll("");
    }

    /** {@code text} with byte dumps cut to their first 16 bytes. */
    public static String withoutDumps(String text) {
        return DUMP.matcher(text).replaceAll("$1…");
    }

    /** True when {@code text} names a Java class or package. */
    public static boolean namesJava(String text) {
        return text != null && JAVA_NAME.matcher(text).find();
    }

    /**
     * Why a file operation failed, in the words of {@code ls} and {@code cat}: "no such file or
     * directory", "permission denied", "not a UTF-8 text file", else the operating system's reason.
     */
    public static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof CharacterCodingException) {
            return "not a UTF-8 text file";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return lowerFirst(fs.getReason());
        }
        return userText(e).map(UserMessages::lowerFirst).orElse("input/output error");
    }

    /**
     * The exception's own message (its first line, without embedded class names) when it says
     * something without naming Java classes, else the first such message of its causes; empty when
     * none does.
     */
    public static Optional<String> userText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : withoutJavaNames(t.getMessage());
            m = m.lines().findFirst().orElse(m).strip();
            if (!m.isEmpty() && !namesJava(m)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
