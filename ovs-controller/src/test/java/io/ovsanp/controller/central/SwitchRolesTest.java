package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The role bookkeeping without I/O: what is asked of each switch, and when it may be written. */
class SwitchRolesTest {
    private final SwitchRoles<String> roles = new SwitchRoles<>();

    private static SwitchRoles.Request<String> master(String c, long g) {
        return new SwitchRoles.Request<>(c, OptionalLong.of(g));
    }

    private static SwitchRoles.Request<String> slave(String c) {
        return new SwitchRoles.Request<>(c, OptionalLong.empty());
    }

    @Test
    void aSwitchConnectingWhileWeStandByIsAskedForSlaveAndIsNeverWritable() {
        assertThat(roles.added("a")).isEqualTo(slave("a"));
        assertThat(roles.confirmed(slave("a"))).isTrue();
        assertThat(roles.writable("a")).isFalse();
    }

    @Test
    void leadingAsksEverySwitchForMasterAndEachIsWritableOnlyOnceItConfirmed() {
        roles.added("a");
        roles.added("b");
        assertThat(roles.lead(7)).containsExactly(master("a", 7), master("b", 7));
        assertThat(roles.writable("a")).as("not before the switch said so").isFalse();
        assertThat(roles.confirmed(master("a", 7))).isTrue();
        assertThat(roles.writable("a")).isTrue();
        assertThat(roles.writable("b")).isFalse();
        assertThat(roles.added("c")).as("a switch connecting while we lead").isEqualTo(master("c", 7));
    }

    @Test
    void standingByMakesEverySwitchUnwritableAtOnceAndAsksForSlave() {
        roles.added("a");
        roles.lead(7);
        roles.confirmed(master("a", 7));
        assertThat(roles.standBy()).containsExactly(slave("a"));
        assertThat(roles.writable("a")).isFalse();
        assertThat(roles.term()).isEmpty();
    }

    @Test
    void aLateReplyFromAnEarlierTermConfirmsNothing() {
        roles.added("a");
        roles.lead(7);
        roles.standBy();
        roles.lead(9);
        assertThat(roles.confirmed(master("a", 7))).isFalse();
        assertThat(roles.confirmed(slave("a"))).isFalse();
        assertThat(roles.writable("a")).isFalse();
        assertThat(roles.confirmed(master("a", 9))).isTrue();
        assertThat(roles.writable("a")).isTrue();
    }

    @Test
    void aRefusedMasterRequestLeavesTheSwitchUnwritableAndIsRetriedWithTheLeadershipOfTheTime() {
        roles.added("a");
        roles.lead(7);
        roles.confirmed(master("a", 7));
        // e.g. OFPRRFC_STALE on a later request: the switch is not ours to write any more
        Duration first = roles.failed(master("a", 7));
        assertThat(roles.writable("a")).isFalse();
        assertThat(roles.retry("a")).contains(master("a", 7));
        roles.standBy();
        assertThat(roles.retry("a")).as("leadership changed meanwhile").contains(slave("a"));
        roles.confirmed(slave("a"));
        assertThat(roles.retry("a")).as("nothing due once confirmed").isEmpty();
        assertThat(first).isEqualTo(SwitchRoles.RETRY_FIRST);
    }

    @Test
    void retriesBackOffPerSwitchUpToTheMaximumAndStartOverAfterASuccess() {
        roles.added("a");
        roles.lead(7);
        List<Duration> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(roles.failed(master("a", 7)));
        }
        assertThat(delays.subList(0, 4))
                .containsExactly(
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(delays.get(7)).isEqualTo(SwitchRoles.RETRY_MAX);
        roles.confirmed(master("a", 7));
        assertThat(roles.failed(master("a", 7))).isEqualTo(SwitchRoles.RETRY_FIRST);
    }

    @Test
    void aRemovedConnectionIsForgottenAndItsLateRepliesIgnored() {
        roles.added("a");
        roles.lead(7);
        roles.removed("a");
        assertThat(roles.confirmed(master("a", 7))).isFalse();
        assertThat(roles.writable("a")).isFalse();
        assertThat(roles.retry("a")).isEmpty();
        assertThat(roles.lead(8)).isEmpty();
    }
}
