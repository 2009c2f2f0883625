package io.ovsanp.controller.cli;

import io.ovsanp.controller.central.CentralSwitchSource;
import io.ovsanp.controller.central.LeaderElection;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Central mode's options for {@code ovs-anp run} ({@code @Mixin CentralOptions central}): {@code
 * --listen} and the Lease the replicas elect their leader on. The TLS files for {@code pssl:} are
 * the command's {@code --tls-key/--tls-cert/--tls-ca} (as for {@code ssl:} switches), passed to
 * {@link #switchSource}.
 */
public final class CentralOptions {
    /** Agent mode's Lease: the agent holding it writes the policies' Ready conditions. */
    public static final String AGENT_STATUS_LEASE = "ovs-anp-agent-status";

    @Option(
            names = "--listen",
            paramLabel = "TARGET",
            description = "Central mode: listen for every node's br-int on pssl:PORT[:IP] (TLS with --tls-key,"
                    + " --tls-cert, --tls-ca): each switch is the node its certificate names (URI SAN or CN"
                    + " ovs-anp-node:NODE). ptcp:PORT:IP only with --allow-unauthenticated-switches.")
    String listen;

    @Option(
            names = "--allow-unauthenticated-switches",
            description = "Accept --listen ptcp:PORT:IP: switches then prove nothing (anyone who reaches the port"
                    + " can claim any node's datapath id); they are mapped by the ovs-anp.io/datapath-id"
                    + " annotation, else by source address. For labs and trusted networks only.")
    boolean allowUnauthenticated;

    @Option(
            names = "--max-handshakes",
            paramLabel = "N",
            defaultValue = "64",
            description = "Central mode: connections in their TLS/OpenFlow handshake at once; more are closed"
                    + " (default ${DEFAULT-VALUE}).")
    int maxHandshakes;

    @Option(
            names = "--max-handshakes-per-address",
            paramLabel = "N",
            defaultValue = "8",
            description = "Central mode: of those, from one source address (default ${DEFAULT-VALUE}).")
    int maxHandshakesPerAddress;

    @Option(
            names = "--handshake-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description = "Central mode: a connection that has not finished its handshake by then is closed"
                    + " (default ${DEFAULT-VALUE}).")
    String handshakeTimeout;

    @Option(
            names = "--lease-name",
            paramLabel = "NAME",
            description = "Lease (coordination.k8s.io/v1) elected on: by the central replicas, for who writes flows"
                    + " and status (default " + LeaderElection.Settings.DEFAULT_NAME + "); by the agents, for the one"
                    + " that writes the policies' status (default " + AGENT_STATUS_LEASE + ").")
    String leaseName;

    @Option(
            names = "--lease-namespace",
            paramLabel = "NAMESPACE",
            description = "Namespace of the Lease (default: the pod's, from its service account, else ovs-anp).")
    String leaseNamespace;

    @Option(
            names = "--identity",
            paramLabel = "ID",
            description = "This replica's name in the Lease (default: central mode $POD_NAME, else $HOSTNAME, else the"
                    + " host name; agent mode the --node name).")
    String identity;

    @Option(
            names = "--lease-duration",
            defaultValue = "15s",
            description = "How long a Lease holds without renewal (default ${DEFAULT-VALUE}).")
    String leaseDuration;

    @Option(
            names = "--renew-deadline",
            defaultValue = "10s",
            description = "The leader stops writing when it could not renew for this long (default ${DEFAULT-VALUE});"
                    + " shorter than --lease-duration.")
    String renewDeadline;

    @Option(
            names = "--retry-period",
            defaultValue = "2s",
            description = "How often to try to acquire or renew the Lease (default ${DEFAULT-VALUE}).")
    String retryPeriod;

    /** Whether {@code --listen} was given. */
    public boolean central() {
        return listen != null;
    }

    /** The {@code --listen} target; a {@code ptcp:}/{@code pssl:} one. */
    public SwitchTarget listenTarget() throws BadInput {
        SwitchTarget t;
        try {
            t = SwitchTarget.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--listen: " + e.getMessage());
        }
        if (t.isActive()) {
            throw new BadInput("--listen " + listen + ": a target to dial, not to listen on; use ptcp:PORT[:IP] or"
                    + " pssl:PORT[:IP] (switches dial us with set-controller tcp:/ssl:)");
        }
        return t;
    }

    /** The switch source for {@code --listen}; not started. */
    public CentralSwitchSource switchSource(Optional<TlsConfig> tls, ConnectionConfig config) throws BadInput {
        SwitchTarget t = listenTarget();
        if (t.tls() && tls.isEmpty()) {
            throw new BadInput("--listen " + listen + " needs --tls-key, --tls-cert and --tls-ca");
        }
        if (!t.tls() && tls.isPresent()) {
            throw new BadInput("--tls-key, --tls-cert and --tls-ca are for pssl:, not --listen " + listen);
        }
        if (t.tls() && allowUnauthenticated) {
            throw new BadInput("--allow-unauthenticated-switches is for ptcp:; --listen " + listen
                    + " authenticates every switch by its certificate");
        }
        Duration timeout = Durations.parse("--handshake-timeout", handshakeTimeout);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInput("--handshake-timeout must be positive");
        }
        ListenerLimits limits;
        try {
            limits = ListenerLimits.DEFAULT.withHandshakes(maxHandshakes, maxHandshakesPerAddress);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--max-handshakes " + maxHandshakes + ", --max-handshakes-per-address "
                    + maxHandshakesPerAddress + ": both must be at least 1, the second at most the first");
        }
        try {
            return new CentralSwitchSource(t, tls, config.withHandshakeTimeout(timeout), limits, allowUnauthenticated);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--listen " + e.getMessage());
        }
    }

    /** The Lease, identity and timing of central mode, with the defaults filled in. */
    public LeaderElection.Settings leaseSettings() throws BadInput {
        return leaseSettings(
                LeaderElection.Settings.DEFAULT_NAME, LeaderElection.Settings.defaultIdentity(System.getenv()));
    }

    /** Agent mode's: the status writer's Lease, the node's name as identity (one agent per node). */
    public LeaderElection.Settings agentLeaseSettings(String node) throws BadInput {
        return leaseSettings(AGENT_STATUS_LEASE, node);
    }

    private LeaderElection.Settings leaseSettings(String defaultName, String defaultIdentity) throws BadInput {
        Duration lease = Durations.parse("--lease-duration", leaseDuration);
        Duration renew = Durations.parse("--renew-deadline", renewDeadline);
        Duration retry = Durations.parse("--retry-period", retryPeriod);
        try {
            return new LeaderElection.Settings(
                    leaseNamespace != null ? leaseNamespace : LeaderElection.Settings.defaultNamespace(),
                    leaseName != null ? leaseName : defaultName,
                    identity != null ? identity : defaultIdentity,
                    lease,
                    renew,
                    retry);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
