package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ReconnectingSwitch;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Agent mode: the one local switch of this node ({@code unix:}, {@code tcp:} or {@code ssl:}),
 * connected and reconnected with backoff by a {@link ReconnectingSwitch}. Every (re)connect is
 * reported as {@code connected(node, c)}, and its loss as {@code disconnected(node, c)}.
 */
public final class AgentSwitchSource implements SwitchSource {
    private final String node;
    private final ReconnectingSwitch sw;

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
