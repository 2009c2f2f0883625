package io.ovsanp.controller.openflow;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.ovsanp.controller.errors.UserMessages;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Dials active targets ({@code unix:}, {@code tcp:}, {@code ssl:}); see {@link SwitchListener} for passive ones. */
public final class SwitchConnector {
    /**
     * Bundles write in batches until Netty's outbound buffer passes the high mark, then wait for it
     * to drain below the low one; 1 MiB keeps the socket busy without holding a whole 12 MB bundle.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private SwitchConnector() {}

    /** {@link #connect(SwitchTarget, Optional, ConnectionConfig)} with {@link ConnectionConfig#DEFAULT}. */
    public static CompletableFuture<OfConnection> connect(SwitchTarget target, Optional<TlsConfig> tls) {
        return connect(target, tls, ConnectionConfig.DEFAULT);
    }

    /**
     * Connects and runs the OpenFlow handshake. Completes with the connection, or exceptionally with
     * {@link SwitchConnectException} saying what failed (refused, TLS, version, timeout).
     *
     * @param tls required for {@code ssl:} and refused for the other schemes
     * @throws IllegalArgumentException for a passive target, or a TLS setting that does not fit
     */
    public static CompletableFuture<OfConnection> connect(
            SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config) {
        return connect(target, tls, config, Transport.shared());
    }

    /** On a given transport: tests use it to run the NIO fallback too. */
    static CompletableFuture<OfConnection> connect(
            SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config, Transport transport) {
        if (!target.isActive()) {
            throw new IllegalArgumentException(target + " is passive: use SwitchListener.listen");
        }
        Optional<SslContext> ssl = sslContext(target, tls, false);
        CompletableFuture<OfConnection> result = new CompletableFuture<>();
        String host = target instanceof SwitchTarget.Tcp t ? t.host() : null;
        int port = target instanceof SwitchTarget.Tcp t ? t.port() : 0;
        Bootstrap b = new Bootstrap()
                .group(transport.group())
                .channel(transport.channelClass(target))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, config.handshakeTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(ChannelSetup.initializer(ssl, host, port, target.toString(), config, result));
        if (target instanceof SwitchTarget.Tcp) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        try {
            b.connect(transport.address(target)).addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(new SwitchConnectException(
                            "cannot connect to " + target + ": " + reason(f.cause()), f.cause()));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(
                    new SwitchConnectException("cannot connect to " + target + ": " + reason(e), e));
        }
        return Futures.relay(result, config.callbacks());
    }

    /**
     * Why a connect failed, as the socket layer says it, without the native call's prefix ({@code
     * connect(..) failed with error(-111): }) or a Java exception name.
     */
    static String reason(Throwable cause) {
        if (cause instanceof java.io.FileNotFoundException) {
            return "no such socket file"; // epoll's unix connect, which has no message
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        String m = UserMessages.userText(cause).orElse("connection failed");
        return m.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    }

    static Optional<SslContext> sslContext(SwitchTarget target, Optional<TlsConfig> tls, boolean server) {
        if (target.tls() && tls.isEmpty()) {
            // Callers name the target (--switch ssl:…); the message says what it lacks.
            throw new IllegalArgumentException(
                    "an ssl: or pssl: target needs TLS files: a private key, a certificate and a CA certificate");
        }
        if (!target.tls() && tls.isPresent()) {
            throw new IllegalArgumentException("TLS files are only for ssl: and pssl: targets");
        }
        return tls.map(t -> server ? t.serverContext() : t.clientContext());
    }
}
