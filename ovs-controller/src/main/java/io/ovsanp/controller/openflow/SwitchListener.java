package io.ovsanp.controller.openflow;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a passive target ({@code ptcp:}, {@code pssl:}) for switches that dial us (an OVS
 * Controller row {@code tcp:}/{@code ssl:}, OVS-NOTES §5.3), many at once. Each connection that
 * completes the handshake goes to {@code onConnect} on {@link ConnectionConfig#callbacks()}; one
 * that fails it (e.g. a certificate from another CA) is logged at WARN and dropped.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
public final class SwitchListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchListener.class);

    private final SwitchTarget.Listen target;
    private final Set<OfConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile Channel server;
    private volatile boolean closed;

    private SwitchListener(SwitchTarget.Listen target) {
        this.target = target;
    }

    public static SwitchListener listen(
            SwitchTarget target, Optional<TlsConfig> tls, Consumer<OfConnection> onConnect) {
        return listen(target, tls, ConnectionConfig.DEFAULT, onConnect);
    }

    /**
     * Binds and returns once listening.
     *
     * @throws IllegalArgumentException for an active target or a TLS setting that does not fit
     * @throws IllegalStateException if the address cannot be bound
     */
    public static SwitchListener listen(
            SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config, Consumer<OfConnection> onConnect) {
        if (!(target instanceof SwitchTarget.Listen listen)) {
            throw new IllegalArgumentException(target + " is active: use SwitchConnector.connect");
        }
        Optional<SslContext> ssl = SwitchConnector.sslContext(target, tls, true);
        Transport transport = Transport.shared();
        SwitchListener self = new SwitchListener(listen);
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SwitchConnector.WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        CompletableFuture<OfConnection> result = new CompletableFuture<>();
                        ch.pipeline()
                                .addLast(ChannelSetup.initializer(ssl, null, 0, target.toString(), config, result));
                        Futures.relay(result, config.callbacks()).whenComplete((c, e) -> {
                            if (e != null) {
                                log.warn("{}: a switch failed to connect: {}", target, e.getMessage());
                            } else {
                                self.accepted(c, onConnect);
                            }
                        });
                    }
                });
        ChannelFuture bound = b.bind(transport.address(target)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException(
                    "cannot listen on " + target + ": " + bound.cause().getMessage(), bound.cause());
        }
        self.server = bound.channel();
        log.info("listening for switches on {}", self.localAddress());
        return self;
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
        server.close().awaitUninterruptibly();
        connections.forEach(OfConnection::close);
    }
}
