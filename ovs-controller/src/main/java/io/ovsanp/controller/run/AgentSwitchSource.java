package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.PeerIdentity;
import io.ovsanp.controller.openflow.RateLimitedWarnings;
import io.ovsanp.controller.openflow.ReconnectingSwitch;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent mode: the one local switch of this node ({@code unix:}, {@code tcp:} or {@code ssl:}),
 * connected and reconnected with backoff by a {@link ReconnectingSwitch}. Every (re)connect is
 * reported as {@code connected(node, c)}, and its loss as {@code disconnected(node, c)}. Over {@code
 * ssl:}, a switch whose certificate names another node ({@link PeerIdentity}) is another node's
 * switch: it is closed, never handed on, and logged (rate-limited); a certificate that names no node
 * is accepted (the operator chose the address).
 */
public final class AgentSwitchSource implements SwitchSource {
    private static final Logger log = LoggerFactory.getLogger(AgentSwitchSource.class);

    private final String node;
    private final ReconnectingSwitch sw;
    private final RateLimitedWarnings wrongNode =
            ListenerLimits.DEFAULT.failureLog("connections to another node's switch");

    /** @throws IllegalArgumentException for a passive target or TLS files that do not fit the target */
    public AgentSwitchSource(String node, SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config) {
        this.node = Objects.requireNonNull(node);
        this.sw = new ReconnectingSwitch(target, tls, config);
    }

    public AgentSwitchSource(String node, SwitchTarget target, Optional<TlsConfig> tls) {
        this(node, target, tls, ConnectionConfig.DEFAULT);
    }

    @Override
    public void start(Sink sink) {
        sw.onConnected(c -> {
            Optional<PeerIdentity> peer = c.peerIdentity();
            if (peer.isPresent()
                    && !peer.get().nodes().isEmpty()
                    && !peer.get().nodes().contains(node)) {
                wrongNode
                        .failed(
                                c.remote(),
                                c + " presents the " + peer.get().describe() + ", not node " + node
                                        + "'s: closed, nothing written",
                                System.nanoTime())
                        .ifPresent(line -> log.warn("{}", line));
                c.close();
                return;
            }
            sink.connected(node, c);
            c.closeFuture().whenComplete((v, e) -> sink.disconnected(node, c));
        });
        sw.start();
    }

    @Override
    public void close() {
        sw.close();
    }
}
