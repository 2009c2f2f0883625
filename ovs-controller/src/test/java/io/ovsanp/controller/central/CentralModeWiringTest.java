package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.run.SwitchSource;
import io.ovsanp.controller.testing.MockApiServer;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Central mode wired as {@code ovs-anp run --listen} would: the informers' nodes feed the switch
 * source ({@code onChange → nodesChanged(snapshot().nodes())}); Nodes are created and annotated
 * through the (mock) API, the switch is a real ovs-vswitchd.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CentralModeWiringTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private PrivateOvs ovs;
    private PrivateOvs.Link veth;

    @BeforeEach
    void start() {
        Needs.ovs();
        server = MockApiServer.crudServer();
        server.init();
        client = server.createClient();
        ovs = PrivateOvs.start();
        ovs.addBridge("br-int");
        ovs.vsctl("set", "bridge", "br-int", "other_config:datapath-id=00000000000000c3");
        veth = ovs.linkToRoot();
    }

    @AfterEach
    void stop() {
        if (veth != null) {
            veth.close();
        }
        if (ovs != null) {
            ovs.close();
        }
        if (client != null) {
            client.close();
            MockApiServer.stop(server);
        }
    }

    private void createNode(String name, String address) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress(address)
                        .endAddress()
                        .endStatus()
                        .build())
                .create();
    }

    private void annotate(String node, String dpid) {
        client.nodes().withName(node).edit(n -> {
            n.getMetadata().getAnnotations().put(NodeInfo.DATAPATH_ID_ANNOTATION, dpid);
            return n;
        });
    }

    @Test
    void aNodeAnnotatedThroughTheApiGetsItsSwitchAndTheAnnotationMovesIt() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (ClusterWatcher watcher = ClusterWatcher.start(client);
                CentralSwitchSource source = new CentralSwitchSource(
                        SwitchTarget.parse("ptcp:0:" + veth.outside()),
                        Optional.empty(),
                        ConnectionConfig.DEFAULT,
                        ListenerLimits.DEFAULT,
                        true)) {
            watcher.onChange(() -> source.nodesChanged(watcher.snapshot().nodes()));
            watcher.awaitSynced(Duration.ofSeconds(40)); // generous: a loaded 2-core CI machine
            source.nodesChanged(watcher.snapshot().nodes());
            source.start(new SwitchSource.Sink() {
                @Override
                public void connected(String node, OfConnection c) {
                    events.add("connected " + node + " " + c.datapathId());
                }

                @Override
                public void disconnected(String node, OfConnection c) {
                    events.add("disconnected " + node + " " + c.datapathId());
                }
            });
            source.lead(1);
            createNode("w1", "10.98.0.1");
            createNode("w2", "10.98.0.2");
            ovs.vsctl(
                    "set-controller",
                    "br-int",
                    "tcp:" + veth.outside() + ":" + source.localAddress().getPort());

            annotate("w1", "0x00000000000000C3");
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("connected w1 00000000000000c3");

            client.nodes().withName("w1").edit(n -> {
                n.getMetadata().getAnnotations().remove(NodeInfo.DATAPATH_ID_ANNOTATION);
                return n;
            });
            annotate("w2", "00000000000000c3");
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("disconnected w1 00000000000000c3");
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("connected w2 00000000000000c3");
            assertThat(source.mapped()).containsOnlyKeys("w2");
        }
    }
}
