package io.ovsanp.controller.openflow;

import io.netty.channel.Channel;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The event loops all OpenFlow channels of the process share: native epoll where its library loads
 * (linux-x86_64, bundled), else NIO, which since JDK 16 also speaks unix sockets. System property
 * {@code ovsanp.openflow.transport=nio} forces NIO. Daemon threads, never shut down: a controller
 * keeps its connections for its whole life.
 */
final class Transport {
    private static Transport shared;

    private final IoEventLoopGroup group;
    private final boolean epoll;

    /** A transport of its own (tests); production code uses {@link #shared()}. */
    Transport(boolean epoll) {
        this.epoll = epoll;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        DefaultThreadFactory threadsNamed = new DefaultThreadFactory("ovs-anp-openflow", true);
        this.group = new MultiThreadIoEventLoopGroup(
                threads, threadsNamed, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static synchronized Transport shared() {
        if (shared == null) {
            shared = new Transport(Epoll.isAvailable());
        }
        return shared;
    }

    /** Stops the event loops of a transport that is not {@link #shared()}. */
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    IoEventLoopGroup group() {
        return group;
    }

    boolean isEpoll() {
        return epoll;
    }

    Class<? extends Channel> channelClass(SwitchTarget target) {
        if (target instanceof SwitchTarget.Unix) {
            return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
        }
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    SocketAddress address(SwitchTarget target) {
        if (target instanceof SwitchTarget.Unix u) {
            return epoll ? new DomainSocketAddress(u.path().toString()) : UnixDomainSocketAddress.of(u.path());
        }
        if (target instanceof SwitchTarget.Tcp t) {
            return new InetSocketAddress(t.host(), t.port());
        }
        if (target instanceof SwitchTarget.Listen l) {
            return l.ip().map(ip -> new InetSocketAddress(ip, l.port()))
                    .orElseGet(() -> new InetSocketAddress(l.port()));
        }
        throw new AssertionError("unhandled target " + target);
    }
}
