package io.ovsanp.controller.cli;

import io.ovsanp.controller.errors.UserMessages;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchConnectException;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command reaches a switch: the TLS files for {@code ssl:} targets, the request timeout, and
 * the connection; {@link SwitchOptions} and {@link OptionalSwitchOptions} add {@code --switch}.
 */
abstract class SwitchAccess {
    /** The {@code --switch} target as given. */
    abstract String target();

    @Mixin
    TlsOptions tlsFiles;

    @Option(names = "--timeout", defaultValue = "60s", description = "Per-request timeout (default 60s).")
    String timeout;

    SwitchTarget parsedTarget() throws BadInput {
        try {
            return SwitchTarget.parse(target());
        } catch (IllegalArgumentException e) {
            throw new BadInput("--switch: " + e.getMessage());
        }
    }

    /** The TLS files, which an {@code ssl:} target needs and the other schemes refuse. */
    Optional<TlsConfig> tls() throws BadInput {
        SwitchTarget t = parsedTarget();
        if (t.tls() && !tlsFiles.given()) {
            throw new BadInput("--switch " + target() + " needs --tls-key, --tls-cert and --tls-ca");
        }
        if (!t.tls() && tlsFiles.given()) {
            throw new BadInput("--tls-key, --tls-cert and --tls-ca are for ssl: targets, not --switch " + target());
        }
        return tlsFiles.tls();
    }

    /**
     * Connects for a one-shot command. A switch that closes a fresh connection during the handshake
     * (seen with a busy ovs-vswitchd right after earlier connections closed) gets two more tries, 0.5 s
     * and 1 s later; other failures, and the third, are reported as they are.
     */
    OfConnection connect() throws BadInput {
        Duration timeout = timeoutDuration();
        SwitchTarget t = parsedTarget();
        Optional<TlsConfig> tlsConfig = tls();
        for (int attempt = 1; ; attempt++) {
            try {
                return SwitchConnector.connect(t, tlsConfig).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                // SwitchConnectException says "cannot connect to TARGET: why" itself.
                String m = cause instanceof SwitchConnectException
                        ? UserMessages.withoutDumps(String.valueOf(cause.getMessage()))
                        : "cannot connect to " + target() + ": "
                                + UserMessages.userText(cause).orElse("connection failed");
                if (attempt >= 3 || !m.contains("closed the connection during the OpenFlow handshake")) {
                    throw new BadInput(m);
                }
                sleep(500L * attempt);
            } catch (TimeoutException e) {
                throw new BadInput("cannot connect to " + target() + ": no handshake within " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BadInput("interrupted");
            }
        }
    }

    private static void sleep(long millis) throws BadInput {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput("interrupted");
        }
    }

    Duration timeoutDuration() throws BadInput {
        return Durations.parse("--timeout", timeout);
    }
}
