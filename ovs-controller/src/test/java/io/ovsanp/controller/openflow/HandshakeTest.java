package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.ovsanp.controller.openflow.wire.Bytes;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.OfMessage;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.openflow.wire.SetPacketInFormat;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OpenFlow 1.3 connection setup, the test playing the switch on an {@link EmbeddedChannel}. */
class HandshakeTest {
    private final CompletableFuture<OfConnection> result = new CompletableFuture<>();
    private final EmbeddedChannel ch =
            new EmbeddedChannel(new Handshake("unix:/run/br-int.mgmt", false, ConnectionConfig.DEFAULT, result));

    @Test
    void helloFeaturesAndSetConfigYieldAConnectionWithTheDatapathId() {
        OfMessage.Hello hello = ch.readOutbound();
        assertThat(hello.supports13()).isTrue();
        assertThat(hello.versions()).containsExactly(4);

        ch.writeInbound(new OfMessage.Hello(1, Set.of(1, 4, 5, 6)));
        OfMessage.FeaturesRequest features = ch.readOutbound();
        assertThat(result).isNotDone();
        ch.writeInbound(new OfMessage.FeaturesReply(features.xid(), new DatapathId(0x1234), 0, 254, 0, 0));

        assertThat((Object) ch.readOutbound()).isEqualTo(new OfMessage.SetConfig(features.xid() + 1, 0, 0));
        OfConnection conn = result.join();
        assertThat(conn.datapathId()).isEqualTo(new DatapathId(0x1234));
        assertThat(conn.remote()).isEqualTo("unix:/run/br-int.mgmt");
        assertThat(conn.nextXid()).isGreaterThan(features.xid() + 1);
        assertThat(ch.pipeline().get(Handshake.class)).isNull();
        ch.finishAndReleaseAll();
    }

    /** docs/ovs-notes.md §2.7: only an NXT_PACKET_IN2 carries a paused packet's continuation. */
    @Test
    void aSinkThatWantsContinuationsGetsWholePacketsAsPacketIn2() {
        PacketInSink sink = new PacketInSink() {
            @Override
            public void accept(OfConnection from, PacketIn packetIn) {}

            @Override
            public boolean wantsContinuations() {
                return true;
            }
        };
        CompletableFuture<OfConnection> done = new CompletableFuture<>();
        EmbeddedChannel sw = new EmbeddedChannel(
                new Handshake("unix:/run/br-int.mgmt", false, ConnectionConfig.DEFAULT.withPacketIns(sink), done));
        sw.readOutbound();
        sw.writeInbound(new OfMessage.Hello(1, Set.of(4)));
        OfMessage.FeaturesRequest features = sw.readOutbound();
        sw.writeInbound(new OfMessage.FeaturesReply(features.xid(), new DatapathId(0x1234), 0, 254, 0, 0));

        assertThat((Object) sw.readOutbound())
                .isEqualTo(new OfMessage.SetConfig(features.xid() + 1, 0, OfMessage.SetConfig.NO_BUFFER));
        assertThat((Object) sw.readOutbound())
                .isEqualTo(new SetPacketInFormat(features.xid() + 2, SetPacketInFormat.NXT_PACKET_IN2));
        assertThat(done.join().nextXid()).isGreaterThan(features.xid() + 2);
        sw.finishAndReleaseAll();
    }

    @Test
    void theAuditLogAloneKeepsTheStandardFormat() {
        PacketInSink audit = (from, p) -> {};
        CompletableFuture<OfConnection> done = new CompletableFuture<>();
        EmbeddedChannel sw = new EmbeddedChannel(
                new Handshake("unix:/run/br-int.mgmt", false, ConnectionConfig.DEFAULT.withPacketIns(audit), done));
        sw.readOutbound();
        sw.writeInbound(new OfMessage.Hello(1, Set.of(4)));
        OfMessage.FeaturesRequest features = sw.readOutbound();
        sw.writeInbound(new OfMessage.FeaturesReply(features.xid(), new DatapathId(0x1234), 0, 254, 0, 0));
        assertThat((Object) sw.readOutbound())
                .isEqualTo(new OfMessage.SetConfig(features.xid() + 1, 0, Handshake.AUDIT_MISS_SEND_LEN));
        assertThat((Object) sw.readOutbound()).isNull();
        assertThat(done).isCompleted();
        sw.finishAndReleaseAll();
    }

    @Test
    void aPeerWithoutOpenFlow13IsRefusedWithTheVersionsItOffers() {
        ch.readOutbound();
        ch.writeInbound(new OfMessage.Hello(1, Set.of(1, 2)));
        assertThatThrownBy(result::join)
                .cause()
                .isInstanceOf(SwitchConnectException.class)
                .hasMessageContaining("offers OpenFlow wire versions [1, 2] but not 1.3");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anErrorDuringTheHandshakeFailsItWithTheErrorName() {
        ch.readOutbound();
        ch.writeInbound(new ErrorMsg(1, OfError.standard(0, 0), Bytes.EMPTY));
        assertThatThrownBy(result::join)
                .cause()
                .hasMessageContaining("refused the OpenFlow handshake: OFPHFC_INCOMPATIBLE");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void echoRequestsAreAnsweredDuringTheHandshake() {
        ch.readOutbound();
        ch.writeInbound(new OfMessage.EchoRequest(9, Bytes.EMPTY));
        assertThat((Object) ch.readOutbound()).isEqualTo(new OfMessage.EchoReply(9, Bytes.EMPTY));
    }

    @Test
    void aSilentPeerFailsTheHandshakeAfterTheTimeout() {
        CompletableFuture<OfConnection> r = new CompletableFuture<>();
        EmbeddedChannel silent = new EmbeddedChannel();
        silent.freezeTime();
        silent.pipeline()
                .addLast(new Handshake(
                        "tcp:192.0.2.1:6653",
                        false,
                        ConnectionConfig.DEFAULT.withHandshakeTimeout(Duration.ofSeconds(2)),
                        r));
        silent.advanceTimeBy(2, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertThatThrownBy(r::join).cause().hasMessageContaining("no OpenFlow handshake within 2000 ms");
        assertThat(silent.isOpen()).isFalse();
    }

    @Test
    void thePeerClosingFailsTheHandshake() {
        ch.readOutbound();
        ch.close();
        assertThatThrownBy(result::join)
                .cause()
                .hasMessageContaining("closed the connection during the OpenFlow handshake");
    }

    @Test
    void ipPeersAreNamedWithSchemeAddressAndPort() {
        assertThat(Handshake.describe(new InetSocketAddress("10.0.0.5", 50123), false))
                .contains("tcp:10.0.0.5:50123");
        assertThat(Handshake.describe(new InetSocketAddress("::1", 6653), true)).contains("ssl:[0:0:0:0:0:0:0:1]:6653");
    }
}
