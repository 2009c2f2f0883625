package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.openflow.wire.BundleAdd;
import io.ovsanp.controller.openflow.wire.BundleControl;
import io.ovsanp.controller.openflow.wire.Bytes;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.OfCodec;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bundle state machine of {@link OfConnection#bundle}, the test playing the switch. */
class BundleTransactionTest {
    static final OfError BAD_PREREQ = OfError.standard(4, 9);
    static final OfError OVERLAP = OfError.standard(5, 3);

    private final Wiretap tap = new Wiretap();

    @AfterEach
    void close() {
        tap.close();
    }

    private static List<FlowMod> threeFlows() {
        return List.of(
                FlowMod.add(0, OfctlParser.parseFlow("table=3,priority=10,ip,nw_src=10.0.0.1 actions=drop")),
                FlowMod.add(0, OfctlParser.parseFlow("table=3,priority=10,ip,nw_src=10.0.0.2 actions=drop")),
                FlowMod.add(0, OfctlParser.parseFlow("table=3,priority=10,ip,nw_src=10.0.0.3 actions=drop")));
    }

    private static BundleControl reply(BundleControl request, BundleControl.Type type) {
        return new BundleControl(request.xid(), request.bundleId(), type, 0);
    }

    /** OPEN, the ADDs and the BARRIER the connection wrote, checked for shape. */
    private List<OfMessage> sentUpToBarrier(int adds) {
        List<OfMessage> sent = tap.out();
        assertThat(sent).hasSize(adds + 2);
        BundleControl open = (BundleControl) sent.get(0);
        assertThat(open.type()).isEqualTo(BundleControl.Type.OPEN_REQUEST);
        assertThat(open.flags()).isEqualTo(BundleControl.ATOMIC | BundleControl.ORDERED);
        for (OfMessage m : sent.subList(1, adds + 1)) {
            BundleAdd add = (BundleAdd) m;
            assertThat(add.bundleId()).isEqualTo(open.bundleId());
            assertThat(add.flags()).isEqualTo(open.flags());
            assertThat(add.message().xid()).isEqualTo(add.xid());
        }
        assertThat(sent.get(adds + 1)).isInstanceOf(OfMessage.BarrierRequest.class);
        return sent;
    }

    @Test
    void withoutErrorsTheBundleIsCommittedAndCompletesOnCommitReply() {
        CompletableFuture<BundleResult> result = tap.conn.bundle(threeFlows());
        List<OfMessage> sent = sentUpToBarrier(3);
        BundleControl open = (BundleControl) sent.get(0);
        assertThat(((BundleAdd) sent.get(2)).message())
                .isEqualTo(FlowModText.withXid(threeFlows().get(1), sent.get(2).xid()));

        tap.in(
                reply(open, BundleControl.Type.OPEN_REPLY),
                new OfMessage.BarrierReply(sent.get(4).xid()));
        BundleControl commit = (BundleControl) tap.out().get(0);
        assertThat(commit.type()).isEqualTo(BundleControl.Type.COMMIT_REQUEST);
        assertThat(commit.bundleId()).isEqualTo(open.bundleId());
        assertThat(result).isNotDone();

        tap.in(reply(commit, BundleControl.Type.COMMIT_REPLY));
        assertThat(result.join().flowMods()).isEqualTo(3);
    }

    @Test
    void anErrorForAnAddBeforeTheBarrierMakesItDiscardNotCommitAndNamesTheFlow() {
        CompletableFuture<BundleResult> result = tap.conn.bundle(threeFlows());
        List<OfMessage> sent = sentUpToBarrier(3);
        BundleAdd second = (BundleAdd) sent.get(2);

        tap.in(
                reply((BundleControl) sent.get(0), BundleControl.Type.OPEN_REPLY),
                new ErrorMsg(second.xid(), BAD_PREREQ, Bytes.of(OfCodec.encode(second))),
                new OfMessage.BarrierReply(sent.get(4).xid()));
        List<OfMessage> after = tap.out();
        assertThat(after)
                .singleElement()
                .satisfies(m -> assertThat(((BundleControl) m).type()).isEqualTo(BundleControl.Type.DISCARD_REQUEST));
        assertThat(result).isNotDone();

        tap.in(reply((BundleControl) after.get(0), BundleControl.Type.DISCARD_REPLY));
        assertThatThrownBy(result::join)
                .cause()
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("discarded: 1 flow-mod failed")
                .hasMessageContaining("OFPBMC_BAD_PREREQ")
                .hasMessageContaining("nw_src=10.0.0.2")
                .satisfies(e -> {
                    BundleRejectedException r = (BundleRejectedException) e;
                    assertThat(r.commitError()).isEmpty();
                    assertThat(r.failures())
                            .singleElement()
                            .satisfies(f -> assertThat(f.flowMod()).contains((FlowMod) second.message()));
                });
    }

    @Test
    void anErrorWithoutUsableDataStillNamesTheFlowByItsXid() {
        CompletableFuture<BundleResult> result = tap.conn.bundle(threeFlows());
        List<OfMessage> sent = sentUpToBarrier(3);
        tap.in(
                new ErrorMsg(sent.get(3).xid(), BAD_PREREQ, Bytes.fromHex("0404")),
                new OfMessage.BarrierReply(sent.get(4).xid()));
        tap.in(reply((BundleControl) tap.out().get(0), BundleControl.Type.DISCARD_REPLY));
        assertThatThrownBy(result::join).cause().hasMessageContaining("nw_src=10.0.0.3");
    }

    @Test
    void aFailedCommitReportsTheInnerErrorsAndTheCommitError() {
        CompletableFuture<BundleResult> result = tap.conn.bundle(threeFlows());
        List<OfMessage> sent = sentUpToBarrier(3);
        tap.in(new OfMessage.BarrierReply(sent.get(4).xid()));
        BundleControl commit = (BundleControl) tap.out().get(0);
        assertThat(commit.type()).isEqualTo(BundleControl.Type.COMMIT_REQUEST);
        FlowMod inner = (FlowMod) ((BundleAdd) sent.get(1)).message();

        // OVS sends the failing inner message's error (its data: the inner flow-mod), then MSG_FAILED.
        tap.in(
                new ErrorMsg(inner.xid(), OVERLAP, Bytes.of(OfCodec.encode(inner))),
                new ErrorMsg(commit.xid(), OfError.BUNDLE_MSG_FAILED, Bytes.of(OfCodec.encode(commit))));

        assertThatThrownBy(result::join)
                .cause()
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("at commit (OFPBFC_MSG_FAILED)")
                .hasMessageContaining("OFPFMFC_OVERLAP")
                .hasMessageContaining("nw_src=10.0.0.1")
                .satisfies(e ->
                        assertThat(((BundleRejectedException) e).commitError()).isPresent());
    }

    @Test
    void bundleIdsAndXidsAreUniqueOnAConnection() {
        tap.conn.bundle(threeFlows());
        tap.conn.bundle(threeFlows());
        List<OfMessage> sent = tap.out();
        assertThat(sent).hasSize(10);
        assertThat(sent.stream().filter(m -> m instanceof BundleControl).map(m -> ((BundleControl) m).bundleId()))
                .doesNotHaveDuplicates()
                .hasSize(2);
        assertThat(sent.stream().map(OfMessage::xid)).doesNotHaveDuplicates();
    }

    @Test
    void aLargeBundleIsWrittenInBatchesAndStillCommits() {
        int n = 3 * BundleTransaction.BATCH + 7;
        List<FlowMod> mods = BulkFlows.conjunctive(n, () -> 0);
        CompletableFuture<BundleResult> result = tap.conn.bundle(mods);
        List<OfMessage> sent = sentUpToBarrier(n);
        tap.in(new OfMessage.BarrierReply(sent.get(n + 1).xid()));
        tap.in(reply((BundleControl) tap.out().get(0), BundleControl.Type.COMMIT_REPLY));
        assertThat(result.join().flowMods()).isEqualTo(n);
    }

    @Test
    void aClosedConnectionFailsTheBundle() {
        CompletableFuture<BundleResult> result = tap.conn.bundle(threeFlows());
        tap.out();
        tap.conn.close();
        tap.channel.runPendingTasks();
        assertThatThrownBy(result::join).cause().isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void aFlowModTooBigToEncodeDiscardsWhatWasSentAndFailsNamingIt() {
        List<FlowAction> conj = Collections.nCopies(4100, new FlowAction.Conjunction(new ConjId(1), 1, 2));
        FlowMod huge = FlowMod.add(0, new Flow(TableId.of(3), Priority.of(5), new Cookie(0), Match.ANY, conj));
        CompletableFuture<BundleResult> result =
                tap.conn.bundle(List.of(threeFlows().get(0), huge));
        List<OfMessage> sent = tap.out();
        assertThat(sent.get(sent.size() - 1))
                .isInstanceOfSatisfying(
                        BundleControl.class, c -> assertThat(c.type()).isEqualTo(BundleControl.Type.DISCARD_REQUEST));
        assertThat(sent).noneMatch(m -> m instanceof BundleControl c && c.type() == BundleControl.Type.COMMIT_REQUEST);
        assertThatThrownBy(result::join)
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode flow-mod 1 of bundle")
                .hasMessageContaining("exceeds 65535");
    }
}
