package io.ovsanp.controller.openflow;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a passive target ({@code ptcp:}, {@code pssl:}) for switches that dial us (an OVS
 * Controller row {@code tcp:}/{@code ssl:}, docs/ovs-notes.md), many at once. Each connection that
 * completes the handshake goes to {@code onConnect} on {@link ConnectionConfig#callbacks()}.
 *
 * <p>Anyone who can reach the port can open connections, so before a peer has proved anything it
 * gets little: {@link ListenerLimits} caps the connections in their handshake, in total and per
 * source address (more are closed at once), {@link ConnectionConfig#handshakeTimeout()} bounds each
 * handshake, and failures (a certificate from another CA, no certificate, not OpenFlow, over a limit)
 * are logged rate-limited: each distinct (address, reason) once per window, up to a few lines, then one
 * summary line per window.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
public final class SwitchListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchListener.class);

    private final SwitchTarget.Listen target;
    private final HandshakeGate gate;
    private final RateLimitedWarnings failures;
    private final Set<OfConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile Channel server;
    private volatile ScheduledFuture<?> summaries;
    private volatile boolean closed;

    private SwitchListener(SwitchTarget.Listen target, ListenerLimits limits) {
        this.target = target;
        this.gate = new HandshakeGate(limits);
        this.failures = limits.failureLog("failed handshakes");
    }

    public static SwitchListener listen(
            SwitchTarget target, Optional<TlsConfig> tls, Consumer<OfConnection> onConnect) {
        return listen(target, tls, ConnectionConfig.DEFAULT, ListenerLimits.DEFAULT, onConnect);
    }

    /**
     * Binds and returns once listening.
     *
     * @throws IllegalArgumentException for an active target or a TLS setting that does not fit
     * @throws IllegalStateException if the address cannot be bound
     */
    public static SwitchListener listen(
            SwitchTarget target,
            Optional<TlsConfig> tls,
            ConnectionConfig config,
            ListenerLimits limits,
            Consumer<OfConnection> onConnect) {
        if (!(target instanceof SwitchTarget.Listen listen)) {
            throw new IllegalArgumentException(target + " is active: use SwitchConnector.connect");
        }
        Optional<SslContext> ssl = SwitchConnector.sslContext(target, tls, true);
        Transport transport = Transport.shared();
        SwitchListener self = new SwitchListener(listen, limits);
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SwitchConnector.WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        self.admit(ch, ssl, config, onConnect);
                    }
                });
        ChannelFuture bound = b.bind(transport.address(target)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException(
                    "cannot listen on " + target + ": " + bound.cause().getMessage(), bound.cause());
        }
        self.server = bound.channel();
        long window = limits.logWindow().toNanos();
        self.summaries =
                self.server.eventLoop().scheduleAtFixedRate(self::summarise, window, window, TimeUnit.NANOSECONDS);
        log.info("listening for switches on {}", self.localAddress());
        return self;
    }

    /** A new TCP connection: through the gate, then the handshake; the gate is left when it ends. */
    private void admit(
            Channel ch, Optional<SslContext> ssl, ConnectionConfig config, Consumer<OfConnection> onConnect) {
        InetAddress from = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        Optional<String> over = gate.admit(from);
        if (over.isPresent()) {
            failed(from, from.getHostAddress() + ": " + over.get());
            ch.close();
            return;
        }
        CompletableFuture<OfConnection> result = new CompletableFuture<>();
        result.whenComplete((c, e) -> gate.release(from));
        ch.pipeline().addLast(ChannelSetup.initializer(ssl, null, 0, target.toString(), config, result));
        Futures.relay(result, config.callbacks()).whenComplete((c, e) -> {
            if (e != null) {
                failed(
                        from,
                        (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).getMessage());
            } else {
                accepted(c, onConnect);
            }
        });
    }

    /** Logs (rate-limited) why a connection from {@code from} failed; its source port is left out. */
    private void failed(InetAddress from, String reason) {
        String line = String.valueOf(reason).replaceAll("\\b(tcp|ssl):(\\[[^]]*]|[0-9.]+):[0-9]+", "$1:$2");
        failures.failed(from.getHostAddress(), line, System.nanoTime())
                .ifPresent(l -> log.warn("{}: a switch failed to connect: {}", target, l));
    }

    private void summarise() {
        failures.summary(System.nanoTime()).ifPresent(line -> log.warn("{}: {}", target, line));
    }

    /** Connections in their handshake now (admitted by the gate, not finished). */
    public int handshakesInProgress() {
        return gate.inProgress();
    }

    private void accepted(OfConnection c, Consumer<OfConnection> onConnect) {
        connections.add(c);
        if (closed) {
            connections.remove(c);
            c.close();
            return;
        }
        c.closeFuture().thenRun(() -> connections.remove(c));
        try {
            onConnect.accept(c);
        } catch (RuntimeException e) {
            log.error("{}: the connect listener failed for {}", target, c, e);
        }
    }

    /** The bound address; its port is the real one when the target said port 0. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The connections accepted and still open. */
    public List<OfConnection> connections() {
        return List.copyOf(connections);
    }

    /** Stops listening and closes every connection accepted. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> f = summaries;
        if (f != null) {
            f.cancel(false);
        }
        server.close().awaitUninterruptibly();
        connections.forEach(OfConnection::close);
    }
}
