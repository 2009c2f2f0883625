package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.openflow.wire.Bytes;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.FlowStatsReply;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import io.ovsanp.controller.openflow.wire.OfCodec;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.OfMessage;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.openflow.wire.Resume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests, multipart replies, keepalive and closing of {@link OfConnection}, the test playing the switch. */
class OfConnectionTest {
    static final OfError BAD_TYPE = OfError.standard(1, 1);

    private final Wiretap tap = new Wiretap();

    @AfterEach
    void close() {
        tap.close();
    }

    static DumpedFlow dumped(String flow) {
        return DumpedFlow.of(OfctlParser.parseFlow(flow));
    }

    static ErrorMsg error(OfError e, OfMessage failed) {
        return new ErrorMsg(failed.xid(), e, Bytes.of(OfCodec.encode(failed)));
    }

    @Test
    void repliesAreMatchedToRequestsByXidNotByArrivalOrder() {
        CompletableFuture<OfMessage> first = tap.conn.request(new OfMessage.BarrierRequest(100));
        CompletableFuture<OfMessage> second = tap.conn.request(new OfMessage.BarrierRequest(101));
        assertThat(tap.out()).containsExactly(new OfMessage.BarrierRequest(100), new OfMessage.BarrierRequest(101));

        tap.in(new OfMessage.BarrierReply(101));
        assertThat(first).isNotDone();
        assertThat(second).isCompletedWithValue(new OfMessage.BarrierReply(101));
        tap.in(new OfMessage.BarrierReply(100));
        assertThat(first).isCompletedWithValue(new OfMessage.BarrierReply(100));
    }

    @Test
    void anErrorFailsOnlyTheRequestWithItsXidAndCarriesTheErrorMessage() {
        OfMessage.FeaturesRequest req = new OfMessage.FeaturesRequest(7);
        CompletableFuture<OfMessage> failing = tap.conn.request(req);
        CompletableFuture<OfMessage> other = tap.conn.request(new OfMessage.BarrierRequest(8));
        tap.out();
        ErrorMsg err = error(BAD_TYPE, req);
        tap.in(err);

        assertThat(failing).isCompletedExceptionally();
        assertThatThrownBy(failing::join)
                .cause()
                .isInstanceOf(OfErrorException.class)
                .hasMessageContaining("OFPBRC_BAD_TYPE")
                .satisfies(e -> assertThat(((OfErrorException) e).error()).isEqualTo(err));
        assertThat(other).isNotDone();
    }

    @Test
    void aFlowModRequestIsFollowedByABarrierAndFailsOnItsError() {
        FlowMod ok = FlowMod.add(20, OfctlParser.parseFlow("table=3,priority=1 actions=drop"));
        FlowMod bad = FlowMod.add(21, OfctlParser.parseFlow("table=3,priority=2 actions=drop"));
        // One at a time: an EmbeddedChannel runs queued tasks inside a flush, which would interleave them.
        CompletableFuture<OfMessage> okReply = tap.conn.request(ok);
        List<OfMessage> sent = new ArrayList<>(tap.out());
        CompletableFuture<OfMessage> badReply = tap.conn.request(bad);
        sent.addAll(tap.out());
        assertThat(sent).hasSize(4);
        assertThat(sent.get(0)).isEqualTo(ok);
        assertThat(sent.get(1)).isInstanceOf(OfMessage.BarrierRequest.class);
        assertThat(sent.get(2)).isEqualTo(bad);

        tap.in(
                new OfMessage.BarrierReply(sent.get(1).xid()),
                error(BAD_TYPE, bad),
                new OfMessage.BarrierReply(sent.get(3).xid()));

        assertThat(okReply)
                .isCompletedWithValue(new OfMessage.BarrierReply(sent.get(1).xid()));
        assertThatThrownBy(badReply::join).cause().isInstanceOf(OfErrorException.class);
    }

    @Test
    void resumeSendsBackWhatTheSwitchSentThenABarrierAndFailsOnItsError() {
        PacketIn paused = PacketIn.packetIn2(
                0,
                PacketIn.REASON_ACTION,
                0,
                PacketIn.NO_COOKIE,
                Bytes.fromHex("80000004 fffffffe"),
                Bytes.fromHex("abcd"),
                Optional.of(Bytes.fromHex("8003000400000000")));
        CompletableFuture<Void> ok = tap.conn.resume(paused);
        List<OfMessage> sent = tap.out();
        assertThat(sent).hasSize(2);
        Resume r = (Resume) sent.get(0);
        assertThat(r).isEqualTo(Resume.of(r.xid(), paused));
        assertThat(sent.get(1)).isInstanceOf(OfMessage.BarrierRequest.class);
        tap.in(new OfMessage.BarrierReply(sent.get(1).xid()));
        assertThat(ok).isCompleted().isNotCompletedExceptionally();

        // NXR_STALE: the bridge of the continuation is gone (docs/ovs-notes.md §2.7)
        CompletableFuture<Void> stale = tap.conn.resume(paused);
        List<OfMessage> again = tap.out();
        tap.in(
                error(OfError.RESUME_STALE, again.get(0)),
                new OfMessage.BarrierReply(again.get(1).xid()));
        assertThatThrownBy(stale::join)
                .cause()
                .isInstanceOf(OfErrorException.class)
                .hasMessageContaining("NXR_STALE");

        PacketIn copy = PacketIn.packetIn2(
                0, PacketIn.REASON_ACTION, 3, 7, Bytes.EMPTY, Bytes.fromHex("abcd"), Optional.empty());
        assertThatThrownBy(() -> tap.conn.resume(copy)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tap.out()).isEmpty();
    }

    @Test
    void dumpFlowsCollectsEveryPartUntilOneWithoutReplyMore() {
        FlowStatsRequest req = FlowStatsRequest.ours(30);
        CompletableFuture<List<DumpedFlow>> dump = tap.conn.dumpFlows(req);
        assertThat(tap.out()).containsExactly(req);
        DumpedFlow a = dumped("table=3,priority=1,cookie=0xa500000001,ip actions=drop");
        DumpedFlow b = dumped("table=3,priority=2,cookie=0xa500000001,ip actions=drop");
        DumpedFlow c = dumped("table=4,priority=3,cookie=0xa500000001 actions=drop");

        tap.in(new FlowStatsReply(30, true, List.of(a, b)), new FlowStatsReply(31, false, List.of()));
        assertThat(dump).isNotDone();
        tap.in(new FlowStatsReply(30, true, List.of()), new FlowStatsReply(30, false, List.of(c)));
        assertThat(dump).isCompletedWithValue(List.of(a, b, c));
    }

    @Test
    void anEchoRequestIsAnsweredAtOnceWithItsXidAndData() {
        tap.in(new OfMessage.EchoRequest(55, Bytes.fromHex("0102")));
        assertThat(tap.out()).containsExactly(new OfMessage.EchoReply(55, Bytes.fromHex("0102")));
    }

    @Test
    void anIdleConnectionSendsEchoesAndIsClosedAsDeadWhenNothingComes() {
        try (Wiretap fast = new Wiretap(ConnectionConfig.withEchoInterval(Duration.ofMillis(100)))) {
            fast.out();
            fast.advance(Duration.ofMillis(50));
            assertThat(fast.out()).isEmpty();
            fast.advance(Duration.ofMillis(50));
            fast.advance(Duration.ofMillis(25));
            assertThat(fast.out()).singleElement().isInstanceOf(OfMessage.EchoRequest.class);
            // a reply (any message) restarts the count
            fast.in(new OfMessage.EchoReply(1, Bytes.EMPTY));
            for (int i = 0; i < 10; i++) {
                fast.advance(Duration.ofMillis(25));
            }
            assertThat(fast.conn.isActive()).isTrue();
            assertThat(fast.out()).hasSize(2).allMatch(m -> m instanceof OfMessage.EchoRequest);
            for (int i = 0; i < 4; i++) {
                fast.advance(Duration.ofMillis(25));
            }
            assertThat(fast.conn.isActive()).isFalse();
            assertThat(fast.conn.closeReason())
                    .hasValueSatisfying(r -> assertThat(r).startsWith("dead: no message"));
        }
    }

    @Test
    void closingFailsWhatIsInFlightAndLaterRequestsFailAtOnce() {
        CompletableFuture<OfMessage> pending = tap.conn.request(new OfMessage.BarrierRequest(9));
        CompletableFuture<Void> closed = tap.conn.closeFuture();
        tap.out();
        tap.conn.close();
        tap.channel.runPendingTasks();

        assertThat(closed).isCompleted();
        assertThat(tap.conn.closeReason()).contains("closed locally");
        assertThatThrownBy(pending::join).cause().isInstanceOf(ConnectionClosedException.class);
        CompletableFuture<Void> late = tap.conn.barrier();
        tap.channel.runPendingTasks();
        assertThatThrownBy(late::join).cause().isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void repliesAreRefusedAsRequests() {
        assertThatThrownBy(() -> tap.conn.request(new OfMessage.BarrierReply(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
