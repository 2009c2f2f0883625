package io.ovsanp.controller.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The format of the log lines on stderr: {@code text}, logback.xml's pattern (ISO-8601 time with
 * date and offset, level, logger, node, dpid, message), or {@code json}, one object per line from
 * logback's own {@link JsonEncoder} (epoch-millisecond {@code timestamp}, {@code level},
 * {@code loggerName}, {@code mdc}, {@code formattedMessage}, {@code throwable}). Chosen by
 * {@code --log-format} or {@code $OVSANP_LOG_FORMAT}; logback.xml configures text, and json swaps the
 * encoder of its STDERR appender before the command runs.
 */
final class LogFormat {
    static final String ENV = "OVSANP_LOG_FORMAT";
    static final String APPENDER = "STDERR";

    enum Format {
        text,
        json
    }

    /** logback.xml's text encoder, kept to switch back (tests run many commands in one JVM). */
    private static Encoder<ILoggingEvent> textEncoder;

    private LogFormat() {}

    /** The value of {@code $OVSANP_LOG_FORMAT}: empty when unset or blank; invalid values throw. */
    static Optional<Format> fromEnv(String value) throws BadInput {
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            return Optional.of(Format.valueOf(value.strip().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new BadInput(ENV + "=" + value + ": expected text or json");
        }
    }

    /** Makes the STDERR appender write {@code format}; a no-op when logging is not logback's. */
    static synchronized void use(Format format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        if (!(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER)
                instanceof OutputStreamAppender<ILoggingEvent> appender)) return;
        Encoder<ILoggingEvent> current = appender.getEncoder();
        if (format == Format.json) {
            if (current instanceof JsonEncoder) return;
            textEncoder = current;
            appender.setEncoder(jsonEncoder(context));
        } else if (current instanceof JsonEncoder && textEncoder != null) {
            appender.setEncoder(textEncoder);
        }
    }

    private static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // What an operator's log pipeline needs, without logback's context dump on every line.
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }
}
